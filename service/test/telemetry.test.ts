import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest, resample } from '../../gesture/src';
import { ConfigError, loadConfig } from '../src/config';
import { MODEL_DIR, postJson, REPO_ROOT, sampleRecordings, startServiceProcess } from './helpers';
import { metricsByName, selfSignedCertificate, startCollector } from './support/ingestion';

const manifest = readManifest(MODEL_DIR);
const IKEY = '00000000-1111-2222-3333-444444444444';
/** Rows of the one OIP request whose session run is made to fail (no start-up run has this size). */
const FAILING_BATCH = 7;

describe('Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING set): sent for real to a local ingestion endpoint', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let output: string;
  const answers: { confidence: number; quality?: { code: string }[] }[] = [];
  let metrics: ReturnType<typeof metricsByName>;

  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'wand-telemetry-'));
    const tls = selfSignedCertificate(scratch);
    collector = await startCollector(tls);
    const service = startServiceProcess(
      {
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${IKEY};IngestionEndpoint=${collector.url}/`,
        // Every span sent: the test checks their content, not the sampler.
        TELEMETRY_TRACES_PER_SECOND: '100',
        NODE_EXTRA_CA_CERTS: tls.certFile,
        // The SDK's own usage reports go to Microsoft, not to the connection string's endpoint: none offline.
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        FAIL_RUN_ROWS: String(FAILING_BATCH),
      },
      ['-r', './service/test/support/failing-session.ts'],
    );
    const url = `http://127.0.0.1:${await service.port}`;
    const good = sampleRecordings().filter((_, i) => i % 50 === 0);
    const tooStrong = Array.from(resample(good[0].samples, 100), (v) => v * 2.5);
    // Half one gesture, half another: windows no model should be sure of, so low-confidence answers are counted.
    const byLabel = manifest.labels.map((label) => sampleRecordings().find((r) => r.label === label)!);
    const blends = byLabel.map((a, i) => {
      const x = resample(a.samples, 100);
      const y = resample(byLabel[(i + 1) % byLabel.length].samples, 100);
      return Array.from(x, (v, j) => (v + y[j]) / 2);
    });
    for (const data of [...good.map((r) => Array.from(resample(r.samples, 100))), tooStrong, ...blends]) {
      const res = await postJson(`${url}/predict`, { data });
      expect(res.status).toBe(200);
      answers.push((await res.json()) as (typeof answers)[number]);
    }
    expect((await postJson(`${url}/predict?key=secret-in-query`, { data: 'x' })).status).toBe(400);
    // A model run that fails inside the service (injected): a 500, to arrive as a failed request and an exception.
    const rows = Array.from({ length: FAILING_BATCH }, (_, i) => Array.from(resample(good[i % good.length].samples, 100)));
    const infer = await postJson(`${url}/v2/models/${manifest.name}/infer`, {
      inputs: [{ name: 'window', datatype: 'FP32', shape: [FAILING_BATCH, 300], data: rows.flat() }],
    });
    expect(infer.status).toBe(500);
    // SIGTERM: shutdown flushes the buffered spans and one final metrics export before exit.
    service.child.kill('SIGTERM');
    const exit = await service.exited;
    expect(exit.code).toBe(0);
    output = exit.stdout + exit.stderr;
    metrics = metricsByName(collector.envelopes);
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => collector.server.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  const requests = () => collector.envelopes.filter((e) => e.data.baseType === 'RequestData').map((e) => e.data.baseData);
  const total = (name: string, where: Record<string, string> = {}) =>
    (metrics.get(name) ?? []).filter((m) => Object.entries(where).every(([k, v]) => m.properties[k] === v)).reduce((sum, m) => sum + m.value, 0);

  it('posts to the ingestion endpoint of the connection string, with its instrumentation key', () => {
    expect(collector.paths.length).toBeGreaterThan(0);
    expect(collector.paths.every((p) => p.startsWith('POST /v2.1/track '))).toBe(true);
    expect(collector.envelopes.every((e) => e.iKey === IKEY)).toBe(true);
  });

  it('sends each request by route pattern with its status; a 500 is a failure with its exception', () => {
    const sent = requests();
    expect(sent.filter((r) => r.name === 'POST /predict' && r.responseCode === '200' && r.success)).toHaveLength(answers.length);
    // Application Insights' own convention (as its standard metrics count them): a 4xx is unsuccessful too.
    expect(sent.filter((r) => r.responseCode === '400')).toEqual([expect.objectContaining({ name: 'POST /predict', success: false })]);
    const failed = sent.filter((r) => r.responseCode === '500');
    expect(failed).toEqual([expect.objectContaining({ name: 'POST /v2/models/:name/infer', success: false })]);
    expect(failed[0].properties).toMatchObject({ 'wand.model': `${manifest.name} ${manifest.version}` });
    const exceptions = collector.envelopes.filter((e) => e.data.baseType === 'ExceptionData');
    expect(exceptions).toHaveLength(1);
    expect(JSON.stringify(exceptions[0].data.baseData)).toContain('injected failure');
    // No query strings, bodies or keys: the URL is the route pattern.
    expect(JSON.stringify(collector.envelopes)).not.toContain('secret-in-query');
    expect(output).not.toMatch(/telemetry: could not send/);
  });

  it('sends the offloading metrics: predictions per class, low-confidence answers, quality warnings, batch size, inference time', () => {
    const perClass = manifest.labels.map((label) => total('wand_predictions', { class: label }));
    expect(perClass.reduce((a, b) => a + b, 0)).toBe(answers.length);
    const low = answers.filter((a) => a.confidence < manifest.offload.threshold * 100).length;
    expect(low).toBeGreaterThan(0);
    expect(total('wand_low_confidence_predictions')).toBe(low);
    const warned = answers.filter((a) => a.quality?.some((w) => w.code === 'gravity-range')).length;
    expect(warned).toBeGreaterThan(0);
    expect(total('wand_quality_warnings', { code: 'gravity-range' })).toBe(warned);
    expect(metrics.get('wand_inference_batch_rows')?.length).toBeGreaterThan(0);
    expect(metrics.get('wand_inference_duration')?.length).toBeGreaterThan(0);
  });

  it('counts every request in wand_http_requests (exact under sampling), beside the standard metrics', () => {
    const requests = (route: string, status: string) => total('wand_http_requests', { route, status });
    expect(requests('/predict', '200')).toBe(answers.length);
    expect(requests('/predict', '400')).toBe(1);
    expect(requests('/v2/models/:name/infer', '500')).toBe(1);
    expect(metrics.has('requests/duration')).toBe(true);
    expect(total('exceptions/count')).toBe(1);
  });
});

