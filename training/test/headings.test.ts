import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { useWasmBackend } from '../src/models/backend';
import { softmaxRows } from '../src/calibration/calibration';
import { learningRateAt, predictLogits } from '../src/models/fit';
import { describeNetwork, headingMatrix, initialWeights, type NetworkSpec } from '../src/models/network';
import { exportOnnx, foldTemperature } from '../src/export/onnx-export';
import { openSession, runSession } from '../src/export/onnx-run';
import { CLOUD_ROTATIONS, RECIPES } from '../src/models/recipes';
import { Rng } from '../src/support/rng';
import { tempDir } from './helpers';

const STEPS = 50;

/** A window [STEPS, 3] rotated about the vertical axis by `angle`. */
function rotate(window: Float32Array, angle: number): Float32Array {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const out = new Float32Array(window.length);
  for (let i = 0; i < window.length; i += 3) {
    out[i] = c * window[i] - s * window[i + 1];
    out[i + 1] = s * window[i] + c * window[i + 1];
    out[i + 2] = window[i + 2];
  }
  return out;
}

// The cloud model predicts as the mean over 8 headings, inside its ONNX graph; evaluate, the service and
// the manifest all see one window in, probabilities out, so the graph must do exactly what training measured.
describe('test-time headings of the cloud model', () => {
  const rng = new Rng(5);
  const spec: NetworkSpec = RECIPES.wand.cloud.network(3);
  const weights = initialWeights(spec, rng.fork(1));
  const windows = Array.from({ length: 12 }, () => Float32Array.from({ length: STEPS * 3 }, () => rng.normal()));
  const dir = tempDir('headings');

  beforeAll(() => useWasmBackend());

  test('the cloud recipe averages 8 headings and the manifest architecture says so', () => {
    expect(spec.rotations).toBe(CLOUD_ROTATIONS);
    expect(describeNetwork(spec)).toMatch(/^mean over 8 headings of \[50x3\]/);
  });

  test('the heading matrix rotates about z only and keeps lengths', () => {
    const m = headingMatrix(4);
    const v = [1, 2, 3];
    for (let j = 0; j < 4; j++) {
      const r = [0, 1, 2].map((col) => v[0] * m[3 * 4 * 0 + 3 * j + col] + v[1] * m[3 * 4 * 1 + 3 * j + col] + v[2] * m[3 * 4 * 2 + 3 * j + col]);
      expect(r[2]).toBeCloseTo(3, 6);
      expect(Math.hypot(r[0], r[1])).toBeCloseTo(Math.hypot(1, 2), 5);
    }
  });

  test('probabilities are the mean of the single-heading probabilities, then the temperature', async () => {
    const plain = { ...weights, spec: { ...spec, rotations: undefined } };
    const perHeading = Array.from({ length: 8 }, (_, j) => softmaxRows(predictLogits(plain, windows.map((w) => rotate(w, (2 * Math.PI * j) / 8))), 3));
    const mean = perHeading[0].map((_, i) => perHeading.reduce((s, p) => s + p[i], 0) / 8);
    const t = 1.6;
    const expected = softmaxRows(Float32Array.from(mean, Math.log), 3, t);
    const calibrated = foldTemperature(weights, t);
    const tfjs = softmaxRows(predictLogits(calibrated, windows), 3);
    const file = join(dir, 'cloud.onnx');
    writeFileSync(file, exportOnnx(calibrated, { name: 'headings', docString: 'test' }));
    const session = await openSession(file);
    const ort = await runSession(session, windows, spec.inputShape);
    await session.release();
    for (let i = 0; i < expected.length; i++) {
      expect(Math.abs(tfjs[i] - expected[i])).toBeLessThan(1e-5);
      expect(Math.abs(ort[i] - expected[i])).toBeLessThan(1e-5);
    }
  });

  test('turning the wand by one heading step about the vertical gives the same answer', async () => {
    const file = join(dir, 'turned.onnx');
    writeFileSync(file, exportOnnx(weights, { name: 'headings', docString: 'test' }));
    const session = await openSession(file);
    const straight = await runSession(session, windows, spec.inputShape);
    const turned = await runSession(session, windows.map((w) => rotate(w, Math.PI / 4)), spec.inputShape);
    await session.release();
    for (let i = 0; i < straight.length; i++) expect(Math.abs(straight[i] - turned[i])).toBeLessThan(1e-5);
  });
});

describe('one-cycle learning rate', () => {
  const o = { learningRate: 3e-3, finalLearningRate: 3e-5, warmupFraction: 0.3 };
  test('rises from a 25th of the peak to the peak, then decays to the final rate', () => {
    expect(learningRateAt(0, 1000, o)).toBeCloseTo(3e-3 / 25, 10);
    expect(learningRateAt(300, 1000, o)).toBeCloseTo(3e-3, 10);
    expect(learningRateAt(999, 1000, o)).toBeCloseTo(3e-5, 10);
    for (let s = 1; s < 300; s++) expect(learningRateAt(s, 1000, o)).toBeGreaterThan(learningRateAt(s - 1, 1000, o));
    for (let s = 301; s < 1000; s++) expect(learningRateAt(s, 1000, o)).toBeLessThan(learningRateAt(s - 1, 1000, o));
  });
  test('without warm-up it is the cosine decay from the first step', () => {
    expect(learningRateAt(0, 100, { learningRate: 1e-3, finalLearningRate: 1e-4 })).toBeCloseTo(1e-3, 10);
    expect(learningRateAt(99, 100, { learningRate: 1e-3, finalLearningRate: 1e-4 })).toBeCloseTo(1e-4, 10);
  });
});
