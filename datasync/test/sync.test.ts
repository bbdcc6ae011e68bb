import type { ContainerClient } from '@azure/storage-blob';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { readDatasets } from '../../gesture/src';
import { downloadRecordings } from '../src/download';
import { connectContainer, listRemote } from '../src/remote';
import type { Outcome, SyncProgress } from '../src/report';
import { uploadRecordings } from '../src/upload';
import { startAzurite, type Azurite } from './azurite';
import { copyRecordings, SAMPLE, writeBadRecordings } from './fixtures';

const CONTAINER = 'gestures';
const REPO = resolve(__dirname, '..', '..');

let work: string;
let azurite: Azurite;
let container: ContainerClient;

/** No retries: a stopped endpoint fails fast instead of backing off for a minute. */
const connect = (): ContainerClient =>
  connectContainer({ container: CONTAINER, connectionString: azurite.connectionString, pipeline: { retryOptions: { maxTries: 1 } } });

/** Calls `action` once, after `after` files have finished. */
function triggerAfter(after: number, action: () => void): SyncProgress {
  let done = 0;
  return {
    start: () => undefined,
    fileDone: (_p: string, _o: Outcome) => {
      done += 1;
      if (done === after) action();
    },
    stop: () => undefined,
  };
}

/** Every file under `dir`, relative, sorted (dot-files included, so leftovers would show). */
function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wand-datasync-'));
  azurite = await startAzurite(join(work, 'azurite'));
  container = connect();
  await container.create();
});

