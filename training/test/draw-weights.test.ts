import type { Example } from '../src/data/data';
import { loadTrainingData } from '../src/data/data';
import { useWasmBackend } from '../src/models/backend';
import { drawWeightsFor, FINE_TUNE, suspectPolicyOf, trainModel } from '../src/models/model-training';
import { RECIPES, WINDOW_LENGTH } from '../src/models/recipes';
import { SAMPLE } from './helpers';

const pool = (sizes: Record<string, number>): Example[] =>
  Object.entries(sizes).flatMap(([group, n]) => Array.from({ length: n }, () => ({ group, warnings: [] as Example['warnings'] }) as Example));
const sum = (w: Float64Array, from: number, to: number) => w.slice(from, to).reduce((a, b) => a + b, 0);

describe('training draws', () => {
  test('no own recordings and no balancing: uniform (no weights at all)', () => {
    expect(drawWeightsFor(pool({ a: 10, b: 90 }), 0, 0.25, 0)).toBeUndefined();
  });

  test('own recordings get their share of the draws however few they are', () => {
    const w = drawWeightsFor(pool({ a: 300, b: 600 }), 15, 0.25, 0) as Float64Array;
    expect(w).toHaveLength(915);
    expect(sum(w, 900, 915) / sum(w, 0, 915)).toBeCloseTo(0.25, 10);
    expect(w[0]).toBeCloseTo(w[899], 12);
  });

  test('group balance 1 gives every person the same share of the pool', () => {
    const w = drawWeightsFor(pool({ a: 10, b: 90 }), 0, 0.25, 1) as Float64Array;
    expect(sum(w, 0, 10)).toBeCloseTo(sum(w, 10, 100), 10);
  });

  test('down-weighted suspect recordings are drawn a quarter as often as the others of their person', () => {
    const examples = pool({ a: 4 });
    examples[1] = { ...examples[1], warnings: [{ code: 'gravity-range', message: 'x' }] };
    const w = drawWeightsFor(examples, 0, 0.25, 0, 0.25) as Float64Array;
    expect(w[1] / w[0]).toBeCloseTo(0.25, 10);
    expect(drawWeightsFor(examples, 0, 0.25, 0, 1)).toBeUndefined();
  });
});

describe('fine-tuning on own recordings', () => {
  test('draws them half of the time (FINE_TUNE), and only when fine-tuning a pooled model', async () => {
    await useWasmBackend();
    const data = loadTrainingData(SAMPLE, { groupBy: 'dataset', windowLength: WINDOW_LENGTH, minPerClass: 1 });
    const train = data.examples.slice(0, 192);
    const own = data.examples.slice(192, 198);
    const request = { recipe: RECIPES.wand.edge, classes: data.labels.length, train, seed: 1, epochs: 1 };
    const pooled = trainModel(request);
    // 192 pool draws = 3 steps of 64; fine-tuning 192 + 192 own = 6.
    expect(pooled.trainingSteps).toBe(3);
    expect(trainModel({ ...request, personal: own, from: pooled }).trainingSteps).toBe(Math.ceil((192 / (1 - FINE_TUNE.personalShare)) / 64));
    expect(FINE_TUNE.personalShare).toBe(0.5);
    expect(() => trainModel({ ...request, personal: own })).toThrow(/fine-tune a pooled model/);
  });
});

describe('suspect recordings, per model', () => {
  test('`--suspect recipe` gives each model its measured policy (cloud down-weights, edge keeps); a named one applies to all', () => {
    expect(suspectPolicyOf(RECIPES.wand.cloud)).toBe('down-weight');
    expect(suspectPolicyOf(RECIPES.wand.edge, 'recipe')).toBe('keep');
    expect(suspectPolicyOf(RECIPES['lab-baseline'].cloud)).toBe('keep');
    expect(suspectPolicyOf(RECIPES.wand.cloud, 'keep')).toBe('keep');
    expect(suspectPolicyOf(RECIPES.wand.edge, 'drop')).toBe('drop');
  });

  test('training applies the resolved policy: a recipe that drops trains on the sound recordings only', async () => {
    await useWasmBackend();
    const data = loadTrainingData(SAMPLE, { groupBy: 'dataset', windowLength: WINDOW_LENGTH, minPerClass: 1 });
    const train = data.examples.slice(0, 192).map((e, i) => ({ ...e, warnings: i % 3 === 0 ? [{ code: 'no-motion' as const, message: 'x' }] : [] }));
    const dropping = { ...RECIPES.wand.edge, fit: { ...RECIPES.wand.edge.fit, suspect: 'drop' as const } };
    const request = { recipe: dropping, classes: data.labels.length, train, seed: 1, epochs: 1 };
    expect(trainModel(request).trainingSteps).toBe(2);
    expect(trainModel({ ...request, suspect: 'keep' }).trainingSteps).toBe(3);
  });
});
