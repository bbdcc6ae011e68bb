/** One gesture from capture to answer: the serial log lines and the fallback to the local answer. */
import { loadWandCore, type FlowSettings } from '../host/wandcore';
import { SAMPLE_DATA, someRecordings } from './helpers';

const core = loadWandCore();
const { labels } = core.model;
// The least confident of a few real recordings: below any threshold of 1, so the offload paths run.
const recording = someRecordings(SAMPLE_DATA, 25)
  .map((r) => ({ r, confidence: core.classify(r.samples).confidence }))
  .reduce((a, b) => (b.confidence < a.confidence ? b : a)).r;
const pct = (p: number): string => (p * 100).toFixed(1);

/** A wand with a fake clock advanced by the test. */
function wand(settings: FlowSettings = {}) {
  const clock = { now: 1000 };
  const flow = new core.Flow({ deadlineMs: 4000, ...settings }, () => clock.now);
  return { flow, clock };
}

describe('gesture flow', () => {
  it('answers locally with one LOCAL_INFERENCE line when the edge model is sure', () => {
    const { flow } = wand({ threshold: 0 });
    const begin = flow.begin(recording.samples, true);
    const local = core.classify(recording.samples);
    expect(begin.step).toBe('answered');
    expect(begin).toMatchObject({ label: local.label, fromCloud: false });
    expect(begin.lines).toEqual([`LOCAL_INFERENCE: ${labels[local.label]} (${pct(local.confidence)}%) latency=0ms`]);
  });

  it('offloads when unsure, sends the lab wire form and uses the cloud answer that arrives in time', () => {
    const { flow, clock } = wand({ threshold: 1 });
    const begin = flow.begin(recording.samples, true);
    const local = labels[begin.local.label];
    expect(begin.step).toBe('send');
    expect(JSON.parse(begin.payload as string).data).toHaveLength(recording.rows * 3);
    expect(begin.lines[1]).toBe(`OFFLOAD_TO_CLOUD: local ${local} (${pct(begin.local.confidence)}%) below 100.0%, sending ${(begin.payload as string).length} bytes`);
    clock.now += 234;
    const other = (begin.local.label + 1) % labels.length;
    const answer = flow.finish({ status: 200, body: JSON.stringify({ gesture: labels[other], confidence: 97.1, model: core.model.name, version: core.model.version }) });
    expect(answer).toMatchObject({ label: other, fromCloud: true, confidence: expect.closeTo(0.971, 5) });
    expect(answer.lines).toEqual([`CLOUD_INFERENCE: ${labels[other]} (97.1%) latency=234ms`]);
  });

  it.each([
    [{ status: 0, error: 'connection refused' }, 'connection refused'],
    [{ status: 0, error: 'timeout' }, 'timeout'],
    [{ status: 503, body: 'busy' }, 'http 503'],
    [{ status: 400, body: '{"error":"bad"}' }, 'http 400'],
    [{ status: 429, body: '{"error":"too many requests"}' }, 'rate limited'],
    [{ status: 200, body: '{"gesture":"' }, 'malformed response'],
    [{ status: 200, body: '{}', truncated: true }, 'response too large'],
  ])('falls back to the local answer and says why: %j', (outcome, reason) => {
    const { flow } = wand({ threshold: 1 });
    const begin = flow.begin(recording.samples, true);
    const answer = flow.finish(outcome);
    expect(answer).toMatchObject({ label: begin.local.label, confidence: begin.local.confidence, fromCloud: false });
    expect(answer.lines).toEqual([`CLOUD_FAILED: ${reason} -> using local ${labels[begin.local.label]} (${pct(begin.local.confidence)}%)`]);
  });

  it('does not use a cloud answer that arrives after the deadline', () => {
    const { flow, clock } = wand({ threshold: 1, deadlineMs: 3000 });
    flow.begin(recording.samples, true);
    clock.now += 3001;
    const answer = flow.finish({ status: 200, body: `{"gesture":"${labels[0]}","confidence":99}` });
    expect(answer.fromCloud).toBe(false);
    expect(answer.lines[0]).toMatch(/^CLOUD_FAILED: late \(3001ms > 3000ms\) -> using local /);
  });

  it('skips the cloud when offline and, after repeated failures, while the breaker cools down', () => {
    const { flow, clock } = wand({ threshold: 1, breakerFailures: 2, baseCooldownMs: 10_000 });
    expect(flow.begin(recording.samples, false).lines[1]).toMatch(/^OFFLOAD_SKIPPED: offline -> using local /);
    for (let i = 0; i < 2; i++) {
      expect(flow.begin(recording.samples, true).step).toBe('send');
      flow.finish({ status: 0, error: 'timeout' });
    }
    const skipped = flow.begin(recording.samples, true);
    expect(skipped.step).toBe('answered');
    expect(skipped.lines[1]).toMatch(/^OFFLOAD_SKIPPED: breaker open -> using local /);
    clock.now += 10_000;
    expect(flow.begin(recording.samples, true).step).toBe('send');
  });

  it('captures at most the device buffer and still answers for an overlong recording', () => {
    const { flow } = wand({ threshold: 1 });
    const long = new Float64Array((core.model.captureSamples + 50) * 3).map((_v, i) => recording.samples[i % recording.samples.length]);
    const begin = flow.begin(long, true);
    expect(begin.captured).toBe(core.model.captureSamples);
    expect(begin.step).toBe('send');
  });

  it('reports no gesture for an empty capture', () => {
    const { flow } = wand();
    expect(flow.begin([], true)).toMatchObject({ step: 'none', label: -1 });
  });

  it('a capture without motion is NO_GESTURE: no answer, never offloaded', () => {
    const { flow } = wand({ threshold: 1, minMotionG: 0.03 });
    const still = new Float64Array(101 * 3).map((_v, i) => (i % 3 === 2 ? 9.81 : 0.2) + ((i * 7919) % 13) * 0.002);
    const begin = flow.begin(still, true);
    expect(begin).toMatchObject({ step: 'none', label: -1, fromCloud: false });
    expect(begin.payload).toBeUndefined();
    expect(begin.lines).toEqual([expect.stringMatching(/^NO_GESTURE: motion 0\.0\d\d g below 0\.030 g$/)]);
    expect(begin.local.motion).toBeLessThan(0.03);
    // the real recording moves far more than the threshold
    expect(flow.begin(recording.samples, true).step).toBe('send');
  });
});

