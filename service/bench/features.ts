/**
 * `npm run bench:features`: what this round's additions cost, printed as a table. Start-up's golden
 * check (in process), the per-window quality check (in process), and server CPU per /predict with
 * Application Insights off and on (sampled as configured by default, sending to a local HTTPS
 * ingestion endpoint), in alternating rounds so the shared machine's load hits both alike.
 */
import autocannon from 'autocannon';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readDatasets, recordingWarnings, resample } from '../../gesture/src';
import { checkGoldenVectors } from '../src/golden-check';
import { loadModel } from '../src/model';
import { startServiceProcess } from '../test/helpers';
import { selfSignedCertificate, startCollector } from '../test/support/ingestion';

const REPO = resolve(__dirname, '../..');
const MODEL_DIR = resolve(REPO, 'models/default');
const ROUNDS = 3;
const REQUESTS = 10_000;
const CLOCK_TICKS = 100;

const recordings = readDatasets(join(REPO, 'data/sample')).recordings;
const body = JSON.stringify({ data: Array.from(resample(recordings[0].samples, 100), (v) => Math.round(v * 100) / 100) });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuTicks = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

async function goldenCheckMs(): Promise<number> {
  const model = await loadModel(MODEL_DIR, 64);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await checkGoldenVectors(model, 64);
    times.push(performance.now() - started);
  }
  await model.session.release();
  return median(times);
}

function qualityCheckUs(): number {
  const windows = recordings.map((r) => Float64Array.from(resample(r.samples, 100)));
  const started = performance.now();
  for (let i = 0; i < 20; i++) for (const w of windows) recordingWarnings(w);
  return ((performance.now() - started) * 1000) / (20 * windows.length);
}

/** Server CPU (user + system) per /predict over REQUESTS requests, after a warm-up, microseconds. */
async function cpuPerRequest(env: Record<string, string>): Promise<number> {
  const service = startServiceProcess({ RATE_LIMIT_MAX: '0', ...env });
  const port = await service.port;
  const run = (amount: number) =>
    autocannon({ url: `http://127.0.0.1:${port}/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 16, amount });
  await run(2_000);
  const ticks = cpuTicks(service.child.pid!);
  const result = await run(REQUESTS);
  const us = ((cpuTicks(service.child.pid!) - ticks) / CLOCK_TICKS / result.requests.total) * 1e6;
  service.child.kill('SIGTERM');
  await service.exited;
  return us;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'wand-bench-'));
  const tls = selfSignedCertificate(scratch);
  const collector = await startCollector(tls);
  const telemetry = {
    APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-0000000be0c4;IngestionEndpoint=${collector.url}/`,
    APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
    NODE_EXTRA_CA_CERTS: tls.certFile,
  };
  try {
    const golden = await goldenCheckMs();
    const quality = qualityCheckUs();
    const off: number[] = [];
    const on: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      off.push(await cpuPerRequest({}));
      on.push(await cpuPerRequest(telemetry));
    }
    const spans = collector.envelopes.filter((e) => e.data.baseType === 'RequestData');
    const spanBytes = spans.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / (spans.length || 1);
    const rows: [string, string][] = [
      ['golden check at start (60 vectors, median of 5)', `${golden.toFixed(1)} ms`],
      ['quality check per window (mean over the sample set)', `${quality.toFixed(1)} us`],
      [`server CPU per /predict, telemetry off (rounds ${off.map((v) => v.toFixed(0)).join(', ')})`, `${median(off).toFixed(0)} us`],
      [`server CPU per /predict, telemetry on, 1 span/s (rounds ${on.map((v) => v.toFixed(0)).join(', ')})`, `${median(on).toFixed(0)} us`],
      [`request spans received for ${ROUNDS * (REQUESTS + 2_000)} requests`, String(spans.length)],
      ['mean size of one request item (JSON, before compression)', `${spanBytes.toFixed(0)} bytes`],
      ['load average at the end', readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')],
    ];
    for (const [what, value] of rows) process.stdout.write(`${what.padEnd(80)} ${value}\n`);
  } finally {
    collector.server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
