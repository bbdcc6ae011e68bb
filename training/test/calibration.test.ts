import { expectedCalibrationError, fitTemperature, softmaxRows } from '../src/calibration/calibration';
import { Rng } from '../src/support/rng';

/** Synthetic over-confident classifier: right 70 % of the time, but its logits say ~99 %. */
function overconfident(n: number, classes: number, seed: number) {
  const rng = new Rng(seed);
  const logits = new Float32Array(n * classes);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.int(classes);
    const predicted = rng.next() < 0.7 ? labels[i] : (labels[i] + 1 + rng.int(classes - 1)) % classes;
    for (let c = 0; c < classes; c++) logits[i * classes + c] = rng.normal() * 0.5 + (c === predicted ? 6 : 0);
  }
  return { logits, labels };
}

describe('temperature scaling', () => {
  test('fitting T on a miscalibrated model lowers its expected calibration error', () => {
    const { logits, labels } = overconfident(3000, 3, 7);
    const before = expectedCalibrationError(softmaxRows(logits, 3), labels, 3);
    const t = fitTemperature(logits, labels, 3);
    const after = expectedCalibrationError(softmaxRows(logits, 3, t), labels, 3);
    expect(before).toBeGreaterThan(0.2);
    expect(t).toBeGreaterThan(1.5);
    expect(after).toBeLessThan(0.05);
    // The temperature also carries over to fresh data from the same model.
    const fresh = overconfident(3000, 3, 8);
    expect(expectedCalibrationError(softmaxRows(fresh.logits, 3, t), fresh.labels, 3)).toBeLessThan(0.05);
  });

  test('temperature never changes which class wins', () => {
    const { logits } = overconfident(200, 4, 3);
    const a = softmaxRows(logits, 4, 1);
    const b = softmaxRows(logits, 4, 3.3);
    for (let i = 0; i < 200; i++) {
      const row = (p: Float32Array) => [...p.subarray(i * 4, i * 4 + 4)].indexOf(Math.max(...p.subarray(i * 4, i * 4 + 4)));
      expect(row(b)).toBe(row(a));
    }
  });

  test('an under-confident model gets T < 1', () => {
    const { logits, labels } = overconfident(2000, 3, 9);
    const timid = logits.map((v) => v / 20);
    expect(fitTemperature(timid, labels, 3)).toBeLessThan(1);
  });
});
