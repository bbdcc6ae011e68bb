/**
 * End-to-end edge-cloud offloading: the real service on loopback, the wand's C++ core through the
 * simulator, real recordings. Then the service is stopped and the same wand must answer every
 * recording locally without an error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../service/src/config';
import { startServer, type RunningService } from '../../service/src/server';
import pino from 'pino';
import { loadWandCore } from '../host/wandcore';
import { CloudClient, simulate } from '../tools/simulator';
import { MODEL_DIR, POOL_DATA, REPO_ROOT, SAMPLE_DATA, someRecordings } from './helpers';

const core = loadWandCore();
const recordings = [...someRecordings(SAMPLE_DATA, 4), ...someRecordings(POOL_DATA, 20)];
const MIN_MOTION_G = 0.03; // the core's default
const moving = (r: { samples: Float64Array }): boolean => core.classify(r.samples).motion >= MIN_MOTION_G;
const LINE = /^(NO_GESTURE: motion \d\.\d{3} g below \d\.\d{3} g|LOCAL_INFERENCE: \S+ \(\d+\.\d%\) latency=\d+ms|OFFLOAD_TO_CLOUD: local \S+ \(\d+\.\d%\) below \d+\.\d%, sending \d+ bytes|CLOUD_INFERENCE: \S+ \(\d+\.\d%\) latency=\d+ms|CLOUD_FAILED: .+ -> using local \S+ \(\d+\.\d%\)|OFFLOAD_SKIPPED: .+ -> using local \S+ \(\d+\.\d%\))$/;

let service: RunningService;
let stopped = false;
beforeAll(async () => {
  const config = loadConfig({ MODEL_DIR, HOST: '127.0.0.1', PORT: '0', RATE_LIMIT_MAX: '0', WAND_API_KEY: 'test-key-0123456789abcdef' }, REPO_ROOT);
  service = await startServer(config, pino({ level: 'silent' }));
});
afterAll(async () => {
  if (service && !stopped) await service.stop();
});

describe('device simulator against the real service', () => {
  it('offloads the unsure gestures, uses the cloud answers and measures the three accuracies', async () => {
    const lines: string[] = [];
    const summary = await simulate({ server: service.url, recordings, apiKey: 'test-key-0123456789abcdef', cloudBaseline: true, onLine: (l) => lines.push(l) });
    for (const line of lines) expect(line).toMatch(LINE);

    const unsure = recordings.filter((r) => moving(r) && core.classify(r.samples).confidence < core.model.threshold).length;
    expect(summary.offloaded).toBe(unsure);
    expect(summary.offloaded).toBeGreaterThan(0);
    expect(summary.cloudAnswers).toBe(summary.offloaded);
    expect(lines.filter((l) => l.startsWith('CLOUD_INFERENCE')).length).toBe(summary.offloaded);
    expect(lines.filter((l) => l.startsWith('LOCAL_INFERENCE')).length).toBe(recordings.length - summary.noGesture);
    expect(summary.noGesture).toBe(recordings.filter((r) => !moving(r)).length);
    // Offloading the unsure gestures to the stronger model should not make the wand worse than local-only.
    expect(summary.accuracy.wand).toBeGreaterThanOrEqual(summary.accuracy.localOnly - 0.01);
    expect(summary.bytesSent).toBeGreaterThan(summary.offloaded * 1000);
    expect(summary.latency.cloud.count).toBe(summary.offloaded);
  });

  it('a wrong API key is a cloud failure the wand survives', async () => {
    const lines: string[] = [];
    const summary = await simulate({ server: service.url, recordings: recordings.slice(0, 40), apiKey: 'wrong-key-0123456789abcdef', settings: { threshold: 1 }, onLine: (l) => lines.push(l) });
    expect(summary.cloudAnswers).toBe(0);
    expect(lines.some((l) => l.startsWith('CLOUD_FAILED: http 401 -> using local '))).toBe(true);
    expect(summary.accuracy.wand).toBe(summary.accuracy.localOnly);
  });

  it('with the service stopped, answers every recording locally without an error', async () => {
    const url = service.url;
    await service.stop();
    stopped = true;
    const lines: string[] = [];
    const summary = await simulate({ server: url, recordings, settings: { threshold: 1 }, cloudBaseline: true, onLine: (l) => lines.push(l) });
    expect(summary.cloudAnswers).toBe(0);
    expect(summary.accuracy.cloudOnly).toBeNull();
    expect(summary.accuracy.wand).toBe(summary.accuracy.localOnly - summary.noGesture / (recordings.length - summary.unknownClass));
    expect(lines.filter((l) => l.startsWith('LOCAL_INFERENCE')).length).toBe(recordings.length - summary.noGesture);
    const failures = lines.filter((l) => l.startsWith('CLOUD_FAILED'));
    expect(failures).toHaveLength(3);
    // a kept-alive socket the server closed is retried once on a fresh connection, which the port refuses
    for (const line of failures) expect(line).toMatch(/^CLOUD_FAILED: connect failed -> using local /);
    // after three failures the breaker stops further attempts for the rest of the run
    expect(summary.cloudFailures).toBe(3);
    const unsure = recordings.filter((r) => moving(r) && core.classify(r.samples).confidence < 1).length; // a saturated softmax stays local
    expect(summary.skipped['breaker open']).toBe(unsure - 3);
  });
});

/** A plain HTTP server on loopback answering every POST with `status` and `body`. */
async function cannedService(status: number, body: object): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('device simulator against a cloud it cannot fully use', () => {
  const some = recordings.filter(moving).slice(0, 12);

  it('a healthy cloud serving another label set keeps being asked, and each answer is logged', async () => {
    // as a service retrained with a new class would answer
    const { url, server } = await cannedService(200, { gesture: 'S', confidence: 97.5, model: 'wand-retrained', version: '3' });
    try {
      const lines: string[] = [];
      const summary = await simulate({ server: url, recordings: some, settings: { threshold: 1, breakerFailures: 3 }, onLine: (l) => lines.push(l) });
      expect(summary.offloaded).toBe(some.length);
      expect(summary.cloudUnusable).toBe(some.length);
      expect(summary.cloudFailures).toBe(0);
      expect(summary.skipped).toEqual({});
      expect(lines.filter((l) => /^CLOUD_UNUSABLE: cloud answered "S" \(97\.5%\), not a label of this wand -> using local /.test(l))).toHaveLength(some.length);
      expect(lines.filter((l) => l.startsWith('MODEL_MISMATCH'))).toEqual([`MODEL_MISMATCH: cloud serves wand-retrained 3, this wand has ${core.model.name} ${core.model.version}`]);
      expect(summary.accuracy.wand).toBe(summary.accuracy.localOnly);
    } finally {
      server.close();
    }
  });

  it('a cloud that accepts the request but never answers costs the deadline, then CLOUD_FAILED: timeout', async () => {
    const hanging = createServer(() => {}); // reads nothing, answers nothing
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const lines: string[] = [];
      const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      const summary = await simulate({ server: url, recordings: some.slice(0, 2), settings: { threshold: 1, deadlineMs: 300 }, onLine: (l) => lines.push(l) });
      expect(summary.cloudFailures).toBe(2);
      expect(lines.filter((l) => l.startsWith('CLOUD_FAILED: timeout -> using local '))).toHaveLength(2);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('HTTP 429 from the real service is reported as rate limited', async () => {
    const config = loadConfig({ MODEL_DIR, HOST: '127.0.0.1', PORT: '0', RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_S: '600' }, REPO_ROOT);
    const limited = await startServer(config, pino({ level: 'silent' }));
    try {
      const lines: string[] = [];
      const summary = await simulate({ server: limited.url, recordings: some.slice(0, 4), settings: { threshold: 1, breakerFailures: 0 }, onLine: (l) => lines.push(l) });
      expect(summary.cloudAnswers).toBe(2);
      expect(lines.filter((l) => l.startsWith('CLOUD_FAILED: rate limited -> using local '))).toHaveLength(2);
    } finally {
      await limited.stop();
    }
  });
});

describe("the wand's HTTP client", () => {
  it('keeps its connection alive and retries once, on a fresh one, when the kept connection was dropped', async () => {
    const perSocket = new WeakMap<object, number>();
    let requests = 0;
    // drops every second request on a connection, as a server closing an idle kept-alive socket just as the wand sends
    const server = createServer((req, res) => {
      requests++;
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n === 2) {
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => res.end(`{"gesture":"${core.model.labels[0]}","confidence":90}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new CloudClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, undefined, 512);
    try {
      expect((await client.post('{"data":[1,2,3]}', 4000)).status).toBe(200);
      expect((await client.post('{"data":[1,2,3]}', 4000)).status).toBe(200); // dropped, then retried
      expect(requests).toBe(3);
      expect(await client.post('{"data":[1,2,3]}', 4000)).toMatchObject({ status: 200 }); // dropped and retried again
      // no retry when the deadline leaves no room for a fresh connection
      expect(await client.post('{"data":[1,2,3]}', 1000)).toEqual({ status: 0, error: 'connection lost' });
    } finally {
      client.close();
      server.close();
    }
  });
});
