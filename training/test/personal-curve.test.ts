import { loadTrainingData } from '../src/data/data';
import { leaveOneGroupOut } from '../src/data/folds';
import { crossValidate } from '../src/evaluation/crossval';
import { personalisationCurve, type CurveRequest } from '../src/evaluation/personal-curve';
import { useWasmBackend } from '../src/models/backend';
import { RECIPES, WINDOW_LENGTH } from '../src/models/recipes';
import { silentProgress } from '../src/support/progress';
import { sampleSubset } from './fixtures';

// Three "people" of 8 recordings per class: k = 2 leaves 6 per class of each to test on.
describe('the personalisation curve runs the cascade as the wand would', () => {
  let base: Omit<CurveRequest, 'offload'>;
  beforeAll(async () => {
    await useWasmBackend();
    const data = loadTrainingData(sampleSubset(24, 3), { groupBy: 'dataset', windowLength: WINDOW_LENGTH, minPerClass: 5 });
    const folds = leaveOneGroupOut(data.examples);
    const oof = crossValidate({ examples: data.examples, folds, classes: 3, recipes: RECIPES.wand, seed: 2, epochs: 1, progress: silentProgress });
    base = { examples: data.examples, folds, oof, ks: [2], classes: 3, seed: 2, epochs: 1, progress: silentProgress };
  }, 120000);

  const curveAt = (threshold: number) => personalisationCurve({ ...base, offload: { threshold, temperatures: { edge: 1.3, cloud: 0.7 } } });

  test('every point is measured on the three people, before (k = 0) and after fine-tuning', () => {
    expect(curveAt(0.5).map((p) => [p.perClass, p.people])).toEqual([[0, 3], [2, 3]]);
  }, 60000);

  test('a threshold no confidence reaches offloads everything: the cascade is the cloud', () => {
    for (const p of curveAt(1.01)) {
      expect(p.offloadFraction).toBe(1);
      expect(p.cascade).toBeCloseTo(p.cloud, 10);
    }
  }, 60000);

  test('a threshold of zero offloads nothing: the cascade is the edge', () => {
    for (const p of curveAt(0)) {
      expect(p.offloadFraction).toBe(0);
      expect(p.cascade).toBeCloseTo(p.edge, 10);
    }
  }, 60000);

  test('the threshold moves only the cascade, and a higher one offloads at least as much', () => {
    const [low, high] = [curveAt(0.4), curveAt(0.6)];
    // The same fine-tuning seeds at every threshold: the models, so their accuracies, do not depend on it.
    expect(high.map((p) => [p.edge, p.cloud])).toEqual(low.map((p) => [p.edge, p.cloud]));
    high.forEach((p, i) => expect(p.offloadFraction).toBeGreaterThanOrEqual(low[i].offloadFraction));
  }, 120000);
});
