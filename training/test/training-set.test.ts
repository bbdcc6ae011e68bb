import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTrainingSet } from '../src/data/training-set';
import { silentProgress } from '../src/support/progress';
import { sampleSubset } from './fixtures';

const logged = () => {
  const lines: string[] = [];
  return { lines, progress: { ...silentProgress, log: (m: string) => lines.push(m) } };
};

describe('the training set stage, alone', () => {
  test('own recordings join under their own group; a rejected own file is named with its reason, as the pool\'s are', () => {
    const pool = sampleSubset(12, 3);
    const own = sampleSubset(3);
    writeFileSync(join(pool, 'person0', 'O', 'cut.csv'), 'timestamp,x,y,z\n0,1,2\n');
    writeFileSync(join(own, 'V', 'empty.csv'), '');
    const { lines, progress } = logged();
    const set = readTrainingSet({ data: pool, personal: own, groupBy: 'dataset', minPerClass: 2, windowLength: 100, suspectPolicies: { edge: 'keep', cloud: 'keep' } }, progress);
    expect(set.data.examples).toHaveLength(36);
    expect(set.personal).toHaveLength(9);
    expect(new Set(set.personal.map((e) => e.group)).size).toBe(1);
    expect(set.personal[0].group).toMatch(/^personal:/);
    expect(lines).toEqual(expect.arrayContaining([expect.stringContaining(`rejected ${join(pool, 'person0', 'O', 'cut.csv')}: `), expect.stringContaining(`rejected ${join(own, 'V', 'empty.csv')}: `)]));
  });

  test('suspect recordings are counted per person and the line says what each model\'s training does with them', () => {
    const pool = sampleSubset(12, 3);
    // Gravity read as ~2.5 g (a mis-set accelerometer range): parsed, trained on, flagged.
    const rows = Array.from({ length: 100 }, (_, i) => `${i * 10},${Math.sin(i / 5) * 8},0.5,24.5`).join('\n');
    writeFileSync(join(pool, 'person1', 'Z', 'range.csv'), `timestamp,x,y,z\n${rows}\n`);
    const { lines, progress } = logged();
    const set = readTrainingSet({ data: pool, groupBy: 'dataset', minPerClass: 2, windowLength: 100, suspectPolicies: { edge: 'keep', cloud: 'down-weight' } }, progress);
    expect(set.suspect.person1.suspect).toBeGreaterThanOrEqual(1);
    expect(set.suspect.person1.codes['gravity-range']).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => /^person1: \d+ of 13 recordings suspect \(.*gravity-range \d+.*\); training: edge keeps them, cloud down-weights them$/.test(l))).toBe(true);
  });
});
