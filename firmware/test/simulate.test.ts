/**
 * End-to-end edge-cloud offloading: the real service on loopback, the wand's C++ core through the
 * simulator, real recordings. Then the service is stopped and the same wand must answer every
 * recording locally without an error.
 */
import { loadConfig } from '../../service/src/config';
import { startServer, type RunningService } from '../../service/src/server';
import pino from 'pino';
import { loadWandCore } from '../host/wandcore';
import { simulate } from '../tools/simulator';
import { MODEL_DIR, POOL_DATA, REPO_ROOT, SAMPLE_DATA, someRecordings } from './helpers';

const core = loadWandCore();
const recordings = [...someRecordings(SAMPLE_DATA, 4), ...someRecordings(POOL_DATA, 20)];
const LINE = /^(LOCAL_INFERENCE: \S+ \(\d+\.\d%\) latency=\d+ms|OFFLOAD_TO_CLOUD: local \S+ \(\d+\.\d%\) below \d+\.\d%, sending \d+ bytes|CLOUD_INFERENCE: \S+ \(\d+\.\d%\) latency=\d+ms|CLOUD_FAILED: .+ -> using local \S+ \(\d+\.\d%\)|OFFLOAD_SKIPPED: .+ -> using local \S+ \(\d+\.\d%\))$/;

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

    const unsure = recordings.filter((r) => core.classify(r.samples).confidence < core.model.threshold).length;
    expect(summary.offloaded).toBe(unsure);
    expect(summary.offloaded).toBeGreaterThan(0);
    expect(summary.cloudAnswers).toBe(summary.offloaded);
    expect(lines.filter((l) => l.startsWith('CLOUD_INFERENCE')).length).toBe(summary.offloaded);
    expect(lines.filter((l) => l.startsWith('LOCAL_INFERENCE')).length).toBe(recordings.length);
    expect(summary.accuracy.cloudOnly).not.toBeNull();
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
    expect(summary.accuracy.wand).toBe(summary.accuracy.localOnly);
    expect(lines.filter((l) => l.startsWith('LOCAL_INFERENCE')).length).toBe(recordings.length);
    const failures = lines.filter((l) => l.startsWith('CLOUD_FAILED'));
    expect(failures).toHaveLength(3);
    // the first attempt may find the kept-alive socket closed; then the port refuses
    for (const line of failures) expect(line).toMatch(/^CLOUD_FAILED: connection (refused|lost) -> using local /);
    expect(failures[2]).toMatch(/^CLOUD_FAILED: connection refused /);
    // after three failures the breaker stops further attempts for the rest of the run
    expect(summary.cloudFailures).toBe(3);
    const unsure = recordings.filter((r) => core.classify(r.samples).confidence < 1).length; // a saturated softmax stays local
    expect(summary.skipped['breaker open']).toBe(unsure - 3);
  });
});
