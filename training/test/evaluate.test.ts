import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEV_POOL, describeWithPool } from '../../gesture/test-support/dev-pool';
import { REPO, tempDir } from './helpers';

const run = promisify(execFile);
const TSX = join(REPO, 'node_modules/.bin/tsx');
const EVALUATE = join(REPO, 'training/src/cli/evaluate.ts');

/** A few real recordings of two people, one of them with a class the default model does not know. */
function realSubset(): string {
  const pool = DEV_POOL as string;
  const root = tempDir('eval');
  const take: [string, string, number][] = [
    ['kylewskim__TECHIN515_Lab5', 'O', 4], ['kylewskim__TECHIN515_Lab5', 'V', 4], ['kylewskim__TECHIN515_Lab5', 'Z', 4],
    ['YourongXu__515-lab5', 'O', 3], ['YourongXu__515-lab5', 'V', 3], ['YourongXu__515-lab5', 'A', 5],
  ];
  for (const [dataset, label, n] of take) {
    const dir = join(root, dataset, label);
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(join(pool, dataset, label)).sort().slice(0, n)) copyFileSync(join(pool, dataset, label, f), join(dir, f));
  }
  return root;
}

describeWithPool('npm run evaluate', () => {
  test('--json: accuracies, offload fraction, per person, and unknown labels reported rather than guessed', async () => {
    const { stdout } = await run(TSX, [EVALUATE, '--model', join(REPO, 'models/default'), '--data', realSubset(), '--json'], { cwd: REPO });
    const e = JSON.parse(stdout);
    expect(e.n).toBe(18);
    for (const part of [e.edge, e.cloud, e.cascade]) {
      expect(part.accuracy).toBeGreaterThanOrEqual(0);
      expect(part.accuracy).toBeLessThanOrEqual(1);
    }
    expect(e.cascade.offloadFraction).toBeGreaterThanOrEqual(0);
    expect(e.cascade.offloadFraction).toBeLessThanOrEqual(1);
    expect(Object.keys(e.perPerson).sort()).toEqual(['YourongXu__515-lab5', 'kylewskim__TECHIN515_Lab5']);
    expect(e.perPerson['kylewskim__TECHIN515_Lab5'].n).toBe(12);
    expect(e.unknownLabels).toEqual({ A: 5 });
    // The confusion matrix counts exactly the scored recordings, and cloud accuracy is its diagonal.
    const total = e.confusion.cloud.flat().reduce((a: number, b: number) => a + b, 0);
    const diagonal = e.confusion.cloud.reduce((s: number, row: number[], i: number) => s + row[i], 0);
    expect(total).toBe(18);
    expect(e.cloud.accuracy).toBeCloseTo(diagonal / 18, 10);
  }, 60000);

  test('a model folder without a manifest is a clear error', async () => {
    await expect(run(TSX, [EVALUATE, '--model', tempDir('nomodel'), '--data', realSubset()], { cwd: REPO })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/model\.json: cannot read/),
    });
  }, 60000);
});
