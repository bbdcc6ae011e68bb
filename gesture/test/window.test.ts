import fc from 'fast-check';
import { WindowError } from '../src/errors';
import { flattenWireForm, resample, toWindow } from '../src/window';

const value = fc.double({ min: -80, max: 80, noNaN: true, noDefaultInfinity: true });
const triple = fc.tuple(value, value, value);
const recording = fc.array(triple, { minLength: 10, maxLength: 400 });
const length = fc.integer({ min: 2, max: 300 });

describe('resample', () => {
  it('returns length x 3 values that stay within each axis range and keep both ends', () => {
    fc.assert(
      fc.property(recording, length, (triples, n) => {
        const w = resample(triples.flat(), n);
        expect(w).toHaveLength(n * 3);
        for (let axis = 0; axis < 3; axis++) {
          const column = triples.map((t) => Math.fround(t[axis]));
          const lo = Math.min(...column);
          const hi = Math.max(...column);
          for (let i = 0; i < n; i++) {
            expect(w[i * 3 + axis]).toBeGreaterThanOrEqual(lo - 1e-4);
            expect(w[i * 3 + axis]).toBeLessThanOrEqual(hi + 1e-4);
          }
          expect(w[axis]).toBeCloseTo(column[0], 6);
          expect(w[(n - 1) * 3 + axis]).toBeCloseTo(column[column.length - 1], 4);
        }
      }),
    );
  });

  it('is the identity at the same length and exact on linear motion', () => {
    fc.assert(
      fc.property(recording, (triples) => {
        expect(Array.from(resample(triples.flat(), triples.length))).toEqual(triples.flat().map(Math.fround));
      }),
    );
    const ramp = Array.from({ length: 151 }, (_, i) => [i, 2 * i, -i]).flat();
    const w = resample(ramp, 101);
    for (let i = 0; i < 101; i++) expect(w[i * 3]).toBeCloseTo(i * 1.5, 4);
  });

  it('resamples 1.5 s and short captures onto the same time axis', () => {
    const sine = (n: number) => Array.from({ length: n }, (_, i) => [Math.sin((2 * Math.PI * i) / (n - 1)), 0, 9.8]).flat();
    const a = resample(sine(151), 100);
    const b = resample(sine(67), 100);
    for (let i = 0; i < 100; i++) expect(Math.abs(a[i * 3] - b[i * 3])).toBeLessThan(0.01);
  });
});

describe('wire forms', () => {
  it('flat, nested triples and doubly nested forms give identical windows', () => {
    fc.assert(
      fc.property(recording, length, (triples, n) => {
        const flat = toWindow(triples.flat(), n);
        expect(toWindow(triples, n)).toEqual(flat);
        expect(toWindow([triples.flat()], n)).toEqual(flat);
        expect(toWindow([triples], n)).toEqual(flat);
        expect(toWindow(Float64Array.from(triples.flat()), n)).toEqual(flat);
      }),
    );
  });

  it('is deterministic and never changes its input', () => {
    fc.assert(
      fc.property(recording, (triples) => {
        const copy = structuredClone(triples);
        expect(toWindow(triples, 100)).toEqual(toWindow(triples, 100));
        expect(triples).toEqual(copy);
      }),
    );
  });

  const rejects = (data: unknown, message: RegExp) => {
    expect(() => flattenWireForm(data)).toThrow(WindowError);
    expect(() => flattenWireForm(data)).toThrow(message);
  };

  it('rejects every malformed input with a WindowError that says what is wrong', () => {
    rejects({ x: 1 }, /data must be an array, got a object/);
    rejects('1,2,3', /data must be an array, got a string/);
    rejects(null, /got null/);
    rejects(Array(31).fill(1), /31 numbers, not a multiple of 3/);
    rejects(Array(27).fill(1), /9 samples, at least 10/);
    rejects(Array(3003).fill(1), /too many values: at most 1000 samples/);
    // The same limit for triples, bare or wrapped once more (3,000 triples used to pass).
    rejects(Array(1001).fill([1, 2, 3]), /too many values: at most 1000 samples/);
    rejects([Array(1001).fill([1, 2, 3])], /too many values: at most 1000 samples/);
    expect(flattenWireForm(Array(1000).fill([1, 2, 3]))).toHaveLength(3000);
    rejects([...Array(29).fill(1), '2'], /data\[29\] must be a finite number, got a string/);
    rejects([...Array(29).fill(1), null], /data\[29\] must be a finite number, got null/);
    rejects(Array(12).fill([1, 2]), /data\[0\] must be an \[x, y, z\] triple/);
    rejects([...Array(11).fill([1, 2, 3]), [1, 'a', 3]], /data\[11\]\[1\] must be a finite number/);
  });

  it('rejects anything that is not a finite-number window, whatever its shape', () => {
    const junk = fc.anything({ maxDepth: 4, withTypedArray: false });
    fc.assert(
      fc.property(junk, (data) => {
        try {
          const w = toWindow(data, 100);
          expect(w.every(Number.isFinite)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(WindowError);
        }
      }),
    );
  });
});
