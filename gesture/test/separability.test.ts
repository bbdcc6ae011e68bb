import { readDatasets } from '../src/dataset';
import { SEPARABILITY_RULES, separability, separabilityWarning, type LabelledSamples } from '../src/separability';
import { DEV_POOL, describeWithPool } from '../test-support/dev-pool';

const G = 9.80665;

/** Deterministic noise, so the tests do not depend on Math.random. */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  };
}

/** A 1 s capture at 100 Hz with gravity along +z and motion `shape(t)` (in g, 3 axes), plus noise of `jitter` g. */
function capture(shape: (t: number) => [number, number, number], seed: number, jitter = 0.05): Float64Array {
  const rand = noise(seed);
  const rows = 101;
  const s = new Float64Array(rows * 3);
  for (let i = 0; i < rows; i++) {
    const m = shape(i / (rows - 1));
    s[i * 3] = (m[0] + jitter * rand()) * G;
    s[i * 3 + 1] = (m[1] + jitter * rand()) * G;
    s[i * 3 + 2] = (1 + m[2] + jitter * rand()) * G;
  }
  return s;
}

const SHAPES: Record<string, (t: number) => [number, number, number]> = {
  O: (t) => [0.6 * Math.cos(2 * Math.PI * t) - 0.6, 0, 0.6 * Math.sin(2 * Math.PI * t)],
  V: (t) => [0.5 * Math.sin(2 * Math.PI * t), 0, -0.8 * Math.sin(Math.PI * t)],
  Z: (t) => [0.6 * Math.sin(6 * Math.PI * t), 0, 0.4 * Math.sin(4 * Math.PI * t)],
};

function person(perClass: number, shapeOf: (label: string) => (t: number) => [number, number, number], jitter = 0.05): LabelledSamples[] {
  return Object.keys(SHAPES).flatMap((label, c) => Array.from({ length: perClass }, (_, i) => ({ label, samples: capture(shapeOf(label), 1000 * c + i + 1, jitter) })));
}

describe('separability', () => {
  it('finds distinct gestures distinct, with nothing to warn about', () => {
    const s = separability(person(15, (label) => SHAPES[label]));
    expect(s).toEqual({ compared: 45, agreement: 1 });
    expect(separabilityWarning(s)).toBeUndefined();
  });

  it('flags a capture whose gestures are all the same motion, naming a pair taken for each other', () => {
    const s = separability(person(15, () => SHAPES.O, 0.3));
    expect(s?.agreement).toBeLessThan(SEPARABILITY_RULES.minAgreement);
    expect(s?.confused).toHaveLength(2);
    const [a, b] = s?.confused as [string, string];
    expect(separabilityWarning(s)).toBe(
      `gestures look alike: a recording's nearest neighbour shows the same gesture ${Math.round((s?.agreement ?? 0) * 100)} % of the time, ${a} and ${b} most ` +
        '(sound captures: 75 % or more); check the board and record again',
    );
  });

  it('does not judge a person with too few recordings per class, and leaves out classes below the minimum', () => {
    expect(separability(person(SEPARABILITY_RULES.minPerClass - 1, (label) => SHAPES[label]))).toBeUndefined();
    const twoJudged = [...person(15, (label) => SHAPES[label]).filter((r) => r.label !== 'Z'), ...person(3, (label) => SHAPES[label]).filter((r) => r.label === 'Z')];
    expect(separability(twoJudged)).toEqual({ compared: 30, agreement: 1 });
    expect(separabilityWarning(undefined)).toBeUndefined();
  });

  it('compares at most maxPerClass recordings per class', () => {
    const many = person(SEPARABILITY_RULES.maxPerClass + 20, (label) => SHAPES[label]);
    expect(separability(many)?.compared).toBe(3 * SEPARABILITY_RULES.maxPerClass);
  });

  it('does not care how the wand was held or how large the gesture was drawn', () => {
    // Noisy enough that some neighbours are wrong: the figure then depends on every distance.
    const original = person(15, (label) => SHAPES[label], 4);
    const before = separability(original);
    expect(before?.agreement).toBeGreaterThan(0.4);
    expect(before?.agreement).toBeLessThan(1);
    // Every other recording held on its side (gravity along x) on a board reading 2.5 times too much.
    const mixed = original.map((r, i) => {
      if (i % 2 === 0) return r;
      const s = Float64Array.from(r.samples, (v) => v * 2.5);
      for (let k = 0; k < s.length; k += 3) [s[k], s[k + 2]] = [s[k + 2], -s[k]];
      return { ...r, samples: s };
    });
    expect(separability(mixed)).toEqual(before);
  });
});

describeWithPool('separability on the development pool', () => {
  it('tells the broken captures from sound ones', () => {
    const read = readDatasets(DEV_POOL as string, { classes: ['O', 'V', 'Z'] });
    const of = (dataset: string) => separability(read.recordings.filter((r) => r.dataset === dataset));
    expect(separabilityWarning(of('YourongXu__515-lab5'))).toMatch(/^gestures look alike/);
    expect(separabilityWarning(of('bluesparrow09__TECHIN515-magic-wand'))).toMatch(/^gestures look alike/);
    for (const sound of ['prunus77__Techin515-Lab5', 'kylewskim__TECHIN515_Lab5', 'urnotvicky-li__Techin515_Lab4']) {
      expect(of(sound)?.agreement).toBeGreaterThan(0.95);
    }
  });
});
