import { argmax } from '../calibration/calibration';

/** Accuracy of predictions (probabilities or logits, row-major) against labels. */
export function accuracy(scores: Float32Array, labels: ArrayLike<number>, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (argmax(scores, i, classes).index === labels[i]) correct++;
  return labels.length ? correct / labels.length : 0;
}

export function predictions(scores: Float32Array, n: number, classes: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => argmax(scores, i, classes).index);
}

/** counts[true][predicted]. */
export function confusionMatrix(predicted: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]] += 1;
  return m;
}

/** Accuracy per group and their unweighted mean (each person counts once, however much they recorded). */
export function groupedAccuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>, groups: readonly string[]): { perGroup: Record<string, { n: number; accuracy: number }>; macro: number; pooled: number } {
  const perGroup: Record<string, { n: number; accuracy: number }> = {};
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const g = (perGroup[groups[i]] ??= { n: 0, accuracy: 0 });
    g.n += 1;
    const ok = predicted[i] === labels[i] ? 1 : 0;
    g.accuracy += ok;
    correct += ok;
  }
  const names = Object.keys(perGroup).sort();
  for (const name of names) perGroup[name].accuracy /= perGroup[name].n;
  const macro = names.length ? names.reduce((s, n) => s + perGroup[n].accuracy, 0) / names.length : 0;
  return { perGroup: Object.fromEntries(names.map((n) => [n, perGroup[n]])), macro, pooled: labels.length ? correct / labels.length : 0 };
}
