/**
 * `npm run record` for real: socat makes a pseudo-terminal pair, the device emulator (the C++ core's
 * host build printing captures with the sketch's code) sits on one end, the recorder CLI on the
 * other, and `npm run data:check` judges what was saved. Faults on the line are injected by the
 * emulator: garbage, a capture cut short, a wand reset, a still wand, the port disappearing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, SAMPLE_DATA } from './helpers';

const TSX = require.resolve('tsx/cli');
const RECORDER = path.join(REPO_ROOT, 'firmware', 'recorder', 'cli.ts');
const EMULATOR = path.join(REPO_ROOT, 'firmware', 'recorder', 'emulator.ts');
const DATA_CHECK = path.join(REPO_ROOT, 'gesture', 'src', 'cli', 'data-check.ts');
const FILE_NAME = /^output_O_me_(\d+)_\d{8}_\d{6}\.csv$/;

let dir: string;
let children: ChildProcess[] = [];

const waitFor = async (check: () => boolean, what: string, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** socat's pty pair and the emulator on its wand end; resolves once the emulator has opened it. */
async function startWand(faults?: string): Promise<{ socat: ChildProcess; emulator: ChildProcess; host: string }> {
  const wand = path.join(dir, 'wand');
  const host = path.join(dir, 'host');
  const socat = spawn('socat', [`pty,raw,echo=0,link=${wand}`, `pty,raw,echo=0,link=${host}`], { stdio: 'ignore' });
  children.push(socat);
  await waitFor(() => existsSync(wand) && existsSync(host), 'the pty pair');
  const emulator = spawn(process.execPath, [TSX, EMULATOR, '--port', wand, '--data', SAMPLE_DATA, ...(faults ? ['--faults', faults] : [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(emulator);
  let log = '';
  emulator.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await waitFor(() => log.includes('emulator: ready'), 'the emulator');
  return { socat, emulator, host };
}

/** Runs the recorder CLI to its end (stdin not a terminal: no key presses needed). */
function record(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // the emulator does not reboot when the port opens, so the wait for its start line is kept short
    const child = spawn(process.execPath, [TSX, RECORDER, ...args, ...(args.includes('--port') ? ['--boot-wait-ms', '300'] : [])], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const filesIn = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).sort() : []);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'wand-record-'));
});
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill();
  children = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run record over a pseudo-terminal pair', () => {
  it('saves N captures in the lab layout, after the existing ones, which data:check accepts', async () => {
    const { host } = await startWand();
    const out = path.join(dir, 'data', 'me');
    mkdirSync(path.join(out, 'O'), { recursive: true });
    const existing = path.join(out, 'O', 'output_O_me_1_20250101_120000.csv');
    const sample = path.join(SAMPLE_DATA, 'O', readdirSync(path.join(SAMPLE_DATA, 'O'))[0]);
    copyFileSync(sample, existing);

    const run = await record(['--port', host, '--class', 'O', '--count', '3', '--out', out]);
    expect(run.stderr).toMatch(/3\/3 O: saved /);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/your recordings so far/); // one class: nothing to tell apart yet
    const files = filesIn(path.join(out, 'O'));
    expect(files).toHaveLength(4);
    expect(files.map((f) => Number(FILE_NAME.exec(f)?.[1]))).toEqual([1, 2, 3, 4]);
    expect(readFileSync(existing, 'utf8')).toBe(readFileSync(sample, 'utf8')); // never overwritten

    const check = spawnSync(process.execPath, [TSX, DATA_CHECK, out, '--json'], { encoding: 'utf8' });
    expect(check.status).toBe(0);
    const report = JSON.parse(check.stdout);
    expect(report).toMatchObject({ recordings: 4, classes: { O: 4 }, people: 1, rejected: [], suspect: [] });
    // each saved file is the replayed recording, as the wand printed it (2 decimals, timestamps i*10)
    const saved = readFileSync(path.join(out, 'O', files[1]), 'utf8').trim().split('\n');
    expect(saved[0]).toBe('timestamp,x,y,z');
    expect(saved).toHaveLength(102);
    expect(saved[101]).toMatch(/^1000,-?\d+\.\d\d,-?\d+\.\d\d,-?\d+\.\d\d$/);
  }, 60_000);

  it("says, once two classes can be judged, whether the person's gestures tell apart", async () => {
    const { host } = await startWand();
    const samples = readdirSync(path.join(SAMPLE_DATA, 'O')).sort().slice(0, 15);
    const fill = (out: string, label: string) => {
      mkdirSync(path.join(out, label), { recursive: true });
      samples.forEach((file, i) => copyFileSync(path.join(SAMPLE_DATA, 'O', file), path.join(out, label, `output_${label}_me_${i + 1}_20250101_1200${String(i).padStart(2, '0')}.csv`)));
    };
    // Fifteen O recordings saved earlier, then fifteen V recorded now: a sound capture.
    const sound = path.join(dir, 'sound');
    fill(sound, 'O');
    const good = await record(['--port', host, '--class', 'V', '--count', '15', '--out', sound]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/your recordings so far \((O, V|V, O)\) tell apart: a recording's nearest neighbour shows the same gesture (9\d|100) % of the time/);
    // Someone who recorded their O gesture as V before: the recorder says the two look alike.
    const alike = path.join(dir, 'alike');
    fill(alike, 'V');
    const bad = await record(['--port', host, '--class', 'O', '--count', '15', '--out', alike]);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toMatch(/your recordings so far \((O, V|V, O)\): gestures look alike: .* O and V most .*record again/);
  }, 90_000);

  it('reports garbage, a cut-short capture, a reset and a still wand, saves none of them, and records them again', async () => {
    const { host } = await startWand('garbage@1,cut@2,reset@3,still@4');
    const out = path.join(dir, 'mine');
    const run = await record(['--port', host, '--class', 'O', '--count', '2', '--out', out, '--attempts', '5']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/O 1\/2: garbage in the capture after \d+ rows: .* is not a timestamp,x,y,z row; nothing saved, recording it again/);
    expect(run.stderr).toMatch(/O 1\/2: capture cut short: 40 of 101 rows; nothing saved/);
    expect(run.stderr).toMatch(/O 1\/2: garbage in the capture after 40 rows: "ets Jun/);
    expect(run.stderr).toMatch(/O 1\/2: suspect: only 0\.\d\d g of motion: the gesture may not have been performed; nothing saved/);
    expect(filesIn(path.join(out, 'O')).filter((f) => FILE_NAME.test(f))).toHaveLength(2);
    expect(filesIn(path.join(out, 'O'))).toHaveLength(2); // no temporary files left behind
  }, 60_000);

  it('a port that disappears mid-capture is reported, and the files saved before it are kept', async () => {
    const { socat, emulator, host } = await startWand('vanish@2');
    // the wand stops mid-capture and its USB serial device goes away with it (socat's pty pair closes)
    emulator.on('exit', () => socat.kill());
    const out = path.join(dir, 'mine');
    const run = await record(['--port', host, '--class', 'O', '--count', '3', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/record: the port (disappeared|closed).*; the recordings saved so far are kept/);
    const files = filesIn(path.join(out, 'O'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(FILE_NAME);
    expect(readFileSync(path.join(out, 'O', files[0]), 'utf8').trim().split('\n')).toHaveLength(102);
  }, 60_000);

  it('gives up after the allowed attempts instead of looping on a wand that keeps failing', async () => {
    const { host } = await startWand('cut@1,cut@2');
    const run = await record(['--port', host, '--class', 'O', '--count', '1', '--out', path.join(dir, 'mine'), '--attempts', '2']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/gave up on recording 1 of O after 2 attempts/);
    expect(filesIn(path.join(dir, 'mine', 'O'))).toEqual([]);
  }, 60_000);
});

describe('npm run record without a wand', () => {
  it('lists the serial ports when --port is omitted, also without udevadm', async () => {
    const run = await record([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/then: npm run record -- --port <one of these> --class <label>/);
  });

  it.each([
    [['--port', '/dev/null', '--class', 'O/../x'], /--class: a class is 1-32 letters/],
    [['--port', '/dev/null', '--class', 'O', '--person', 'me_2'], /--person: a person is 1-32 letters/],
    [['--port', '/dev/null', '--class', 'O', '--count', '0'], /--count/],
  ])('refuses bad options before opening the port: %j', async (args, why) => {
    const run = await record(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(why);
  });

  it('says which port it cannot open', async () => {
    const run = await record(['--port', path.join(dir, 'no-such-tty'), '--class', 'O']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot open .*no-such-tty/);
  });
});
