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
});
