import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'gesture/src/cli/data-check.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** A capture with gravity along z and a vertical stroke of `amplitude` m/s^2. */
const csv = (rows: number, amplitude = 4) =>
  ['timestamp,x,y,z', ...Array.from({ length: rows }, (_, i) => `${i * 10},0.2,0,${(9.81 + amplitude * Math.sin((2 * Math.PI * i) / (rows - 1))).toFixed(2)}`)].join('\n');

describe('npm run data:check', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wand-check-'));
    for (const [rel, text] of [
      ['O/output_O_ann_1_20250101_101010.csv', csv(101)],
      ['o/output_O_ben_1_20250101_101010.csv', csv(101)],
      ['V/output_V_ann_1_20250101_101010.csv', csv(101)],
      ['V/output_V_ann_2_20250101_101010.csv', 'timestamp,x,y,z\n0,1,2'],
      ['O/output_O_cat_1_20250101_101010.csv', csv(101, 0.5)],
    ]) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints counts, people and every rejected file with its reason', () => {
    const out = JSON.parse(execFileSync(TSX, [CLI, dir, '--json'], { encoding: 'utf8' }));
    expect(out).toEqual({
      recordings: 4,
      classes: { O: 3, V: 1 },
      people: 3,
      rejected: [{ path: join(dir, 'V/output_V_ann_2_20250101_101010.csv'), reason: '1 rows, fewer than the minimum of 40' }],
      suspect: [{ path: join(dir, 'O/output_O_cat_1_20250101_101010.csv'), warnings: [{ code: 'no-motion', message: expect.stringMatching(/^only 0\.05 g of motion/) }] }],
      separability: [],
    });
  });

  it('prints a readable summary and exits 1 when nothing is usable', () => {
    const text = execFileSync(TSX, [CLI, dir], { encoding: 'utf8' });
    expect(text).toMatch(/4 recordings \(O: 3, V: 1\), 3 people, 1 rejected/);
    expect(text).toMatch(/suspect .*output_O_cat_1_20250101_101010.csv: only 0.05 g of motion/);
    const none = spawnSync(TSX, [CLI, dir, '--min-rows', '500', '--json'], { encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(JSON.parse(none.stdout).recordings).toBe(0);
    const missing = spawnSync(TSX, [CLI, join(dir, 'nope')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/data:check: .*nope/);
  });

  it('names the people whose gestures look alike, and only them', () => {
    const people = mkdtempSync(join(tmpdir(), 'wand-alike-'));
    // dan draws every gesture as the same vertical stroke; eve's O is vertical and her V sideways.
    const stroke = (axis: 'x' | 'z', i: number) =>
      ['timestamp,x,y,z', ...Array.from({ length: 101 }, (_, t) => {
        const m = 4 * Math.sin((2 * Math.PI * t) / 100) + 0.3 * Math.sin(0.7 * t * (i + 1));
        return `${t * 10},${axis === 'x' ? m.toFixed(2) : '0.2'},0,${(9.81 + (axis === 'z' ? m : 0)).toFixed(2)}`;
      })].join('\n');
    for (let i = 0; i < 15; i++) {
      for (const [rel, text] of [
        [`O/output_O_dan_${i}_20250101_101010.csv`, stroke('z', i)],
        [`V/output_V_dan_${i}_20250101_101010.csv`, stroke('z', i + 15)],
        [`O/output_O_eve_${i}_20250101_101010.csv`, stroke('z', i)],
        [`V/output_V_eve_${i}_20250101_101010.csv`, stroke('x', i)],
      ]) {
        mkdirSync(join(people, rel, '..'), { recursive: true });
        writeFileSync(join(people, rel), text);
      }
    }
    try {
      const out = JSON.parse(execFileSync(TSX, [CLI, people, '--json'], { encoding: 'utf8' }));
      const name = people.split('/').pop();
      expect(out.separability).toEqual([
        { person: `${name}/dan`, compared: 30, agreement: expect.any(Number), confused: ['O', 'V'], warning: expect.stringMatching(/^gestures look alike/) },
        { person: `${name}/eve`, compared: 30, agreement: 1 },
      ]);
      expect(out.separability[0].agreement).toBeLessThan(0.75);
      const text = execFileSync(TSX, [CLI, people], { encoding: 'utf8' });
      expect(text).toMatch(/1 of 2 people judged have gestures that look alike/);
      expect(text).toMatch(new RegExp(`${name}/dan: gestures look alike: a recording's nearest neighbour shows the same gesture \\d+ % of the time, O and V most`));
      expect(text).not.toMatch(/eve: gestures look alike/);
      expect(text).toMatch(/people: dan \(gestures tell apart \d+ %\), eve \(gestures tell apart 100 %\)/);
    } finally {
      rmSync(people, { recursive: true, force: true });
    }
  });
});
