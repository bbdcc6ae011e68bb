import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { modelInput, parseManifest } from '../../gesture/src';
import { loadModel, runBatch } from '../../service/src/model';
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

describe('npm run train: rejected and suspect recordings are named, not only counted', () => {
  test('prints every rejected file with its reason, the suspect recordings per person, and whose gestures look alike', async () => {
    // 15 recordings per class and person: enough to judge whether a person's gestures tell apart.
    const data = sampleSubset(30, 2);
    const dir = join(data, 'person0', 'O');
    // person1 recorded their O for V: their O and V cannot be told apart.
    const [sameO, sameV] = ['O', 'V'].map((label) => readdirSync(join(data, 'person1', label)).sort());
    sameV.forEach((file, i) => copyFileSync(join(data, 'person1', 'O', sameO[i]), join(data, 'person1', 'V', file)));
    writeFileSync(join(dir, 'broken.csv'), 'timestamp,x,y\n0,1,2\n');
    // A board reading gravity as ~5 g: parsed and trained on, but flagged as suspect.
    const first = readdirSync(dir).filter((f) => f.startsWith('output_')).sort()[0];
    const rows = readFileSync(join(dir, first), 'utf8').trim().split('\n');
    const scaled = rows.slice(1).map((line) => line.split(',').map((v, i) => (i === 0 ? v : String(Number(v) * 2.5))).join(','));
    writeFileSync(join(dir, 'too-strong.csv'), [rows[0], ...scaled].join('\n'));
    const out = tempDir('out');
    const { stderr, stdout } = await run(TSX, [TRAIN, '--data', data, '--out', out, '--epochs', '1', '--curve', 'none', '--no-baseline', '--min-per-class', '5', '--suspect', 'drop'], { cwd: REPO });
    expect(stderr).toContain(`rejected ${join(dir, 'broken.csv')}: `);
    expect(stderr).toMatch(/person0: \d+ of \d+ recordings suspect \(gravity-range \d+.*\); training drops them/);
    expect(stderr).toMatch(/person1: gestures look alike: a recording's nearest neighbour shows the same gesture \d+ % of the time, O and V most/);
    expect(stderr).not.toMatch(/person0: gestures look alike/);
    expect(stdout).toMatch(/time per stage/);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(manifest.training.suspectRecordings).toMatchObject({ option: 'drop', edge: 'drop', cloud: 'drop' });
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/## Recording quality/);
    expect(report).toMatch(/\| person0 \| 46 \| \d+ \| gravity-range: \d+[^|]*\| (9\d|100) % \|/);
    expect(report).toMatch(/\| person1 \| 45 \| \d+ \| [^|]* \| \d+ % \(look alike\) \|/);
  }, 180000);

  test('an unknown --suspect policy is a usage mistake', async () => {
    await expect(run(TSX, [TRAIN, '--data', tempDir('x'), '--suspect', 'ignore'], { cwd: REPO })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--suspect must be recipe, keep, down-weight, drop, got "ignore"/),
    });
  }, 60000);
});

describe('npm run train --personal', () => {
  test("the final models are fine-tuned on a user's own recordings, which are named in the report and part of the data fingerprint (the version)", async () => {
    // 8 recordings per class and person: enough for a personalisation curve at 2 own per class (and 5 to test).
    const data = sampleSubset(24, 3);
    // The user recorded their O for V too: training says their gestures look alike, and so will their model.
    const own = sampleSubset(15, 1);
    const [ownO, ownV] = ['O', 'V'].map((label) => readdirSync(join(own, label)).sort());
    ownV.forEach((file, i) => copyFileSync(join(own, 'O', ownO[i]), join(own, 'V', file)));
    const common = ['--data', data, '--epochs', '1', '--curve', '2', '--no-baseline', '--min-per-class', '5'];
    const [withOwn, without] = [tempDir('own'), tempDir('pool')];
    const { stderr } = await run(TSX, [TRAIN, ...common, '--out', withOwn, '--personal', own], { cwd: REPO });
    expect(stderr).toMatch(/personal:[^:]+: gestures look alike: .*O and V most.*; a model fine-tuned on them will confuse them too/);
    expect(readFileSync(join(withOwn, 'report.md'), 'utf8')).toMatch(/\| personal:[^|]+ \| 45 \| \d+ \| [^|]* \| \d+ % \(look alike\) \|/);
    await run(TSX, [TRAIN, ...common, '--out', without], { cwd: REPO });
    const fingerprint = (dir: string) => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).version.split('-')[0];
    expect(fingerprint(withOwn)).not.toBe(fingerprint(without));
    // Named relative to the repository when beside it (a clone in /tmp sees /tmp/wand-subset-* as ../), else absolute.
    expect(readFileSync(join(withOwn, 'report.md'), 'utf8')).toMatch(new RegExp(`fine-tuned on the own recordings from \`[^\`]*${basename(own)}\` \\(45 recordings\\)`));
    // The personal cloud model reads the level channel; the edge stays what the firmware runs.
    const manifest = parseManifest(JSON.parse(readFileSync(join(withOwn, 'model.json'), 'utf8')));
    expect(manifest.models.cloud.inputShape).toEqual([50, 4]);
    expect(manifest.models.cloud.preprocessing.at(-1)).toEqual({ op: 'rmsNormalize', keepLevel: true });
    expect(manifest.models.cloud.architecture).toMatch(/\[50x4\]/);
    expect(manifest.models.edge?.inputShape).toEqual([25, 3]);
    expect(manifest.models.edge?.preprocessing.at(-1)).toEqual({ op: 'rmsNormalize' });
    // What it offloads for its user is the curve's figure at the nearest own count (15 per class: the point at 2).
    const curve = manifest.metrics.personalisation as { perClass: number; offloadFraction: number }[];
    expect(manifest.offload.personal).toEqual({ ownPerClass: 2, expectedOffloadFraction: curve.find((p) => p.perClass === 2)?.offloadFraction });
    expect(readFileSync(join(withOwn, 'report.md'), 'utf8')).toMatch(/offloads about [\d.]+ % of that user's gestures \(personalisation curve, 2 own recordings per class\)/);
    expect(parseManifest(JSON.parse(readFileSync(join(without, 'model.json'), 'utf8'))).offload.personal).toBeUndefined();
    // The service serves it as it is.
    const served = await loadModel(withOwn);
    const window = Float32Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 9.81 : 0) + Math.sin(i / 7));
    const probabilities = await runBatch(served, 1, Float32Array.from(modelInput(manifest, 'cloud', window)));
    await served.session.release();
    expect(probabilities).toHaveLength(3);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  }, 240000);
});
