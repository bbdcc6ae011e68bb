/**
 * Temperature scaling (one scalar T: softmax(logits / T)) fitted on held-out people, and the expected
 * calibration error it is judged by. T keeps the ranking of classes, so accuracy does not change.
 */

export function softmaxRows(logits: Float32Array, classes: number, temperature = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length; r += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[r + c] / temperature);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      out[r + c] = Math.exp(logits[r + c] / temperature - max);
      sum += out[r + c];
    }
    for (let c = 0; c < classes; c++) out[r + c] /= sum;
  }
  return out;
}

/** Mean negative log-likelihood of the labels under softmax(logits / T). */
export function negativeLogLikelihood(logits: Float32Array, labels: ArrayLike<number>, classes: number, temperature: number): number {
  const p = softmaxRows(logits, classes, temperature);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(p[i * classes + labels[i]], 1e-12));
  return sum / labels.length;
}

/** The T that minimises held-out NLL, by golden-section search over log T (NLL is unimodal in T). */
export function fitTemperature(logits: Float32Array, labels: ArrayLike<number>, classes: number): number {
  if (labels.length === 0) return 1;
  const f = (logT: number) => negativeLogLikelihood(logits, labels, classes, Math.exp(logT));
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let i = 0; i < 60; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = f(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  confidence: number;
  accuracy: number;
}

/** Top-label confidence vs accuracy in equal-width bins. */
export function reliability(probs: Float32Array, labels: ArrayLike<number>, classes: number, bins = 10): ReliabilityBin[] {
  const out = Array.from({ length: bins }, (_, b) => ({ lower: b / bins, upper: (b + 1) / bins, count: 0, confidence: 0, accuracy: 0 }));
  for (let i = 0; i < labels.length; i++) {
    const { index, value } = argmax(probs, i, classes);
    const bin = out[Math.min(bins - 1, Math.floor(value * bins))];
    bin.count += 1;
    bin.confidence += value;
    bin.accuracy += index === labels[i] ? 1 : 0;
  }
  for (const bin of out) {
    if (bin.count > 0) {
      bin.confidence /= bin.count;
      bin.accuracy /= bin.count;
    }
  }
  return out;
}

/** Expected calibration error: the count-weighted gap between confidence and accuracy over bins. */
export function expectedCalibrationError(probs: Float32Array, labels: ArrayLike<number>, classes: number, bins = 10): number {
  if (labels.length === 0) return 0;
  return reliability(probs, labels, classes, bins).reduce((s, b) => s + (b.count * Math.abs(b.confidence - b.accuracy)) / labels.length, 0);
}

export function argmax(values: ArrayLike<number>, row: number, classes: number): { index: number; value: number } {
  let index = 0;
  for (let c = 1; c < classes; c++) if (values[row * classes + c] > values[row * classes + index]) index = c;
  return { index, value: values[row * classes + index] };
}
