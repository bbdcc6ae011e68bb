import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { useWasmBackend } from '../src/models/backend';
import { softmaxRows } from '../src/calibration/calibration';
import { loadTrainingData } from '../src/data/data';
import { predictLogits } from '../src/models/fit';
import { trainModel } from '../src/models/model-training';
import { exportOnnx, foldTemperature } from '../src/export/onnx-export';
import { openSession, runSession } from '../src/export/onnx-run';
import { inputBuilder, RECIPES, WINDOW_LENGTH, type RecipeName, type Role } from '../src/models/recipes';
import { SAMPLE, tempDir } from './helpers';

// Every exported network kind (CNNs with strided convolutions and pooling, MLPs with dropout and a
// fitted standardize step) must give the same probabilities in onnxruntime as in TensorFlow.js.
describe('ONNX export matches TensorFlow.js', () => {
  const data = loadTrainingData(SAMPLE, { groupBy: 'dataset', windowLength: WINDOW_LENGTH, minPerClass: 5 });
  const train = data.examples.filter((_, i) => i % 4 === 0);
  const held = data.examples.filter((_, i) => i % 4 === 1).slice(0, 64);
  const dir = tempDir('parity');

  beforeAll(() => useWasmBackend());

  const cases: [RecipeName, Role][] = [['wand', 'edge'], ['wand', 'cloud'], ['lab-baseline', 'edge'], ['lab-baseline', 'cloud']];
  test.each(cases)('%s %s model, every window within 1e-5', async (recipeName, role) => {
    const recipe = RECIPES[recipeName][role];
    const model = trainModel({ recipe, classes: data.labels.length, train, seed: 3, epochs: 2 });
    const calibrated = foldTemperature(model.weights, 1.7);
    const file = join(dir, `${recipeName}-${role}.onnx`);
    writeFileSync(file, exportOnnx(calibrated, { name: 'parity', docString: 'test' }));
    const build = inputBuilder(recipe, model.steps);
    const inputs = held.map((e) => build(e, null));
    const session = await openSession(file);
    const ort = await runSession(session, inputs, calibrated.spec.inputShape);
    await session.release();
    const tfjs = softmaxRows(predictLogits(calibrated, inputs), data.labels.length);
    expect(ort.length).toBe(held.length * data.labels.length);
    let worst = 0;
    for (let i = 0; i < ort.length; i++) worst = Math.max(worst, Math.abs(ort[i] - tfjs[i]));
    expect(worst).toBeLessThan(1e-5);
    // The temperature is really folded in: the probabilities differ from the uncalibrated model's.
    const raw = softmaxRows(predictLogits(model.weights, inputs), data.labels.length);
    expect(Math.max(...raw.map((v, i) => Math.abs(v - tfjs[i])))).toBeGreaterThan(1e-4);
  });
});