describe('a cloud serving another model', () => {
  const foreign = (gesture: string) => JSON.stringify({ gesture, confidence: 99, model: 'wand-retrained', version: '7' });

  it('an unknown label is answered-but-unusable: local answer, the label logged, the breaker stays closed', () => {
    const { flow } = wand({ threshold: 1, breakerFailures: 3 });
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) {
      const begin = flow.begin(recording.samples, true);
      expect(begin.step).toBe('send');
      const answer = flow.finish({ status: 200, body: foreign('S') });
      expect(answer).toMatchObject({ label: begin.local.label, fromCloud: false });
      lines.push(...answer.lines);
    }
    const local = core.classify(recording.samples);
    expect(lines.filter((l) => l.startsWith('CLOUD_UNUSABLE'))).toHaveLength(10);
    expect(lines).toContain(`CLOUD_UNUSABLE: cloud answered "S" (99.0%), not a label of this wand -> using local ${labels[local.label]} (${pct(local.confidence)}%)`);
    expect(lines.some((l) => l.startsWith('CLOUD_FAILED') || l.includes('breaker'))).toBe(false);
  });

  it('warns once that the cloud model differs from the wand model', () => {
    const { flow } = wand({ threshold: 1 });
    const lines: string[] = [];
    for (const gesture of ['S', labels[0], 'S']) {
      flow.begin(recording.samples, true);
      lines.push(...flow.finish({ status: 200, body: foreign(gesture) }).lines);
    }
    expect(lines.filter((l) => l.startsWith('MODEL_MISMATCH'))).toEqual([
      `MODEL_MISMATCH: cloud serves wand-retrained 7, this wand has ${core.model.name} ${core.model.version}`,
    ]);
  });

  it('a label with control characters cannot forge a serial line', () => {
    const { flow } = wand({ threshold: 1 });
    flow.begin(recording.samples, true);
    const { lines } = flow.finish({ status: 200, body: JSON.stringify({ gesture: 'S\nCLOUD_INFERENCE: O', confidence: 50 }) });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^CLOUD_UNUSABLE: cloud answered "S\?CLOUD_INFERENCE: O" /);
  });
});

describe('the deadline bounds the whole exchange', () => {
  it('at the deadline the wand falls back with CLOUD_FAILED: timeout and keeps the request buffer for the running transport', () => {
    const { flow, clock } = wand({ threshold: 1, deadlineMs: 4000 });
    const first = flow.begin(recording.samples, true);
    expect(first.step).toBe('send');
    clock.now += 1500;
    expect(flow.remainingMs()).toBe(2500);
    clock.now += 2500;
    expect(flow.remainingMs()).toBe(0);
    const timedOut = flow.abandon();
    expect(timedOut).not.toBe(false);
    expect((timedOut as { lines: string[] }).lines).toEqual([expect.stringMatching(/^CLOUD_FAILED: timeout -> using local /)]);
    expect(flow.busy()).toBe(true);

    // the next gesture is still answered, locally, while the old request holds the exchange
    const second = flow.begin(recording.samples, true);
    expect(second).toMatchObject({ step: 'answered', fromCloud: false, label: second.local.label });
    expect(second.lines[1]).toMatch(/^OFFLOAD_SKIPPED: previous request still running -> using local /);

    // the transport returns late: its result is dropped and the exchange is free again
    expect(flow.transportReturned()).toBe(false);
    expect(flow.busy()).toBe(false);
    const third = flow.begin(recording.samples, true);
    expect(third.step).toBe('send');
    expect(third.payload).toBe(first.payload);
  });

  it('a transport that completed just at the deadline is not abandoned', () => {
    const { flow } = wand({ threshold: 1 });
    flow.begin(recording.samples, true);
    expect(flow.finish({ status: 200, body: `{"gesture":"${labels[0]}","confidence":99}` }).fromCloud).toBe(true);
    expect(flow.abandon()).toBe(false);
    expect(flow.busy()).toBe(false);
  });

  it('a timeout counts towards the breaker like any failure', () => {
    const { flow } = wand({ threshold: 1, breakerFailures: 2 });
    for (let i = 0; i < 2; i++) {
      flow.begin(recording.samples, true);
      flow.abandon();
      flow.transportReturned();
    }
    expect(flow.begin(recording.samples, true).lines[1]).toMatch(/^OFFLOAD_SKIPPED: breaker open /);
  });
});
