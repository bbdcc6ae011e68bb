/** The C++ edge features against the TypeScript preprocessing (gesture/src) on real recordings. */
import { averagePool, gravityAlign, MIN_RMS, resample, rmsNormalize } from '../../gesture/src';
import { loadWandCore } from '../host/wandcore';
import { describeWithPool } from '../../gesture/test-support/dev-pool';
import { maxAbsDiff, POOL_DATA, SAMPLE_DATA, someRecordings } from './helpers';

const core = loadWandCore();
const { windowLength, poolFactor } = core.model;
/** The TypeScript steps the bound header says the device runs. */
const tsEdgeFeatures = (window: Float32Array): Float32Array => {
  const pooled = averagePool(gravityAlign(window), poolFactor);
  return core.model.rmsNormalize ? rmsNormalize(pooled) : pooled;
};
const recordings = [...someRecordings(SAMPLE_DATA, 25), ...someRecordings(POOL_DATA, 40)];

describeWithPool('edge features on the development pool', () => {
  it('cover many people and lengths', () => {
    expect(new Set(recordings.map((r) => r.personId)).size).toBeGreaterThanOrEqual(8);
    expect(recordings.length).toBeGreaterThan(100);
  });
});

describe('edge features match gesture/src', () => {
  it('resamples, gravity-aligns, pools (and RMS-scales when the header says so) every recording within 1e-4', () => {
    let worst = 0;
    for (const r of recordings) {
      const tsWindow = resample(r.samples, windowLength);
      const tsFeatures = tsEdgeFeatures(tsWindow);
      worst = Math.max(worst, maxAbsDiff(core.resample(r.samples, windowLength), tsWindow));
      worst = Math.max(worst, maxAbsDiff(core.features(r.samples), tsFeatures));
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('handles the corner cases the TypeScript handles: one sample, gravity straight down, no gravity', () => {
    expect(Array.from(core.resample([1, 2, 3], 3))).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    const down = Float32Array.from({ length: 30 }, (_v, i) => (i % 3 === 2 ? -9.8 : (i % 3) * 0.0));
    expect(maxAbsDiff(core.gravityAlign(down), gravityAlign(down))).toBeLessThan(1e-6);
    const still = new Float32Array(30);
    still[0] = 1e-4;
    expect(maxAbsDiff(core.gravityAlign(still), gravityAlign(still))).toBeLessThan(1e-6);
    const odd = Float32Array.from({ length: 21 }, (_v, i) => i);
    expect(Array.from(core.averagePool(odd, 2))).toEqual(Array.from(averagePool(odd, 2)));
  });

  it('scales to unit RMS as energy.ts, flooring the RMS of a window without motion', () => {
    for (const r of recordings.slice(0, 20)) {
      const pooled = averagePool(gravityAlign(resample(r.samples, windowLength)), poolFactor);
      const scaled = core.rmsNormalize(pooled);
      expect(maxAbsDiff(scaled, rmsNormalize(pooled))).toBeLessThan(1e-5);
      const rms = Math.sqrt(scaled.reduce((s, v) => s + v * v, 0) / scaled.length);
      expect(rms).toBeCloseTo(1, 4);
    }
    const quiet = Float32Array.from({ length: 75 }, (_v, i) => (i % 2 ? 1e-5 : -1e-5));
    expect(maxAbsDiff(core.rmsNormalize(quiet), rmsNormalize(quiet))).toBeLessThan(1e-9);
    expect(core.rmsNormalize(quiet)[0]).toBeCloseTo(-1e-5 / MIN_RMS, 6);
    expect(Array.from(core.rmsNormalize(new Float32Array(6)))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('resamples a short and a long capture onto the same time axis as the TypeScript', () => {
    for (const n of [12, 67, 151]) {
      const samples = Float64Array.from({ length: n * 3 }, (_v, i) => Math.sin(i * 0.37) * 9);
      expect(maxAbsDiff(core.resample(samples, windowLength), resample(samples, windowLength))).toBeLessThan(1e-5);
    }
  });
});
