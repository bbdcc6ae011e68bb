import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTrainingData, TrainingDataError } from '../src/data/data';
import { sampleSubset } from './fixtures';
import { tempDir } from './helpers';

const load = (dir: string, extra: { classes?: string[]; minPerClass?: number } = {}) =>
  loadTrainingData(dir, { groupBy: 'dataset', windowLength: 100, minPerClass: extra.minPerClass ?? 10, classes: extra.classes });

describe('training data checks (before any training)', () => {
  test('a folder that does not exist', () => {
    expect(() => load('/nonexistent/wand')).toThrow(TrainingDataError);
    expect(() => load('/nonexistent/wand')).toThrow(/cannot read/);
  });

  test('an empty folder', () => {
    expect(() => load(tempDir('empty'))).toThrow(/no usable recordings/);
  });

  test('only broken files: says why, naming a file', () => {
    const dir = tempDir('broken');
    mkdirSync(join(dir, 'O'));
    writeFileSync(join(dir, 'O', 'bad.csv'), 'a,b\n1,2\n');
    expect(() => load(dir)).toThrow(/no usable recordings.*bad\.csv.*no x, y and z/);
  });

  test('a single class', () => {
    expect(() => load(sampleSubset(12, 1, ['O']))).toThrow(/only one class \(O\)/);
  });

  test('a class with too few recordings', () => {
    const dir = sampleSubset(12, 1, ['O', 'V']);
    expect(() => load(dir, { minPerClass: 20 })).toThrow(/too few recordings \(O: 12, V: 12\)/);
  });

  test('a requested class that the data does not have', () => {
    expect(() => load(sampleSubset(12), { classes: ['O', 'W'] })).toThrow(/class "W" has no recordings/);
  });

  test('labels follow --classes order, matched case-insensitively', () => {
    const data = load(sampleSubset(12), { classes: ['z', 'o'] });
    expect(data.labels).toEqual(['Z', 'O']);
    expect(data.examples).toHaveLength(24);
    expect(data.examples.every((e) => e.window.length === 300 && e.aligned.length === 300)).toBe(true);
  });
});
