import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPreprocessing } from '../../gesture/src';
import { softmaxRows } from '../src/calibration/calibration';
import { loadTrainingData } from '../src/data/data';
import { exportOnnx } from '../src/export/onnx-export';
import { openSession, runSession } from '../src/export/onnx-run';
import { useWasmBackend } from '../src/models/backend';
import { modelLogits, type TrainedModel } from '../src/models/model-training';
import { headingMatrix, initialWeights } from '../src/models/network';
import { addLevelChannel, personalise } from '../src/models/personalise';
import { RECIPES, WINDOW_LENGTH } from '../src/models/recipes';
import { Rng } from '../src/support/rng';
import { SAMPLE, tempDir } from './helpers';

const pooledModel = (role: 'edge' | 'cloud'): TrainedModel => {
  const recipe = RECIPES.wand[role];
  return { recipe, steps: recipe.preprocessing([]), weights: initialWeights(recipe.network(3), new Rng(3)), trainingSteps: 0, trainingSeconds: 0 };
};

describe('the level channel of personal cloud models', () => {
  const data = loadTrainingData(SAMPLE, { groupBy: 'dataset', windowLength: WINDOW_LENGTH, minPerClass: 1 });
  const examples = data.examples.filter((_, i) => i % 40 === 0);

  beforeAll(() => useWasmBackend());

  test('only the cloud recipe asks for it; the edge stays what the firmware runs', () => {
    expect(RECIPES.wand.cloud.personalLevel).toBe(true);
    expect(RECIPES.wand.edge.personalLevel).toBeFalsy();
  });

  test('added with zero weights, the model answers exactly as before it is fine-tuned', () => {
    const pooled = pooledModel('cloud');
    const grown = addLevelChannel(pooled);
    expect(grown.weights.spec.inputShape).toEqual([50, 4]);
    expect(grown.steps.at(-1)).toEqual({ op: 'rmsNormalize', keepLevel: true });
    expect(grown.weights.weights[0]).toHaveLength((pooled.weights.weights[0].length * 4) / 3);
    const [before, after] = [modelLogits(pooled, examples), modelLogits(grown, examples)];
    for (let i = 0; i < before.length; i++) expect(Math.abs(after[i] - before[i])).toBeLessThan(1e-5);
    // ...and the level is an input it can learn from: the same motion at a tenth of the size is ln 10 lower.
    const aligned = examples[0].aligned;
    const [full, quiet] = [aligned, aligned.map((v) => v / 10)].map((w) => applyPreprocessing(w, grown.steps.slice(1)));
    expect(full[3] - quiet[3]).toBeCloseTo(Math.log(10), 4);
  });

  test('the headings turn x and y and pass the level through; ONNX and TensorFlow.js agree on 4 channels', async () => {
    const m = headingMatrix(8, 4);
    for (let j = 0; j < 8; j++) {
      for (let col = 0; col < 4; col++) expect(m[3 * 32 + 4 * j + col]).toBe(col === 3 ? 1 : 0);
      for (let row = 0; row < 3; row++) expect(m[row * 32 + 4 * j + 3]).toBe(0);
    }
    const grown = addLevelChannel(pooledModel('cloud'));
    const trained = { ...grown.weights, weights: grown.weights.weights.map((w) => w.map((_, i) => Math.sin(i) * 0.2)) };
    const file = join(tempDir('level'), 'cloud.onnx');
    writeFileSync(file, exportOnnx(trained, { name: 'level', docString: 'test' }));
    const inputs = examples.map((e) => applyPreprocessing(e.aligned, grown.steps.slice(1)));
    const session = await openSession(file);
    const ort = await runSession(session, inputs, trained.spec.inputShape);
    await session.release();
    const tfjs = softmaxRows(modelLogits({ ...grown, weights: trained }, examples), 3);
    for (let i = 0; i < tfjs.length; i++) expect(Math.abs(ort[i] - tfjs[i])).toBeLessThan(1e-5);
  });

  test('personalise fine-tunes the edge on its own input and the cloud with the level channel', () => {
    const own = examples.slice(0, 6);
    const pool = examples.slice(6);
    const edge = personalise({ model: pooledModel('edge'), pool, own, classes: 3, seed: 1, epochs: 1 });
    const cloud = personalise({ model: pooledModel('cloud'), pool, own, classes: 3, seed: 1, epochs: 1 });
    expect(edge.weights.spec.inputShape).toEqual([25, 3]);
    expect(edge.trainingSteps).toBeGreaterThan(0);
    expect(cloud.weights.spec.inputShape).toEqual([50, 4]);
    expect(cloud.recipe.personalLevel).toBe(false);
    // Fine-tuning moved the level's weights ([kernel, 4 channels, filters]: channel 3) away from zero.
    const first = cloud.weights.weights[0];
    const filters = first.length / (5 * 4);
    const levelWeights = Array.from({ length: 5 * filters }, (_, i) => first[(Math.floor(i / filters) * 4 + 3) * filters + (i % filters)]);
    expect(Math.max(...levelWeights.map(Math.abs))).toBeGreaterThan(0);
  });
});
