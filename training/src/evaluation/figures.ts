import { expectedCalibrationError, fitTemperature, softmaxRows } from '../calibration/calibration';
import type { Example } from '../data/data';
import type { ModelRecipe } from '../models/recipes';
import { describeNetwork, multiplyAdds, parameterCount } from '../models/network';
import type { ModelFigures } from '../train-types';
import type { OutOfFold } from './crossval';
import { confusionMatrix, groupedAccuracy, predictions } from './metrics';

/** The rows `rows` of a [N * c] logit array. */
export const subset = (logits: Float32Array, rows: number[], c: number): Float32Array => {
  const out = new Float32Array(rows.length * c);
  rows.forEach((r, i) => out.set(logits.subarray(r * c, (r + 1) * c), i * c));
  return out;
};

/** ECE of held-out probabilities when each fold's temperature is fitted on the other folds only. */
function crossFittedEce(logits: Float32Array, labels: Int32Array, foldOf: Int32Array, folds: number, c: number): number {
  const calibrated = new Float32Array(logits.length);
  for (let f = 0; f < folds; f++) {
    const inside = [...labels.keys()].filter((i) => foldOf[i] === f);
    const outside = [...labels.keys()].filter((i) => foldOf[i] !== f && foldOf[i] >= 0);
    const t = fitTemperature(subset(logits, outside, c), outside.map((i) => labels[i]), c);
    const probs = softmaxRows(subset(logits, inside, c), c, t);
    inside.forEach((idx, j) => calibrated.set(probs.subarray(j * c, (j + 1) * c), idx * c));
  }
  return expectedCalibrationError(calibrated, labels, c);
}

/** Held-out accuracy (mean over people and pooled), calibration and cost of one cross-validated model. */
export function figuresFor(key: string, model: ModelRecipe, oof: OutOfFold, rows: number[], examples: readonly Example[], c: number, folds: number): ModelFigures {
  const logits = subset(oof.logits[key], rows, c);
  const labels = Int32Array.from(rows, (i) => examples[i].label);
  const groups = rows.map((i) => examples[i].group);
  const predicted = predictions(logits, rows.length, c);
  const g = groupedAccuracy(predicted, labels, groups);
  const temperature = fitTemperature(logits, labels, c);
  const spec = model.network(c);
  return {
    accuracy: g.macro,
    macroAccuracy: g.macro,
    pooledAccuracy: g.pooled,
    perGroup: g.perGroup,
    temperature,
    eceBefore: expectedCalibrationError(softmaxRows(logits, c), labels, c),
    eceAfter: expectedCalibrationError(softmaxRows(logits, c, temperature), labels, c),
    eceAfterCrossFitted: crossFittedEce(logits, labels, Int32Array.from(rows, (i) => oof.foldOf[i]), folds, c),
    confusion: confusionMatrix(predicted, labels, c),
    parameters: parameterCount(spec),
    multiplyAdds: multiplyAdds(spec),
    architecture: describeNetwork(spec),
  };
}
