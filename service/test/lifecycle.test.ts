import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { readManifest, toWindow } from '../../gesture/src';
import { copyModel, MODEL_DIR, REPO_ROOT, sampleRecordings, startTestService } from './helpers';

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm start`'s entry in a child process (tsx, as `npm start` runs it) with only the given settings. */
function startChild(env: Record<string, string>): { child: ChildProcess; exited: Promise<Exit>; output: () => string } {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', 'service/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, exited, output: () => stdout };
}

/** Corrupt a scratch copy of the model folder, start on it, and return how the start failed. */
async function startOnBrokenModel(breakIt: (dir: string) => void): Promise<Exit> {
  const { dir, cleanup } = copyModel();
  try {
    breakIt(dir);
    return await startChild({ MODEL_DIR: dir }).exited;
  } finally {
    cleanup();
  }
}

const manifest = readManifest(MODEL_DIR);
const onnxFile = manifest.models.cloud.file;
const editManifest = (dir: string, edit: (m: Record<string, unknown>) => void) => {
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, JSON.stringify(json));
};

describe('start-up refuses unusable model folders and settings', () => {
  const cases: [string, (dir: string) => void, RegExp][] = [
    ['a missing model.json', (dir) => rmSync(join(dir, 'model.json')), /model\.json: cannot read \(ENOENT\)/],
    ['a model.json that is not JSON', (dir) => writeFileSync(join(dir, 'model.json'), '{"name": '), /model\.json: not valid JSON/],
    ['a manifest missing its labels', (dir) => editManifest(dir, (m) => delete m.labels), /model\.json: labels/],
    ['a manifest with one label too many', (dir) => editManifest(dir, (m) => (m.labels as string[]).push('Extra')), new RegExp(`${onnxFile}: .*${manifest.labels.length + 1} labels`)],
    ['a manifest naming a wrong input', (dir) => editManifest(dir, (m) => ((m.models as { cloud: { inputName: string } }).cloud.inputName = 'nope')), /no input named "nope"/],
    ['a missing ONNX file', (dir) => rmSync(join(dir, onnxFile)), new RegExp(`${onnxFile}: file not found`)],
    ['a truncated ONNX file', (dir) => truncateSync(join(dir, onnxFile), Math.floor(statSync(join(dir, onnxFile)).size / 2)), new RegExp(`${onnxFile}: cannot load ONNX model`)],
  ];

  it.concurrent.each(cases)('%s: exit 1 with one line naming the file', async (_name, breakIt, message) => {
    const result = await startOnBrokenModel(breakIt);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^wandcloud service: cannot start: \//);
    expect(lines[0]).toMatch(message);
  });

  it.concurrent.each([
    ['a non-numeric PORT', { PORT: 'eighty' }, /PORT/],
    ['a short API key', { WAND_API_KEY: 'short' }, /WAND_API_KEY must be at least 16 characters/],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('%s: exit 2 naming the setting', async (_name, env, message) => {
    const result = await startChild({ MODEL_DIR, ...env }).exited;
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('short');
  });
});

describe('graceful shutdown', () => {
  /** Connect, send one request, resolve with the raw answer; `refused` when nothing listens. */
  const probe = (port: number, path: string) =>
    new Promise<string | 'refused'>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.setEncoding('utf8').on('data', (c: string) => (text += c));
      socket.once('error', () => resolve('refused'));
      socket.once('close', () => resolve(text));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    });

  it('on SIGTERM turns not ready, keeps serving for the drain period, finishes the in-flight request, and exits 0 within 10 s', async () => {
    const { child, exited, output } = startChild({ MODEL_DIR, SHUTDOWN_DRAIN_MS: '1500' });
    const port = await new Promise<number>((resolve, reject) => {
      const poll = setInterval(() => {
        const line = output().split('\n').find((l) => l.includes('"listening"'));
        if (line) {
          clearInterval(poll);
          resolve((JSON.parse(line) as { port: number }).port);
        }
      }, 50);
      exited.then(() => reject(new Error('service exited before listening')), reject);
    });

    // An in-flight request: headers and part of the body sent before the signal, the rest after. A first
    // request on the same kept-alive connection proves the server has accepted it.
    const body = JSON.stringify({ data: Array.from(toWindow(sampleRecordings()[0].samples, manifest.input.windowLength)) });
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.setEncoding('utf8').on('data', (c: string) => (response += c));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => response.includes('{"live":true}') && (clearInterval(poll), resolve()), 10);
    });
    response = '';
    socket.write(`POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body.slice(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 200));

    const signalled = Date.now();
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Draining: not ready, but a new connection is still accepted and served, and told to close.
    const readiness = await probe(port, '/v2/health/ready');
    const served = await probe(port, '/');
    await new Promise((resolve) => setTimeout(resolve, 1700));
    const afterDrain = await probe(port, '/');
    // write, not end: a half-closed connection is an aborted request to Node.
    socket.write(body.slice(100));
    await ended;
    const result = await exited;

    expect(readiness).toMatch(/^HTTP\/1\.1 503/);
    expect(readiness).toContain('{"ready":false}');
    expect(served).toMatch(/^HTTP\/1\.1 200/);
    expect(served).toMatch(/connection: close/i);
    expect(afterDrain).toBe('refused');
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toMatch(/connection: close/i);
    expect(response).toContain('"gesture"');
    expect(result.code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(result.stdout).toContain('"stopped"');
  });
});

