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

  test('a few confident whole-class collapses do not make everyone else timid (ECE fit, not NLL)', () => {
    // 90 % of rows from a model that is right 95 % of the time and says so; 10 % always wrong at ~99 %.
    const rng = new Rng(11);
    const n = 4000;
    const logits = new Float32Array(n * 3);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = rng.int(3);
      const collapsed = i < n / 10;
      const predicted = collapsed || rng.next() >= 0.95 ? (labels[i] + 1) % 3 : labels[i];
      for (let c = 0; c < 3; c++) logits[i * 3 + c] = c === predicted ? (collapsed ? 6 : Math.log(0.95 / 0.025)) : 0;
    }
    const nll = (t: number) => {
      const p = softmaxRows(logits, 3, t);
      return -labels.reduce((s, y, i) => s + Math.log(p[i * 3 + y]), 0) / n;
    };
    const nllBest = [...Array(200).keys()].map((i) => Math.exp(Math.log(0.2) + (i / 199) * Math.log(50))).reduce((a, b) => (nll(b) < nll(a) ? b : a));
    const ece = (t: number) => expectedCalibrationError(softmaxRows(logits, 3, t), labels, 3);
    const t = fitTemperature(logits, labels, 3);
    expect(ece(t)).toBeLessThan(0.5 * ece(nllBest));
    expect(ece(t)).toBeLessThanOrEqual(ece(1));
  });

  test('an under-confident model gets T < 1', () => {
    const { logits, labels } = overconfident(2000, 3, 9);
    const timid = logits.map((v) => v / 20);
    expect(fitTemperature(timid, labels, 3)).toBeLessThan(1);
  });
});
