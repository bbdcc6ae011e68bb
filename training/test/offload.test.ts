import { cascadeAt, chooseThreshold, oracleAccuracy, type CascadeInputs } from '../src/calibration/offload';

/** Two classes; each window: edge probability of class 0, cloud probability of class 0, label. */
function make(rows: [number, number, number][]): CascadeInputs {
  return {
    edgeProbs: Float32Array.from(rows.flatMap(([e]) => [e, 1 - e])),
    cloudProbs: Float32Array.from(rows.flatMap(([, c]) => [c, 1 - c])),
    labels: rows.map(([, , l]) => l),
    classes: 2,
  };
}

// Edge is confident and right on the first 6, unsure (and wrong on 2) on the last 4; the cloud is always right.
const DATA = make([
  [0.99, 0.9, 0], [0.98, 0.9, 0], [0.02, 0.1, 1], [0.03, 0.1, 1], [0.97, 0.9, 0], [0.04, 0.1, 1],
  [0.6, 0.9, 0], [0.55, 0.1, 1], [0.42, 0.8, 0], [0.7, 0.9, 0],
]);

describe('offloading threshold', () => {
  test('target rule: least offloading that stays within the target of cloud-only accuracy', () => {
    const choice = chooseThreshold(DATA, { kind: 'target', maxDrop: 0.005 });
    expect(choice.cloudAccuracy).toBe(1);
    expect(choice.accuracy).toBe(1);
    // The edge errors have top confidences 0.55 and 0.58: offloading exactly those two is enough.
    expect(choice.offloadFraction).toBeCloseTo(0.2, 10);
    const check = cascadeAt(DATA, choice.threshold);
    expect(check.accuracy).toBe(1);
    expect(check.offloadFraction).toBeCloseTo(0.2, 10);
  });

  test('a looser target offloads less', () => {
    const strict = chooseThreshold(DATA, { kind: 'target', maxDrop: 0 });
    const loose = chooseThreshold(DATA, { kind: 'target', maxDrop: 0.1 });
    expect(loose.offloadFraction).toBeLessThan(strict.offloadFraction);
    expect(loose.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  test('budget rule never exceeds the budget', () => {
    const choice = chooseThreshold(DATA, { kind: 'budget', fraction: 0.1 });
    expect(choice.offloadFraction).toBeLessThanOrEqual(0.1);
    expect(choice.accuracy).toBe(0.9);
  });

  test('threshold 0 never offloads, a threshold above 1 always does', () => {
    expect(cascadeAt(DATA, 0)).toMatchObject({ offloadFraction: 0, accuracy: 0.8 });
    expect(cascadeAt(DATA, 1.01)).toMatchObject({ offloadFraction: 1, accuracy: 1 });
  });

  test('oracle fixes exactly the edge errors first', () => {
    expect(oracleAccuracy(DATA, 0)).toBe(0.8);
    expect(oracleAccuracy(DATA, 0.1)).toBe(0.9);
    expect(oracleAccuracy(DATA, 0.2)).toBe(1);
  });
});