afterAll(async () => {
  await azurite?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('upload and download against Azurite', () => {
  let alice: string;
  let good: string[];
  let bad: string[];

  beforeAll(() => {
    alice = join(work, 'alice');
    good = copyRecordings(SAMPLE, alice, 8);
    bad = writeBadRecordings(alice);
  });

  it('uploads valid recordings under the owner prefix, with their sha256, and reports the rejected ones', async () => {
    const report = await uploadRecordings({ container, dir: alice, owner: 'alice' });
    expect(report.transferred.sort()).toEqual([...good].sort());
    expect(report.failed).toEqual([]);
    expect(report.rejected.map((r) => r.path).sort()).toEqual([...bad].sort());
    expect(report.rejected.every((r) => r.reason.length > 0)).toBe(true);

    const remote = await listRemote(container, ['alice/']);
    expect([...remote.keys()].sort()).toEqual(good.map((f) => `alice/${relative(alice, f)}`).sort());
    const byPath = new Map(readDatasets(alice).recordings.map((r) => [r.path, r.sha256]));
    for (const file of good) expect(remote.get(`alice/${relative(alice, file)}`)?.sha256).toBe(byPath.get(file));
  });

  it('re-uploads nothing when nothing changed (no blob is rewritten)', async () => {
    const before = await listRemote(container, ['alice/']);
    const report = await uploadRecordings({ container, dir: alice, owner: 'alice' });
    expect(report.transferred).toEqual([]);
    expect(report.unchanged).toHaveLength(good.length);
    const after = await listRemote(container, ['alice/']);
    for (const [name, blob] of before) expect(after.get(name)?.etag).toBe(blob.etag);
  });

  it('downloads into an empty folder byte for byte, then transfers nothing the second time', async () => {
    const target = join(work, 'download-1');
    const first = await downloadRecordings({ container, dir: target, owners: ['alice'] });
    expect(first.transferred).toHaveLength(good.length);
    expect(first.failed).toEqual([]);
    for (const file of good) {
      expect(readFileSync(join(target, 'alice', relative(alice, file))).equals(readFileSync(file))).toBe(true);
    }
    expect(listTree(target)).toHaveLength(good.length);
    const second = await downloadRecordings({ container, dir: target, owners: ['alice'] });
    expect(second.transferred).toEqual([]);
    expect(second.unchanged).toHaveLength(good.length);
  });

  it('never silently overwrites a local file edited after the download; --overwrite restores it', async () => {
    const target = join(work, 'download-2');
    await downloadRecordings({ container, dir: target, owners: ['alice'] });
    const edited = join(target, 'alice', relative(alice, good[0]));
    appendFileSync(edited, '990,0.00,0.00,9.81\r\n');
    const editedBytes = readFileSync(edited);

    const kept = await downloadRecordings({ container, dir: target, owners: ['alice'] });
    expect(kept.conflicts.map((c) => c.path)).toEqual([edited]);
    expect(kept.transferred).toEqual([]);
    expect(readFileSync(edited).equals(editedBytes)).toBe(true);

    const forced = await downloadRecordings({ container, dir: target, owners: ['alice'], overwrite: true });
    expect(forced.transferred).toEqual([edited]);
    expect(readFileSync(edited).equals(readFileSync(good[0]))).toBe(true);
  });

  it('replaces a blob with a locally edited recording, but not with an older different one', async () => {
    const file = good[1];
    const name = `alice/${relative(alice, file)}`;
    // The sample files end lines with CRLF; the appended rows keep that.
    appendFileSync(file, '990,0.00,0.00,9.81\r\n');
    const newer = await uploadRecordings({ container, dir: alice, owner: 'alice' });
    expect(newer.transferred).toEqual([file]);

    appendFileSync(file, '1000,0.00,0.00,9.81\r\n');
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, past, past);
    const before = (await listRemote(container, [name])).get(name);
    const older = await uploadRecordings({ container, dir: alice, owner: 'alice' });
    expect(older.conflicts.map((c) => c.path)).toEqual([file]);
    expect((await listRemote(container, [name])).get(name)?.etag).toBe(before?.etag);
  });

  it('pools several owners into one training set tagged by person, and fetches only the owners asked for', async () => {
    const bob = join(work, 'bob');
    copyRecordings(SAMPLE, bob, 3, (name) => name.replace('_Cherry_', '_Bob_'));
    expect((await uploadRecordings({ container, dir: bob, owner: 'bob' })).transferred).toHaveLength(9);

    const onlyBob = join(work, 'only-bob');
    await downloadRecordings({ container, dir: onlyBob, owners: ['bob'] });
    expect(readdirSync(onlyBob)).toEqual(['bob']);

    const pooled = join(work, 'pooled');
    await downloadRecordings({ container, dir: pooled, owners: ['alice', 'bob'] });
    const read = readDatasets(pooled);
    expect(read.rejected).toEqual([]);
    expect(read.recordings).toHaveLength(good.length + 9);
    const people = new Map<string, number>();
    for (const r of read.recordings) people.set(r.personId, (people.get(r.personId) ?? 0) + 1);
    expect(Object.fromEntries(people)).toEqual({ 'alice/cherry': good.length, 'bob/bob': 9 });
  });
});

describe('interruption and resume', () => {
  it('resumes an upload cut off by a storage outage, ending with every file in the container', async () => {
    const carol = join(work, 'carol');
    const files = copyRecordings(SAMPLE, carol, 10);
    const first = await uploadRecordings({
      container,
      dir: carol,
      owner: 'carol',
      concurrency: 2,
      progress: triggerAfter(5, () => void azurite.stop()),
    });
    expect(first.transferred.length).toBeGreaterThanOrEqual(5);
    expect(first.failed.length).toBeGreaterThan(0);
    expect(first.transferred.length + first.failed.length).toBe(files.length);

    await azurite.start();
    const landed = (await listRemote(container, ['carol/'])).size;
    const second = await uploadRecordings({ container, dir: carol, owner: 'carol' });
    expect(second.failed).toEqual([]);
    expect(second.unchanged).toHaveLength(landed);
    expect(second.transferred).toHaveLength(files.length - landed);

    const check = join(work, 'carol-check');
    await downloadRecordings({ container, dir: check, owners: ['carol'] });
    for (const file of files) expect(readFileSync(join(check, 'carol', relative(carol, file))).equals(readFileSync(file))).toBe(true);
  });

  it('leaves no partial file after an interrupted download and completes on the next run', async () => {
    const target = join(work, 'download-interrupted');
    const abort = new AbortController();
    const first = await downloadRecordings({
      container,
      dir: target,
      owners: ['carol'],
      concurrency: 1,
      signal: abort.signal,
      progress: triggerAfter(4, () => abort.abort()),
    });
    expect(first.transferred).toHaveLength(4);
    expect(first.failed.length).toBeGreaterThan(0);
    expect(listTree(target)).toHaveLength(4);

    const second = await downloadRecordings({ container, dir: target, owners: ['carol'] });
    expect(second.failed).toEqual([]);
    expect(second.unchanged).toHaveLength(4);
    expect(second.transferred).toHaveLength(first.failed.length);
  });
});

describe('npm run data:upload / data:download', () => {
  const run = (args: string[], env: Record<string, string | undefined>) =>
    spawnSync(process.execPath, [join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO, 'datasync', 'src', 'cli.ts'), ...args], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, AZURE_STORAGE_CONNECTION_STRING: undefined, WAND_STORAGE_URL: undefined, ...env },
    });

  it('uploads with a summary and a non-zero exit only for failures', () => {
    const dave = join(work, 'dave');
    copyRecordings(SAMPLE, dave, 2);
    writeBadRecordings(dave);
    const result = run(['upload', dave, '--owner', 'dave'], { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
    expect(result.stdout).toContain('6 uploaded, 0 unchanged, 0 conflicts, 0 failed, 3 rejected');
    expect(result.stdout).toContain('output_O_cherry_901_20250101_000000.csv: empty file');
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('AccountKey');
    expect(result.stdout).not.toContain('look alike');
  });

  it('uploads recordings whose gestures look alike, and says so', () => {
    // erin's V folder holds her O recordings again: the two cannot be told apart.
    const erin = join(work, 'erin');
    copyRecordings(SAMPLE, erin, 15);
    const [os, vs] = ['O', 'V'].map((label) => readdirSync(join(erin, label)).sort());
    vs.forEach((file, i) => copyFileSync(join(erin, 'O', os[i]), join(erin, 'V', file)));
    const result = run(['upload', erin, '--owner', 'erin'], { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('45 uploaded');
    expect(result.stdout).toMatch(/look alike \(uploaded, but a model will confuse these gestures: worth recording again\):\n {2}erin\/cherry: gestures look alike: .* O and V most/);
  });

  it('stops on a bad config before any network call, naming what to set', () => {
    const result = run(['download', join(work, 'nowhere')], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('set WAND_STORAGE_URL (or --account-url) or AZURE_STORAGE_CONNECTION_STRING');
  });
});
