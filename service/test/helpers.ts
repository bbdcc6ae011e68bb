import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { readDatasets, type Recording } from '../../gesture/src';
import { loadConfig } from '../src/config';
import { startServer, type RunningService } from '../src/server';

export const REPO_ROOT = resolve(__dirname, '../..');
/** The bundled model the service ships with (SERVICE_TEST_MODEL_DIR only points the tests elsewhere). */
export const MODEL_DIR = resolve(REPO_ROOT, process.env.SERVICE_TEST_MODEL_DIR ?? 'models/default');

/** Start the real service on an ephemeral loopback port with the real model; `env` overrides settings. */
export function startTestService(env: Record<string, string> = {}, logger = pino({ level: 'silent' })): Promise<RunningService> {
  const config = loadConfig({ MODEL_DIR, HOST: '127.0.0.1', PORT: '0', RATE_LIMIT_MAX: '0', ...env }, REPO_ROOT);
  return startServer(config, logger);
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** The service with its log captured in memory (pino levels: 40 warn, 50 error). */
export async function startLoggedService(env: Record<string, string> = {}): Promise<{ service: RunningService; log: LogLine[] }> {
  const log: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void log.push(JSON.parse(line) as LogLine) });
  return { service: await startTestService(env, logger), log };
}

let sample: Recording[] | undefined;
/** Real recordings from the bundled sample dataset (one person, O/V/Z). */
export function sampleRecordings(): Recording[] {
  sample ??= readDatasets(join(REPO_ROOT, 'data/sample')).recordings;
  return sample;
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Interleaved samples as the wand's wire forms. */
export const asTriples = (flat: ArrayLike<number>): number[][] =>
  Array.from({ length: flat.length / 3 }, (_, i) => [flat[i * 3], flat[i * 3 + 1], flat[i * 3 + 2]]);

/** A scratch copy of the model folder, for corrupting; removed by the returned cleanup. */
export function copyModel(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wand-model-'));
  cpSync(MODEL_DIR, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `npm start`'s entry (tsx, as `npm start` runs it) in a child process with only the given settings;
 * `port` resolves from its "listening" log line. `nodeArgs` go before the entry (e.g. a `-r` preload, after tsx's).
 */
export function startServiceProcess(env: Record<string, string>, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', ...nodeArgs, 'service/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', MODEL_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const port = new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      const line = stdout.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    void exited.then((e) => reject(new Error(`the service exited (${e.code}) before listening: ${e.stderr}`)));
  });
  return { child, exited, port };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parse the HTTP/1.1 responses in `text` (each with Content-Length), in order. */
export function parseResponses(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    const bodyBytes = Buffer.from(rest.slice(end + 4), 'latin1');
    if (bodyBytes.length < length) return out;
    out.push({ status: Number(statusLine.split(' ')[1]), headers, body: bodyBytes.subarray(0, length).toString('utf8') });
    rest = bodyBytes.subarray(length).toString('latin1');
  }
}

/**
 * Send exactly these bytes on a fresh connection (no client library adding or fixing headers) and
 * resolve with the first `count` responses, as a client built on raw sockets sees them.
 */
export function rawExchange(url: string, bytes: string | Buffer, count = 1): Promise<RawResponse[]> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const responses = parseResponses(text);
      if (responses.length >= count) {
        socket.destroy();
        resolve(responses.slice(0, count));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed after ${parseResponses(text).length} of ${count} responses`)));
    socket.write(bytes);
  });
}

/** An HTTP/1.1 request as raw bytes: the given header lines, Content-Length computed. */
export function rawRequest(method: string, path: string, headers: string[], body: string | Buffer = ''): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  const head = [`${method} ${path} HTTP/1.1`, ...headers, ...(payload.length > 0 || method === 'POST' ? [`Content-Length: ${payload.length}`] : []), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}
