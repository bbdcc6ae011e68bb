import { separabilityByGroup, separabilityWarning, type Separability } from '../../../gesture/src';
import type { Progress } from '../support/progress';
import { loadTrainingData, suspectCounts, type Example, type GroupBy, type SuspectPolicy, type TrainingData } from './data';

/** The pool, the user's own recordings, and who has suspect recordings: what every later stage trains on. */
export interface TrainingSet {
  data: TrainingData;
  /** `--personal` recordings (grouped apart from the pool): the final models are fine-tuned on them; the folds never see them. */
  personal: Example[];
  /** Per person, pool and own (`personal:` groups): recordings, suspect ones, and the count per warning code. */
  suspect: ReturnType<typeof suspectCounts>;
  /** Per person with enough recordings to judge: how well their gestures tell apart among themselves. */
  separability: Record<string, Separability>;
}

export interface TrainingSetOptions {
  data: string;
  personal?: string;
  classes?: string[];
  groupBy: GroupBy;
  minPerClass: number;
  windowLength: number;
  /** What each model's training does with suspect recordings (by model key), for the log line. */
  suspectPolicies: Record<string, SuspectPolicy>;
}

/** The groups of a user's own recordings: apart from the pool's people, whatever their folder is called. */
const OWN_PREFIX = 'personal:';
const isOwn = (group: string) => group.startsWith(OWN_PREFIX);

const POLICY_VERB: Record<SuspectPolicy, string> = { keep: 'keeps', drop: 'drops', 'down-weight': 'down-weights' };

function whatTrainingDoes(policies: Record<string, SuspectPolicy>): string {
  const distinct = new Set(Object.values(policies));
  if (distinct.size === 1) return `training ${POLICY_VERB[[...distinct][0]]} them`;
  return `training: ${Object.entries(policies).map(([model, policy]) => `${model} ${POLICY_VERB[policy]} them`).join(', ')}`;
}

/**
 * Read the recordings and say, as `data:check` does, which files were rejected and why, who has suspect recordings,
 * and whose gestures look alike. A user's own recordings are fine-tuned on whatever their quality: a personal model
 * can only be as good as they are, so their warnings say so.
 */
export function readTrainingSet(options: TrainingSetOptions, progress: Progress): TrainingSet {
  const data = loadTrainingData(options.data, { classes: options.classes, groupBy: options.groupBy, windowLength: options.windowLength, minPerClass: options.minPerClass });
  const own = options.personal ? loadTrainingData(options.personal, { classes: data.labels, groupBy: options.groupBy, windowLength: options.windowLength, minPerClass: 1 }) : null;
  const personal = own ? own.examples.map((e) => ({ ...e, group: `${OWN_PREFIX}${e.group}` })) : [];
  for (const r of [...data.rejected, ...(own?.rejected ?? [])]) progress.log(`rejected ${r.path}: ${r.reason}`);
  const suspect = { ...suspectCounts(data.examples), ...suspectCounts(personal) };
  for (const [group, s] of Object.entries(suspect)) {
    if (s.suspect === 0) continue;
    const codes = Object.entries(s.codes).map(([code, n]) => `${code} ${n}`).join(', ');
    const done = isOwn(group) ? 'fine-tuning uses them as they are' : whatTrainingDoes(options.suspectPolicies);
    progress.log(`${group}: ${s.suspect} of ${s.recordings} recordings suspect (${codes}); ${done}`);
  }
  const separability = Object.fromEntries(separabilityByGroup([...data.examples, ...personal].map((e) => ({ ...e.recording, group: e.group })), (e) => e.group));
  for (const [group, s] of Object.entries(separability)) {
    const warning = separabilityWarning(s);
    if (warning) progress.log(`${group}: ${warning}${isOwn(group) ? '; a model fine-tuned on them will confuse them too' : ''}`);
  }
  return { data, personal, suspect, separability };
}
