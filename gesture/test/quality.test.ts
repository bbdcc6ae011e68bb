import { recordingWarnings } from '../src/quality';

const G = 9.80665;

/** A 1 s capture at 100 Hz: gravity `g` (in g) along +y, plus vertical motion `motion(t)` in g. */
function capture(g: number, motion: (t: number) => number, rows = 101): Float64Array {
  const s = new Float64Array(rows * 3);
  for (let i = 0; i < rows; i++) {
    const t = i / (rows - 1);
    s[i * 3] = 0.02 * G * Math.sin(7 * t);
    s[i * 3 + 1] = (g + motion(t)) * G;
    s[i * 3 + 2] = 0;
  }
  return s;
}

describe('recordingWarnings', () => {
  it('accepts an ordinary gesture whatever the grip and length', () => {
    expect(recordingWarnings(capture(1, (t) => 0.8 * Math.sin(2 * Math.PI * t)))).toEqual([]);
    expect(recordingWarnings(capture(1, (t) => 0.8 * Math.sin(2 * Math.PI * t), 151))).toEqual([]);
  });

  it('flags a board whose range setting scales gravity', () => {
    const [warning] = recordingWarnings(capture(2.6, (t) => 2 * Math.sin(2 * Math.PI * t)));
    expect(warning.code).toBe('gravity-range');
    expect(warning.message).toMatch(/^gravity reads 2\.6\d g \(expected about 1 g\)/);
    expect(recordingWarnings(capture(0.3, (t) => 0.2 * Math.sin(2 * Math.PI * t)))[0].message).toMatch(/gravity reads 0\.3/);
  });

  it('flags a wand that barely moved', () => {
    expect(recordingWarnings(capture(1, (t) => 0.05 * Math.sin(2 * Math.PI * t)))).toEqual([
      { code: 'no-motion', message: expect.stringMatching(/^only 0\.0\d g of motion/) },
    ]);
  });

  it('flags shaking instead of one stroke', () => {
    expect(recordingWarnings(capture(1, (t) => 0.6 * Math.sin(2 * Math.PI * 15 * t)))).toEqual([
      { code: 'shaking', message: expect.stringMatching(/^1[45](\.5)? vertical oscillations/) },
    ]);
  });
});
