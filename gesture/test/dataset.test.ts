import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_POOL, describeWithPool } from '../test-support/dev-pool';
import {
  canonicalLabels,
  findDatasetFolders,
  fingerprintRecordings,
  personFromFileName,
  readDatasets,
  type DatasetRead,
} from '../src/dataset';


const goodCsv = (rows = 101, shift = 0): string =>
  ['timestamp,x,y,z', ...Array.from({ length: rows }, (_, i) => `${i * 10},${(i + shift) / 10},0.5,9.81`)].join('\n');

describe('personFromFileName', () => {
  it.each([
    ['output_O_Cherry_100_20250520_083953.csv', 'O', 'cherry'],
    ['output_V_Oulu_100_20250508_154142.csv', 'V', 'oulu'],
    ['output_gesture_user_10_20250516_142922.csv', 'V', 'user'],
    ['output_A_yourong_20.csv', 'A', 'yourong'],
    ['output_o_yourong_1.csv', 'O', 'yourong'],
    ['output_yourong_1.csv', 'Some_class', 'yourong'],
    ['output_Some_class_ann_lee_3_20250101_101010.csv', 'Some_class', 'ann_lee'],
  ])('%s in %s -> %s', (file, cls, person) => {
    expect(personFromFileName(file, cls)).toBe(person);
  });

  it.each(['recording1.csv', 'output_O_kyle.csv', 'output_5.csv'])('%s has no person', (file) => {
    expect(personFromFileName(file, 'O')).toBeUndefined();
  });
});

describe('canonicalLabels', () => {
  it('merges folders that differ only in case, preferring the upper-case spelling whatever the order', () => {
    expect(canonicalLabels(['o', 'O', 'v', 'Some_class', 'SOME_CLASS']).get('o')).toBe('O');
    expect(canonicalLabels(['O', 'o']).get('o')).toBe('O');
    expect(canonicalLabels(['v']).get('v')).toBe('v');
  });
});

describeWithPool('readDatasets on the development pool', () => {
  const POOL = DEV_POOL as string;
  let read: DatasetRead;
  beforeAll(() => {
    read = readDatasets(POOL);
  });

  it('reads every dataset folder, and every CSV on disk is either a recording or a rejection', () => {
    const datasets = findDatasetFolders(POOL);
    expect(datasets.length).toBe(12);
    for (const dir of datasets) {
      const onDisk = readdirSync(dir).flatMap((cls) => readdirSync(join(dir, cls)).filter((f) => f.endsWith('.csv')));
      const kept = read.recordings.filter((r) => r.path.startsWith(dir + '/')).length;
      const rejected = read.rejected.filter((r) => r.path.startsWith(dir + '/')).length;
      expect(kept + rejected).toBe(onDisk.length);
      expect(kept).toBeGreaterThan(0);
    }
  });

  it('merges o/O and v/V into one class each across datasets', () => {
    const labels = new Set(read.recordings.map((r) => r.label));
    expect([...labels].sort()).toEqual(['A', 'O', 'Some_class', 'V', 'Z']);
    const vicky = read.recordings.filter((r) => r.dataset.startsWith('urnotvicky-li'));
    expect(new Set(vicky.map((r) => r.label))).toEqual(new Set(['O', 'V', 'Z']));
  });

  it('tags recordings with dataset and person, and keeps 67-row captures for resampling', () => {
    const cherry = read.recordings.filter((r) => r.dataset === 'prunus77__Techin515-Lab5');
    expect(cherry.length).toBe(523);
    expect(new Set(cherry.map((r) => r.personId))).toEqual(new Set(['prunus77__Techin515-Lab5/cherry']));
    expect(read.recordings.some((r) => r.rows === 67)).toBe(true);
  });

  it('keeps only the requested classes, compared case-insensitively', () => {
    const ovz = readDatasets(POOL, { classes: ['o', 'v', 'z'] });
    expect(new Set(ovz.recordings.map((r) => r.label))).toEqual(new Set(['O', 'V', 'Z']));
    expect(ovz.recordings.length).toBe(read.recordings.filter((r) => ['O', 'V', 'Z'].includes(r.label)).length);
  });
});

describe('readDatasets on crafted bad files', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wand-dataset-'));
    const write = (rel: string, text: string) => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    write('alice/O/output_O_alice_1_20250101_101010.csv', goodCsv());
    write('alice/o/output_o_alice_2_20250101_101011.csv', goodCsv(101, 1));
    write('alice/V/output_V_alice_1_20250101_101012.csv', goodCsv(151));
    write('alice/V/empty.csv', '');
    write('alice/V/short.csv', goodCsv(12));
    write('alice/V/nan.csv', goodCsv().replace('0.5', 'NaN'));
    write('alice/V/ragged.csv', goodCsv() + '\n1,2');
    write('alice/V/notes.txt', 'not a recording');
    write('bob/Z/recording.csv', goodCsv());
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports each bad file with its path and reason and keeps every good one', () => {
    const read = readDatasets(root);
    expect(read.recordings.map((r) => [r.dataset, r.label, r.person, r.rows])).toEqual([
      ['alice', 'O', 'alice', 101],
      ['alice', 'V', 'alice', 151],
      ['alice', 'O', 'alice', 101],
      ['bob', 'Z', 'bob', 101],
    ]);
    const reasons = Object.fromEntries(read.rejected.map((r) => [r.path.slice(root.length + 1), r.reason]));
    expect(reasons).toEqual({
      'alice/V/empty.csv': 'empty file',
      'alice/V/short.csv': '12 rows, fewer than the minimum of 40',
      'alice/V/nan.csv': expect.stringMatching(/non-numeric y value "NaN" at line 2/),
      'alice/V/ragged.csv': expect.stringMatching(/ragged row at line 103/),
    });
  });

  it('reads one dataset folder directly as well as a folder of datasets', () => {
    const one = readDatasets(join(root, 'bob'));
    expect(one.recordings).toHaveLength(1);
    expect(one.recordings[0].personId).toBe('bob/bob');
  });

  it('fingerprints content, not read order', () => {
    const { recordings } = readDatasets(root);
    const fp = fingerprintRecordings(recordings);
    expect(fingerprintRecordings([...recordings].reverse())).toBe(fp);
    expect(fingerprintRecordings(recordings.slice(1))).not.toBe(fp);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
  });
});
