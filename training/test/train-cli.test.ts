import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sampleSubset } from './fixtures';
import { REPO, tempDir } from './helpers';

const run = promisify(execFile);
const TSX = join(REPO, 'node_modules/.bin/tsx');
const TRAIN = join(REPO, 'training/src/cli/train.ts');

describe('npm run train: bad data stops before training with a clear message', () => {
  test.each([
    ['an empty folder', () => tempDir('empty'), [], /error: no usable recordings/],
    ['a single class', () => sampleSubset(12, 1, ['V']), [], /error: only one class \(V\)/],
    ['too few recordings', () => sampleSubset(4), [], /error: too few recordings \(O: 4, V: 4, Z: 4\); every class needs at least 10/],
    ['an unknown class', () => sampleSubset(12), ['--classes', 'O,X'], /error: class "X" has no recordings/],
  ])('%s', async (_name, makeDir, extra, message) => {
    const out = tempDir('out');
    await expect(run(TSX, [TRAIN, '--data', makeDir(), '--out', out, ...extra], { cwd: REPO })).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(message) });
  }, 60000);

  test('a usage mistake exits 2 with the usage', async () => {
    await expect(run(TSX, [TRAIN, '--data', tempDir('x'), '--offload-budget', '2'], { cwd: REPO })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--offload-budget must be a number between 0 and 1[\s\S]*usage: npm run train/),
    });
  }, 60000);
});
