import { Agent, request } from 'node:http';
import { readManifest, toWindow } from '../../gesture/src';
import type { RunningService } from '../src/server';
import { MODEL_DIR, postJson, sampleRecordings, startTestService } from './helpers';

const manifest = readManifest(MODEL_DIR);
const window = () => Array.from(toWindow(sampleRecordings()[0].samples, manifest.input.windowLength));
/** Test-only key, made up here; real keys live in App Service settings. */
const KEY = 'test-key-0123456789abcdef';

describe('API key (WAND_API_KEY)', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ WAND_API_KEY: KEY });
  });
  afterAll(() => service.stop());

  const protectedCalls = (): [string, () => Promise<Response>][] => [
    ['/predict', () => postJson(`${service.url}/predict`, { data: window() })],
    ['/v2/.../infer', () => postJson(`${service.url}/v2/models/${manifest.name}/infer`, { inputs: [] })],
    ['/metrics', () => fetch(`${service.url}/metrics`)],
    ['/v2/models/{name}', () => fetch(`${service.url}/v2/models/${manifest.name}`)],
  ];

  it('refuses inference, metadata and metrics without a key (401, clear message)', async () => {
    for (const [name, call] of protectedCalls()) {
      const res = await call();
      expect([name, res.status]).toEqual([name, 401]);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as { error: string }).error).toMatch(/API key is required/);
    }
  });

  it('refuses a wrong key, including one that differs only in length', async () => {
    for (const wrong of ['nope', `${KEY}x`, KEY.slice(0, -1), KEY.toUpperCase()]) {
      const res = await postJson(`${service.url}/predict`, { data: window() }, { 'x-api-key': wrong });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toMatch(/not valid/);
    }
  });

  it('accepts the key as x-api-key or Authorization: Bearer', async () => {
    const direct = await postJson(`${service.url}/predict`, { data: window() }, { 'x-api-key': KEY });
    expect(direct.status).toBe(200);
    const bearer = await postJson(`${service.url}/predict`, { data: window() }, { authorization: `Bearer ${KEY}` });
    expect(bearer.status).toBe(200);
    const metrics = await fetch(`${service.url}/metrics`, { headers: { authorization: `bearer ${KEY}` } });
    expect(metrics.status).toBe(200);
  });

  it('keeps health and GET / open', async () => {
    for (const path of ['/', '/v2/health/live', '/v2/health/ready', `/v2/models/${manifest.name}/ready`]) {
      expect([path, (await fetch(`${service.url}${path}`)).status]).toEqual([path, 200]);
    }
  });
});

describe('rate limit', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_S: '60' });
  });
  afterAll(() => service.stop());

  it('answers 429 with Retry-After past the limit, and never limits health probes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postJson(`${service.url}/predict`, { data: window() })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await postJson(`${service.url}/predict`, { data: window() });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await limited.json()) as { error: string }).error).toMatch(/rate limit/);
    expect((await fetch(`${service.url}/v2/health/ready`)).status).toBe(200);
    expect((await fetch(`${service.url}/`)).status).toBe(429);
  });
});

describe('metrics and batching', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.stop());

  const metricValue = (text: string, name: string, labels = ''): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels}`) && !l.startsWith('#'));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  /** POST on a kept-alive agent; resolves to status and body text. */
  const send = (agent: Agent, method: string, path: string, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${service.url}${path}`, { agent, method, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('coalesces requests that arrive together into batched session runs and counts them', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 40 });
    // Open 40 connections first, then write 40 requests in one go: they arrive in one event-loop turn.
    await Promise.all(Array.from({ length: 40 }, () => send(agent, 'GET', '/v2/health/live')));
    const body = JSON.stringify({ data: window() });
    const answers = await Promise.all(Array.from({ length: 40 }, () => send(agent, 'POST', '/predict', body)));
    agent.destroy();
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    await postJson(`${service.url}/predict`, { data: [1] });

    const text = await (await fetch(`${service.url}/metrics`)).text();
    const runs = metricValue(text, 'wand_inference_batch_rows_count');
    const rows = metricValue(text, 'wand_inference_batch_rows_sum');
    expect(rows).toBe(40);
    // Fewer runs than requests: some requests shared a session run.
    expect(runs).toBeLessThan(40);
    expect(metricValue(text, 'wand_http_requests_total', '{method="POST",route="/predict",status="200"}')).toBe(40);
    expect(metricValue(text, 'wand_http_requests_total', '{method="POST",route="/predict",status="400"}')).toBe(1);
    const predicted = manifest.labels.reduce((sum, l) => sum + metricValue(text, 'wand_predictions_total', `{class="${l}"}`), 0);
    expect(predicted).toBe(40);
    expect(text).toContain('wand_inference_duration_seconds_bucket');
    expect(text).toContain('wand_http_request_duration_seconds_bucket');
    expect(text).toContain('wand_low_confidence_predictions_total');
  });
});

describe('rate limit behind the proxy (TRUST_PROXY)', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ TRUST_PROXY: 'true', RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_S: '60', RATE_LIMIT_CLIENTS: '100' });
  });
  afterAll(() => service.stop());

  const from = (forwardedFor: string) => fetch(`${service.url}/v2/models/${manifest.name}`, { headers: { 'x-forwarded-for': forwardedFor } });

  it('counts the ip:port forms App Service appends, and IPv4-mapped IPv6, as one client', async () => {
    const statuses = [];
    for (const form of ['203.0.113.5:1111', '203.0.113.5:2222', '::ffff:203.0.113.5', '[::ffff:203.0.113.5]:3333']) statuses.push((await from(form)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // The proxy appends the real client last: what the client itself put first does not matter.
    expect((await from('198.51.100.1, 203.0.113.5:4444')).status).toBe(429);
    expect((await from('203.0.113.6:1111')).status).toBe(200);
  });

  it('counts an IPv6 client per /64, with or without brackets and port', async () => {
    const statuses = [];
    for (const form of ['[2001:db8:1:2::10]:5000', '2001:DB8:1:2::11', '[2001:db8:1:2:ffff::1]:443', '2001:db8:1:2::12']) statuses.push((await from(form)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await from('2001:db8:1:3::10')).status).toBe(200);
  });

  it('keeps at most RATE_LIMIT_CLIENTS clients in its store under many distinct addresses', async () => {
    for (let i = 0; i < 300; i++) expect((await from(`10.${i >> 8}.${i & 255}.9:80`)).status).toBe(200);
    expect(service.rateLimiter.trackedClients()).toBe(100);
  });
});
