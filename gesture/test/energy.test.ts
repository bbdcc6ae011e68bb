import { applyPreprocessing, parseManifest, PreprocessingStepSchema, rmsNormalize } from '../src';

describe('rmsNormalize step', () => {
  test('the output has unit RMS and keeps the shape of the signal', () => {
    const w = Float32Array.from([0.1, -0.2, 0.05, 0.3, 0, -0.1]);
    const out = rmsNormalize(w);
    const rms = Math.sqrt(out.reduce((s, v) => s + v * v, 0) / out.length);
    expect(rms).toBeCloseTo(1, 6);
    out.forEach((v, i) => expect(v / out[3]).toBeCloseTo(w[i] / w[3], 5));
  });

  test('a gesture drawn at a tenth of the size gives the same input', () => {
    const w = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i / 7) * (i % 3 === 2 ? 0.5 : 1));
    const small = w.map((v) => v / 10);
    const a = rmsNormalize(w);
    const b = rmsNormalize(small);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
  });

  test('a window without motion stays finite (the RMS has a floor)', () => {
    const still = new Float32Array(300);
    expect(rmsNormalize(still).every((v) => v === 0)).toBe(true);
    const tiny = new Float32Array(300).fill(1e-6);
    expect(rmsNormalize(tiny).every((v) => Number.isFinite(v) && Math.abs(v) < 1e-2)).toBe(true);
  });

  test('it is a manifest step: validated by the schema and applied in order', () => {
    expect(PreprocessingStepSchema.parse({ op: 'rmsNormalize' })).toEqual({ op: 'rmsNormalize' });
    const w = Float32Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 9.81 : 0) + Math.sin(i));
    const out = applyPreprocessing(w, [{ op: 'gravityAlign' }, { op: 'rmsNormalize' }]);
    expect(Math.sqrt(out.reduce((s, v) => s + v * v, 0) / out.length)).toBeCloseTo(1, 5);
    expect(() => parseManifest({ op: 'rmsNormalise' })).toThrow();
  });

  test('keepLevel appends ln(RMS) as a fourth channel: the amplitude the scaling removes, the same at every step', () => {
    const w = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i / 3) * 0.4);
    const plain = rmsNormalize(w);
    const kept = rmsNormalize(w, true);
    const tenth = rmsNormalize(w.map((v) => v / 10), true);
    const rms = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(kept).toHaveLength(40);
    for (let t = 0; t < 10; t++) {
      for (let a = 0; a < 3; a++) expect(kept[t * 4 + a]).toBeCloseTo(plain[t * 3 + a], 6);
      expect(kept[t * 4 + 3]).toBeCloseTo(Math.log(rms), 5);
      expect(kept[t * 4 + 3] - tenth[t * 4 + 3]).toBeCloseTo(Math.log(10), 5);
    }
    expect(applyPreprocessing(w, [PreprocessingStepSchema.parse({ op: 'rmsNormalize', keepLevel: true })])).toEqual(kept);
  });
});