describe('draining on stop', () => {
  it('64 kept-alive clients sending non-stop through a stop: each is told to close, none is reset', async () => {
    const service = await startTestService({ SHUTDOWN_DRAIN_MS: '1000' });
    const port = Number(new URL(service.url).port);
    const body = JSON.stringify({ data: Array.from(toWindow(sampleRecordings()[0].samples, manifest.input.windowLength)) });
    const request = `POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const tally = { ok: 0, other: 0, toldToClose: 0, reset: 0 };

    /**
     * One client behind a load balancer: requests one at a time on a kept-alive connection until an
     * answer says `Connection: close` (the balancer then sends it to another instance). A connection
     * that ends or fails while a request is unanswered, or that the server ends without saying so,
     * is a reset.
     */
    const client = () =>
      new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        let waiting = false;
        let told = false;
        const send = () => {
          waiting = true;
          socket.write(request);
        };
        socket.setEncoding('utf8');
        socket.once('connect', send);
        socket.on('data', (chunk: string) => {
          text += chunk;
          const end = text.indexOf('\r\n\r\n');
          if (end < 0) return;
          const length = Number(/content-length: (\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
          if (Buffer.byteLength(text.slice(end + 4)) < length) return;
          waiting = false;
          if (/^HTTP\/1\.1 200/.test(text)) tally.ok++;
          else tally.other++;
          told = /\r\nconnection: close\r\n/i.test(text.slice(0, end + 2));
          text = '';
          if (told) {
            tally.toldToClose++;
            socket.end();
          } else send();
        });
        socket.on('error', () => socket.destroy());
        socket.on('close', () => {
          if (waiting || !told) tally.reset++;
          resolve();
        });
      });

    const clients = Array.from({ length: 64 }, client);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const okBefore = tally.ok;
    const readyDuringDrain = new Promise<number>((resolve) => setTimeout(() => void fetch(`${service.url}/v2/health/ready`).then((r) => resolve(r.status), () => resolve(0)), 200));
    await service.stop();
    await Promise.all(clients);

    expect(await readyDuringDrain).toBe(503);
    expect(okBefore).toBeGreaterThan(0);
    expect(tally).toEqual({ ok: expect.any(Number), other: 0, toldToClose: 64, reset: 0 });
    // Each connection was served during the drain, and its last answer said to close.
    expect(tally.ok - okBefore).toBeGreaterThanOrEqual(64);
  });
});
