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
    const answer = flow.finish({ status: 200, body: JSON.stringify({ gesture: labels[other], confidence: 97.1, model: 'x' }) });
    expect(answer).toMatchObject({ label: other, fromCloud: true, confidence: expect.closeTo(0.971, 5) });
    expect(answer.lines).toEqual([`CLOUD_INFERENCE: ${labels[other]} (97.1%) latency=234ms`]);
  });

  it.each([
    [{ status: 0, error: 'connection refused' }, 'connection refused'],
    [{ status: 0, error: 'timeout' }, 'timeout'],
    [{ status: 503, body: 'busy' }, 'http 503'],
    [{ status: 400, body: '{"error":"bad"}' }, 'http 400'],
    [{ status: 200, body: '{"gesture":"S","confidence":99}' }, 'unknown label'],
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
});
