import { existsSync } from 'node:fs';
import { gravityAlign, labelKey, readDatasets, recordingWarnings, RecordingError, toWindow, type DatasetRead, type QualityWarning, type Recording, type Rejection } from '../../../gesture/src';

/** A dataset that cannot be trained on; the message says what is wrong and what to do. */
export class TrainingDataError extends Error {
  override readonly name = 'TrainingDataError';
}

export type GroupBy = 'person' | 'dataset';

/** One recording ready for training: its resampled window and, once, its gravity-aligned version. */
export interface Example {
  recording: Recording;
  /** Resampled to the model's window length, raw m/s^2. */
  window: Float32Array;
  /** `gravityAlign(window)`: the start of every augmented pipeline. */
  aligned: Float32Array;
  label: number;
  /** Who it belongs to for grouped cross-validation. */
  group: string;
  /** Recording-quality warnings (gesture/src/quality.ts); non-empty = a suspect capture. */
  warnings: QualityWarning[];
}

export interface TrainingData {
  labels: string[];
  examples: Example[];
  rejected: Rejection[];
  groups: string[];
  classCounts: Record<string, number>;
}

export interface LoadOptions {
  classes?: readonly string[];
  groupBy: GroupBy;
  windowLength: number;
  /** Fewest recordings any class may have (a class below it cannot be learned or evaluated). */
  minPerClass: number;
}

export const groupOf = (r: Recording, groupBy: GroupBy): string => (groupBy === 'dataset' ? r.dataset : r.personId);

/** `readDatasets`, with a missing or unreadable folder reported as a TrainingDataError. */
export function readFolder(dir: string, classes?: readonly string[]): DatasetRead {
  if (!existsSync(dir)) throw new TrainingDataError(`cannot read ${dir}: no such folder`);
  try {
    return readDatasets(dir, { classes });
  } catch (err) {
    if (err instanceof RecordingError) throw new TrainingDataError(`cannot read ${dir}: ${err.message}`);
    throw err;
  }
}

/** Read, validate and window a training set; every problem that would spoil training is an error here. */
export function loadTrainingData(dir: string, options: LoadOptions): TrainingData {
  const { recordings, rejected } = readFolder(dir, options.classes);
  if (recordings.length === 0) {
    const why = rejected.length > 0 ? ` (${rejected.length} files rejected, first: ${rejected[0].path}: ${rejected[0].reason})` : '';
    throw new TrainingDataError(`no usable recordings in ${dir}${why}; expected <dir>/<class>/*.csv`);
  }
  const found = [...new Set(recordings.map((r) => r.label))];
  const labels = options.classes
    ? options.classes.map((c) => {
        const label = found.find((f) => labelKey(f) === labelKey(c));
        if (label === undefined) throw new TrainingDataError(`class "${c}" has no recordings in ${dir} (found: ${found.join(', ')})`);
        return label;
      })
    : found.sort((a, b) => labelKey(a).localeCompare(labelKey(b)));
  if (labels.length < 2) {
    throw new TrainingDataError(`only one class (${labels[0]}) in ${dir}: a classifier needs at least two`);
  }
  const classCounts = Object.fromEntries(labels.map((l) => [l, recordings.filter((r) => r.label === l).length]));
  const tooFew = labels.filter((l) => classCounts[l] < options.minPerClass);
  if (tooFew.length > 0) {
    const detail = tooFew.map((l) => `${l}: ${classCounts[l]}`).join(', ');
    throw new TrainingDataError(`too few recordings (${detail}); every class needs at least ${options.minPerClass}`);
  }
  const examples = recordings.map((recording) => {
    const window = toWindow(recording.samples, options.windowLength);
    return {
      recording,
      window,
      aligned: gravityAlign(window),
      label: labels.indexOf(recording.label),
      group: groupOf(recording, options.groupBy),
      warnings: recordingWarnings(recording.samples),
    };
  });
  const groups = [...new Set(examples.map((e) => e.group))].sort();
  return { labels, examples, rejected, groups, classCounts };
}

/** What training does with suspect recordings: train on them as on any other, draw them less often, or leave them out. */
export type SuspectPolicy = 'keep' | 'down-weight' | 'drop';
/** `--suspect`: one policy for every model, or `recipe`: each model's own (`FitSettings.suspect`, measured per model). */
export type SuspectChoice = SuspectPolicy | 'recipe';
export const SUSPECT_CHOICES: readonly SuspectChoice[] = ['recipe', 'keep', 'down-weight', 'drop'];
/** Relative draw chance of a suspect recording under 'down-weight'. */
export const SUSPECT_DRAW_WEIGHT = 0.25;

/** Per person (group): recordings, suspect recordings, and how many carry each warning code. */
export function suspectCounts(examples: readonly Example[]): Record<string, { recordings: number; suspect: number; codes: Record<string, number> }> {
  const out: Record<string, { recordings: number; suspect: number; codes: Record<string, number> }> = {};
  for (const e of examples) {
    const entry = (out[e.group] ??= { recordings: 0, suspect: 0, codes: {} });
    entry.recordings++;
    if (e.warnings.length > 0) entry.suspect++;
    for (const w of e.warnings) entry.codes[w.code] = (entry.codes[w.code] ?? 0) + 1;
  }
  return out;
}