it('without a connection string the telemetry libraries are not even loaded', () => {
  const script = `
    const { loadConfig } = require('./service/src/config');
    const { startServer } = require('./service/src/server');
    const pino = require('pino');
    startServer(loadConfig({ MODEL_DIR: ${JSON.stringify(MODEL_DIR)}, HOST: '127.0.0.1', PORT: '0' }), pino({ level: 'silent' }))
      .then(async (s) => {
        await fetch(s.url + '/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: Array(300).fill(1) }) });
        await s.stop();
        console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('monitor-opentelemetry') || k.includes('@opentelemetry/sdk-'))));
      });`;
  const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toEqual([]);
});

it.each([
  ['no instrumentation key', 'IngestionEndpoint=https://example.invalid/;Other=1', /must carry InstrumentationKey/],
  ['a key that is not a GUID', 'InstrumentationKey=not-a-guid-secret;IngestionEndpoint=https://example.invalid/', /lowercase GUID/],
  ['an endpoint that is not a URL', `InstrumentationKey=${IKEY};IngestionEndpoint=example invalid`, /IngestionEndpoint must be a URL/],
])('a connection string with %s stops the start (exit 2 path), without echoing it', (_name, connectionString, message) => {
  const attempt = () => loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString });
  expect(attempt).toThrow(ConfigError);
  expect(attempt).toThrow(message);
  expect(attempt).not.toThrow(/example|secret/);
});
