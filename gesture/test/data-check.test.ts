import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'gesture/src/cli/data-check.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

const csv = (rows: number) => ['timestamp,x,y,z', ...Array.from({ length: rows }, (_, i) => `${i * 10},${i},0,9.81`)].join('\n');

describe('npm run data:check', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wand-check-'));
    for (const [rel, text] of [
      ['O/output_O_ann_1_20250101_101010.csv', csv(101)],
      ['o/output_O_ben_1_20250101_101010.csv', csv(101)],
      ['V/output_V_ann_1_20250101_101010.csv', csv(101)],
      ['V/output_V_ann_2_20250101_101010.csv', 'timestamp,x,y,z\n0,1,2'],
    ]) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints counts, people and every rejected file with its reason', () => {
    const out = JSON.parse(execFileSync(TSX, [CLI, dir, '--json'], { encoding: 'utf8' }));
    expect(out).toEqual({
      recordings: 3,
      classes: { O: 2, V: 1 },
      people: 2,
      rejected: [{ path: join(dir, 'V/output_V_ann_2_20250101_101010.csv'), reason: '1 rows, fewer than the minimum of 40' }],
    });
  });

  it('prints a readable summary and exits 1 when nothing is usable', () => {
    const text = execFileSync(TSX, [CLI, dir], { encoding: 'utf8' });
    expect(text).toMatch(/3 recordings \(O: 2, V: 1\), 2 people, 1 rejected/);
    const none = spawnSync(TSX, [CLI, dir, '--min-rows', '500', '--json'], { encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(JSON.parse(none.stdout).recordings).toBe(0);
    const missing = spawnSync(TSX, [CLI, join(dir, 'nope')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/data:check: .*nope/);
  });
});
