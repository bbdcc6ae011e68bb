import { argmax } from './calibration';

/**
 * The edge-cloud cascade: the wand answers itself when its top probability reaches the threshold and
 * asks the cloud otherwise. Everything here works on held-out predictions of both models.
 */
export interface CascadeInputs {
  edgeProbs: Float32Array;
  cloudProbs: Float32Array;
  labels: ArrayLike<number>;
  classes: number;
}

export interface CascadePoint {
  threshold: number;
  offloadFraction: number;
  accuracy: number;
}

export function cascadeAt(d: CascadeInputs, threshold: number): CascadePoint {
  const n = d.labels.length;
  let offloaded = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const edge = argmax(d.edgeProbs, i, d.classes);
    const useCloud = edge.value < threshold;
    const predicted = useCloud ? argmax(d.cloudProbs, i, d.classes).index : edge.index;
    offloaded += useCloud ? 1 : 0;
    correct += predicted === d.labels[i] ? 1 : 0;
  }
  return { threshold, offloadFraction: n ? offloaded / n : 0, accuracy: n ? correct / n : 0 };
}

/** Every distinct operating point: thresholds just above each edge confidence, plus "never offload". */
export function cascadeCurve(d: CascadeInputs): CascadePoint[] {
  const confidences = new Set<number>([0]);
  for (let i = 0; i < d.labels.length; i++) confidences.add(Math.fround(argmax(d.edgeProbs, i, d.classes).value));
  const thresholds = [...confidences].sort((a, b) => a - b).map((c) => (c === 0 ? 0 : Math.min(1, nextUp(c))));
  return thresholds.map((t) => cascadeAt(d, t));
}

/** The smallest float32 above `x`: offloading "confidence < t" then includes exactly the windows at x. */
function nextUp(x: number): number {
  const f = new Float32Array([x]);
  const bits = new Uint32Array(f.buffer);
  bits[0] += 1;
  return f[0];
}

/** Oracle: offload exactly the edge's errors first (the best any threshold rule could do), at fraction f. */
export function oracleAccuracy(d: CascadeInputs, fraction: number): number {
  const n = d.labels.length;
  const edgeWrong: number[] = [];
  let edgeRight = 0;
  for (let i = 0; i < n; i++) {
    if (argmax(d.edgeProbs, i, d.classes).index === d.labels[i]) edgeRight += 1;
    else edgeWrong.push(i);
  }
  const budget = Math.floor(fraction * n);
  const fixed = edgeWrong.slice(0, budget).filter((i) => argmax(d.cloudProbs, i, d.classes).index === d.labels[i]).length;
  return n ? (edgeRight + fixed) / n : 0;
}

export type OffloadRule = { kind: 'target'; maxDrop: number } | { kind: 'budget'; fraction: number };

export interface OffloadChoice extends CascadePoint {
  rule: string;
  cloudAccuracy: number;
}

/**
 * target: the threshold with the least offloading whose cascade accuracy is within `maxDrop` of
 * cloud-only accuracy. budget: the threshold with the highest accuracy offloading at most `fraction`.
 */
export function chooseThreshold(d: CascadeInputs, rule: OffloadRule): OffloadChoice {
  const curve = cascadeCurve(d);
  const cloudAccuracy = cascadeAt(d, Infinity).accuracy;
  if (rule.kind === 'target') {
    const ok = curve.filter((p) => p.accuracy >= cloudAccuracy - rule.maxDrop - 1e-12);
    const best = ok.reduce((a, b) => (b.offloadFraction < a.offloadFraction ? b : a), ok[ok.length - 1] ?? curve[curve.length - 1]);
    return { ...best, rule: `least offloading with cascade accuracy within ${(rule.maxDrop * 100).toFixed(2)} points of cloud-only`, cloudAccuracy };
  }
  const ok = curve.filter((p) => p.offloadFraction <= rule.fraction + 1e-12);
  const best = ok.reduce((a, b) => (b.accuracy > a.accuracy ? b : a), ok[0]);
  return { ...best, rule: `best cascade accuracy offloading at most ${(rule.fraction * 100).toFixed(1)} % of gestures`, cloudAccuracy };
}
