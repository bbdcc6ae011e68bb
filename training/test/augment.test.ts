import { augmentAligned, DEFAULT_AUGMENT, type AugmentOptions } from '../src/augmentation/augment';
import { Rng } from '../src/support/rng';

const N = 100;
/** A smooth aligned window: distinct, non-zero curves on the three axes. */
const window = Float32Array.from({ length: N * 3 }, (_, k) => {
  const t = Math.floor(k / 3) / (N - 1);
  return [Math.sin(2 * Math.PI * t) + 0.3, Math.cos(2 * Math.PI * t) - 0.2, 1 + t][k % 3];
});
/** No heading-independent change: the vertical axis (z) comes out as the time map made it. */
const still: AugmentOptions = { tilt: 0, amplitude: [1, 1], speed: [1, 1], shift: 0, warp: 0, mirror: 0 };
const zOf = (w: Float32Array) => Array.from({ length: N }, (_, i) => w[i * 3 + 2]);

describe('augmentation', () => {
  test('tempo options at chance 0 draw nothing: the default augmentation stream is unchanged', () => {
    const off: AugmentOptions = { ...DEFAULT_AUGMENT, squeeze: { chance: 0, length: [0.4, 0.9] }, repeat: { chance: 0, max: 3 } };
    expect(augmentAligned(window, new Rng(5), off)).toEqual(augmentAligned(window, new Rng(5)));
  });

  test('a heading turns about the vertical: z and the horizontal length are kept', () => {
    const out = augmentAligned(window, new Rng(2), still);
    for (let i = 0; i < N; i++) {
      expect(out[i * 3 + 2]).toBeCloseTo(window[i * 3 + 2], 5);
      expect(Math.hypot(out[i * 3], out[i * 3 + 1])).toBeCloseTo(Math.hypot(window[i * 3], window[i * 3 + 1]), 5);
    }
  });

  test('vertical: the vertical motion is scaled against the horizontal, within the range', () => {
    const factors = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const out = augmentAligned(window, new Rng(seed), { ...still, vertical: [0.8, 1.25] });
      const factor = out[2] / window[2];
      factors.add(factor.toFixed(3));
      expect(factor).toBeGreaterThanOrEqual(0.8);
      expect(factor).toBeLessThanOrEqual(1.25);
      for (let i = 0; i < N; i++) {
        expect(out[i * 3 + 2]).toBeCloseTo(window[i * 3 + 2] * factor, 5);
        expect(Math.hypot(out[i * 3], out[i * 3 + 1])).toBeCloseTo(Math.hypot(window[i * 3], window[i * 3 + 1]), 5);
      }
    }
    expect(factors.size).toBeGreaterThan(5);
  });

  test('squeeze: the gesture fills one stretch of the window, still (zero) before and after', () => {
    for (let seed = 0; seed < 20; seed++) {
      const z = zOf(augmentAligned(window, new Rng(seed), { ...still, squeeze: { chance: 1, length: [0.4, 0.6] } }));
      const moving = z.flatMap((v, i) => (v !== 0 ? [i] : []));
      const [first, last] = [moving[0], moving[moving.length - 1]];
      expect(moving.length).toBe(last - first + 1);
      expect(moving.length).toBeGreaterThanOrEqual(0.4 * N - 1);
      expect(moving.length).toBeLessThanOrEqual(0.6 * N + 1);
      // The whole gesture is in the stretch: it starts and ends where the original does.
      expect(z[first]).toBeCloseTo(window[2], 1);
      expect(z[last]).toBeCloseTo(window[(N - 1) * 3 + 2], 1);
    }
  });

  test('repeat: the gesture drawn twice, each time twice as fast', () => {
    const z = zOf(augmentAligned(window, new Rng(3), { ...still, repeat: { chance: 1, max: 2 } }));
    for (let i = 0; i < N / 2 - 1; i++) {
      expect(z[i]).toBeCloseTo(window[Math.min(N - 1, 2 * i) * 3 + 2], 1);
      expect(z[i + N / 2]).toBeCloseTo(z[i], 1);
    }
  });
});
