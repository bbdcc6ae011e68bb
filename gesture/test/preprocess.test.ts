import fc from 'fast-check';
import { applyPreprocessing, averagePool, gravityAlign, standardize } from '../src/preprocess';

const value = fc.double({ min: -20, max: 20, noNaN: true, noDefaultInfinity: true });
const motion = fc.array(fc.tuple(value, value, value), { minLength: 20, maxLength: 120 });
const unit = fc
  .tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }))
  .filter(([x, y, z]) => Math.hypot(x, y, z) > 0.1)
  .map(([x, y, z]) => {
    const n = Math.hypot(x, y, z);
    return [x / n, y / n, z / n] as const;
  });

/** A gesture held with gravity along `up` (any grip), centred so its mean is exactly gravity. */
function held(moves: [number, number, number][], up: readonly number[], g = 9.81): Float32Array {
  const mean = [0, 1, 2].map((a) => moves.reduce((s, m) => s + m[a], 0) / moves.length);
  return Float32Array.from(moves.flatMap((m) => [0, 1, 2].map((a) => m[a] - mean[a] + up[a] * g)));
}

describe('gravityAlign', () => {
  it('maps the mean acceleration to zero and keeps each sample length (in units of g)', () => {
    fc.assert(
      fc.property(motion, unit, (moves, up) => {
        const w = held(moves, up);
        const out = gravityAlign(w);
        const n = out.length / 3;
        for (let a = 0; a < 3; a++) {
          let sum = 0;
          for (let i = 0; i < n; i++) sum += out[i * 3 + a];
          // Within 1e-6 of upside down (1 + cos < 1e-6) both this and the firmware use a plain flip instead of the
          // unstable rotation formula, so a tilt of up to sqrt(2e-6) = 1.4 mg stays in the mean: far below sensor noise.
          expect(Math.abs(sum / n)).toBeLessThan(2e-3);
        }
        for (let i = 0; i < n; i++) {
          const before = Math.hypot(w[i * 3], w[i * 3 + 1], w[i * 3 + 2]) / 9.81;
          const after = Math.hypot(out[i * 3], out[i * 3 + 1], out[i * 3 + 2] + 1);
          expect(after).toBeCloseTo(before, 3);
        }
      }),
    );
  });

  it('keeps vertical motion vertical whichever way the wand is held', () => {
    const moves: [number, number, number][] = Array.from({ length: 50 }, (_, i) => [0, 0, 3 * Math.sin(i / 4)]);
    const reference = gravityAlign(held(moves, [0, 0, 1]));
    for (const up of [[0, 0, -1], [0, 1, 0], [1, 0, 0], [0.6, 0, 0.8]]) {
      const grip = held(
        moves.map((m) => [up[0] * m[2], up[1] * m[2], up[2] * m[2]]),
        up,
      );
      const out = gravityAlign(grip);
      for (let i = 0; i < 50; i++) {
        expect(out[i * 3 + 2]).toBeCloseTo(reference[i * 3 + 2], 4);
        expect(Math.abs(out[i * 3])).toBeLessThan(1e-4);
        expect(Math.abs(out[i * 3 + 1])).toBeLessThan(1e-4);
      }
    }
  });

  it('divides by the board gravity, so a board reading gravity at 2.5 g gives the same features', () => {
    const moves: [number, number, number][] = Array.from({ length: 40 }, (_, i) => [Math.cos(i / 5), Math.sin(i / 3), 0]);
    const normal = gravityAlign(held(moves, [0, 0, 1]));
    const scaled = gravityAlign(held(moves.map((m) => [m[0] * 2.5, m[1] * 2.5, m[2] * 2.5]), [0, 0, 1], 9.81 * 2.5));
    normal.forEach((v, i) => expect(scaled[i]).toBeCloseTo(v, 5));
  });

  it('leaves a window without gravity unrotated and finite', () => {
    const out = gravityAlign(new Float32Array(300));
    expect(out.every(Number.isFinite)).toBe(true);
    expect(out[2]).toBeCloseTo(-1, 6);
  });
});

describe('averagePool and standardize', () => {
  it('averages blocks per axis', () => {
    const w = Float32Array.from([1, 10, 100, 3, 30, 300, 5, 50, 500, 7, 70, 700]);
    expect(Array.from(averagePool(w, 2))).toEqual([2, 20, 200, 6, 60, 600]);
  });

  it('standardizes per value or per axis', () => {
    const w = Float32Array.from([1, 2, 3, 5, 6, 7]);
    expect(Array.from(standardize(w, [1, 2, 3], [2, 2, 2]))).toEqual([0, 0, 0, 2, 2, 2]);
    expect(Array.from(standardize(w, [1, 2, 3, 5, 6, 7], [1, 1, 1, 1, 1, 1]))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('applies manifest steps in order without touching the input', () => {
    const w = Float32Array.from(Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 9.81 : Math.sin(i))));
    const copy = Float32Array.from(w);
    const out = applyPreprocessing(w, [{ op: 'gravityAlign' }, { op: 'averagePool', factor: 4 }]);
    expect(out).toEqual(averagePool(gravityAlign(w), 4));
    expect(out).toHaveLength(75);
    expect(w).toEqual(copy);
  });
});
