import { softmaxRows } from '../calibration/calibration';
import type { OffloadSettings } from '../calibration/cascade';
import { cascadeAt } from '../calibration/offload';
import type { OutOfFold } from './crossval';
import type { Example, SuspectChoice } from '../data/data';
import type { Fold } from '../data/folds';
import { accuracy } from './metrics';
import { modelLogits } from '../models/model-training';
import { personalise } from '../models/personalise';
import type { Progress } from '../support/progress';
import type { Role } from '../models/recipes';
import { Rng } from '../support/rng';

/** Accuracy on held-out people after adding k of their own recordings per class (k = 0: none). */
export interface CurvePoint {
  perClass: number;
  edge: number;
  cloud: number;
  /** The two as the wand runs them: the class model's temperatures and offloading threshold, unchanged. */
  cascade: number;
  /** The share of gestures the wand then offloads: a personal edge is surer, so it asks less often. */
  offloadFraction: number;
  /** People whose data allowed the measurement (enough recordings per class). */
  people: number;
}

type Scores = Omit<CurvePoint, 'perClass' | 'people'>;

export interface CurveRequest {
  examples: readonly Example[];
  folds: Fold[];
  oof: OutOfFold;
  ks: number[];
  classes: number;
  /** The held-out evaluation's calibration and threshold, which a personal model keeps. */
  offload: OffloadSettings;
  seed: number;
  epochs?: number;
  suspect?: SuspectChoice;
  progress: Progress;
}

/** Recordings a person needs per class: the largest k for training plus a few to test on. */
const TEST_PER_CLASS = 5;

/**
 * For each held-out person with enough recordings, set aside max(ks) recordings per class as
 * "their own", test on the rest, and make that fold's pooled model theirs with the first k of them
 * as `--personal` does (`personalise`). Every k is tested on the same recordings, so the points
 * are comparable.
 */
export function personalisationCurve(req: CurveRequest): CurvePoint[] {
  const maxK = Math.max(...req.ks);
  const c = req.classes;
  const { threshold, temperatures } = req.offload;
  const sums = new Map<number, Scores & { people: number }>();
  for (const k of [0, ...req.ks]) sums.set(k, { edge: 0, cloud: 0, cascade: 0, offloadFraction: 0, people: 0 });
  const add = (k: number, logits: Record<Role, Float32Array>, labels: Int32Array) => {
    const edgeProbs = softmaxRows(logits.edge, c, temperatures.edge);
    const cloudProbs = softmaxRows(logits.cloud, c, temperatures.cloud);
    const cascade = cascadeAt({ edgeProbs, cloudProbs, labels, classes: c }, threshold);
    const sum = sums.get(k) as Scores & { people: number };
    sum.edge += accuracy(edgeProbs, labels, c);
    sum.cloud += accuracy(cloudProbs, labels, c);
    sum.cascade += cascade.accuracy;
    sum.offloadFraction += cascade.offloadFraction;
    sum.people += 1;
  };
  req.folds.forEach((fold, f) => {
    const rng = new Rng(req.seed + 31 * f);
    const byClass = Array.from({ length: c }, (_, label) => rng.shuffle(fold.test.filter((i) => req.examples[i].label === label)));
    const present = byClass.filter((members) => members.length > 0);
    if (present.length < 2 || present.some((members) => members.length < maxK + TEST_PER_CLASS)) {
      for (let i = 0; i < req.ks.length * 2; i++) req.progress.stage(`${fold.name}: too few recordings for the personalisation curve`);
      return;
    }
    const test = present.flatMap((members) => members.slice(maxK));
    const testExamples = test.map((i) => req.examples[i]);
    const labels = Int32Array.from(testExamples, (e) => e.label);
    const heldOut = (role: Role) => {
      const logits = new Float32Array(test.length * c);
      test.forEach((idx, j) => logits.set(req.oof.logits[role].subarray(idx * c, (idx + 1) * c), j * c));
      return logits;
    };
    add(0, { edge: heldOut('edge'), cloud: heldOut('cloud') }, labels);
    const train = fold.train.map((i) => req.examples[i]);
    for (const k of req.ks) {
      const own = present.flatMap((members) => members.slice(0, k)).map((i) => req.examples[i]);
      const personal = (role: Role) => {
        req.progress.stage(`${fold.name}: ${role} with ${k} own per class`);
        const model = personalise({
          model: req.oof.models[f][role],
          pool: train,
          own,
          classes: c,
          seed: req.seed + f * 7919 + k,
          suspect: req.suspect,
          epochs: req.epochs,
          onEpoch: (e, total) => req.progress.epoch(e + 1, total),
        });
        return modelLogits(model, testExamples);
      };
      add(k, { edge: personal('edge'), cloud: personal('cloud') }, labels);
    }
  });
  return [...sums.entries()]
    .filter(([, s]) => s.people > 0)
    .map(([perClass, s]) => ({
      perClass,
      edge: s.edge / s.people,
      cloud: s.cloud / s.people,
      cascade: s.cascade / s.people,
      offloadFraction: s.offloadFraction / s.people,
      people: s.people,
    }));
}
