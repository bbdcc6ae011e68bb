import { groupedAccuracy, predictions } from '../evaluation/metrics';
import { softmaxRows } from './calibration';
import type { Role } from '../models/recipes';
import { cascadeCurve, chooseThreshold, oracleAccuracy, type CascadeInputs, type OffloadRule } from './offload';

/** What the exported models keep from the held-out stage: each one's temperature and the edge-confidence threshold. */
export interface OffloadSettings {
  threshold: number;
  temperatures: Record<Role, number>;
}

/**
 * The offloading stage on held-out predictions: calibrated probabilities of both models, the threshold
 * the rule picks, the accuracy-vs-offload curve (and the oracle's), and the cascade's own predictions.
 */
export function heldOutCascade(
  logits: { edge: Float32Array; cloud: Float32Array },
  temperatures: { edge: number; cloud: number },
  labels: Int32Array,
  groups: string[],
  c: number,
  rule: OffloadRule,
) {
  const cascadeData: CascadeInputs = {
    edgeProbs: softmaxRows(logits.edge, c, temperatures.edge),
    cloudProbs: softmaxRows(logits.cloud, c, temperatures.cloud),
    labels,
    classes: c,
  };
  const choice = chooseThreshold(cascadeData, rule);
  const curve = cascadeCurve(cascadeData);
  const oracle = Array.from({ length: 21 }, (_, i) => ({ offloadFraction: i / 20, accuracy: oracleAccuracy(cascadeData, i / 20) }));
  const cascadePred = Int32Array.from(labels, (_, i) => {
    const edge = predictions(cascadeData.edgeProbs.subarray(i * c, (i + 1) * c), 1, c)[0];
    const conf = cascadeData.edgeProbs[i * c + edge];
    return conf < choice.threshold ? predictions(cascadeData.cloudProbs.subarray(i * c, (i + 1) * c), 1, c)[0] : edge;
  });
  return { cascadeData, choice, curve, oracle, cascadePred, cascadeGrouped: groupedAccuracy(cascadePred, labels, groups) };
}
