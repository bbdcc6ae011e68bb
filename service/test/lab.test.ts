import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GOLDEN_FILE, readGoldenFile, readManifest, resample, type ModelManifest } from '../../gesture/src';
import type { RunningService } from '../src/server';
import { asTriples, MODEL_DIR, postJson, sampleRecordings, startTestService } from './helpers';

let service: RunningService;
let manifest: ModelManifest;
const predict = (body: unknown, headers?: Record<string, string>) => postJson(`${service.url}/predict`, body, headers);

beforeAll(async () => {
  manifest = readManifest(MODEL_DIR);
  service = await startTestService();
});
afterAll(() => service.stop());

interface Prediction {
  gesture: string;
  confidence: number;
  probabilities: Record<string, number>;
  model: string;
  version: string;
}

async function predictOk(data: unknown): Promise<Prediction> {
  const res = await predict({ data });
  expect(res.status).toBe(200);
  return (await res.json()) as Prediction;
}

/** The first 100 rows of a real recording as the lab's 300-value payload, rounded like the firmware prints. */
const labPayload = (samples: Float64Array): number[] => Array.from(samples.subarray(0, 300), (v) => Math.round(v * 100) / 100);

describe('GET /', () => {
  it('says the API is running, with the model name and version', async () => {
    const res = await fetch(`${service.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/running/i);
    expect(text).toContain(manifest.name);
    expect(text).toContain(manifest.version);
  });
});

describe('POST /predict: the lab contract', () => {
  it('answers gesture and confidence (percent) for a real 300-value recording, plus per-class probabilities', async () => {
    const recording = sampleRecordings().find((r) => r.rows >= 100)!;
    const body = await predictOk(labPayload(recording.samples));
    expect(manifest.labels).toContain(body.gesture);
    expect(Object.keys(body).slice(0, 2)).toEqual(['gesture', 'confidence']);
    expect(Object.keys(body.probabilities)).toEqual(manifest.labels);
    const probs = Object.values(body.probabilities);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(body.confidence).toBeGreaterThan(0);
    expect(body.confidence).toBeLessThanOrEqual(100);
    expect(body.confidence).toBeCloseTo(Math.max(...probs) * 100, 1);
    expect(body.probabilities[body.gesture]).toBe(Math.max(...probs));
    expect(body).toMatchObject({ model: manifest.name, version: manifest.version });
  });

  it('gives the same answer for every wire form of one window', async () => {
    const flat = labPayload(sampleRecordings()[0].samples);
    const triples = asTriples(flat);
    const answers = await Promise.all([flat, triples, [flat], [triples]].map(predictOk));
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  });

  it('resamples other lengths (a 1.5 s, 450-value capture) through the shared window module', async () => {
    const long = Array.from(resample(sampleRecordings()[1].samples, 150));
    expect(long).toHaveLength(450);
    const resampled = Array.from(resample(long, manifest.input.windowLength));
    const [fromLong, fromResampled] = await Promise.all([predictOk(long), predictOk(resampled)]);
    expect(fromLong).toEqual(fromResampled);
  });

  it('classifies most sample recordings as their recorded class (labels travel with the model)', async () => {
    const recordings = sampleRecordings().filter((_, i) => i % 10 === 0);
    const answers = await Promise.all(recordings.map((r) => predictOk(Array.from(r.samples))));
    const correct = answers.filter((a, i) => a.gesture.toLowerCase() === recordings[i].label.toLowerCase()).length;
    // Far above chance (1/3): a label-order or preprocessing mismatch collapses this (REFERENCE 1.3).
    expect(correct / recordings.length).toBeGreaterThan(0.6);
  });

  const golden = join(MODEL_DIR, GOLDEN_FILE);
  (existsSync(golden) ? it : it.skip)('matches the exported golden cloud probabilities', async () => {
    const { labels, vectors } = readGoldenFile(MODEL_DIR);
    expect(labels).toEqual(manifest.labels);
    const answers = await Promise.all(vectors.map((v) => predictOk(v.samples)));
    answers.forEach((answer, i) => {
      labels.forEach((label, c) => expect(answer.probabilities[label]).toBeCloseTo(vectors[i].cloudProbabilities[c], 3));
    });
  });
});

describe('POST /predict: bad input is a 400 with a message', () => {
  const window = Array.from({ length: 300 }, (_, i) => (i % 3 === 2 ? 9.8 : 0.1 * (i % 7)));
  const cases: [string, unknown, RegExp][] = [
    ['no data key', { samples: window }, /"data"/],
    ['a JSON array body', [window], /JSON object/],
    ['a JSON string body', 'null', /JSON object/],
    ['data not an array', { data: 'x,y,z' }, /must be an array/],
    ['numbers as strings', { data: window.map(String) }, /finite number/],
    ['NaN strings', { data: window.map((v, i) => (i === 5 ? 'NaN' : v)) }, /data\[5\].*finite number/],
    ['nulls', { data: window.map((v, i) => (i === 7 ? null : v)) }, /data\[7\]/],
    ['not whole triples', { data: window.slice(0, 298) }, /multiple of 3/],
    ['too few samples', { data: window.slice(0, 27) }, /at least 10/],
    ['too many samples', { data: Array.from({ length: 3003 }, () => 1) }, /at most 1000 samples/],
    ['a triple of two', { data: [...asTriples(window).slice(0, 20), [1, 2]] }, /data\[20\].*triple/],
    ['nested too deep', { data: [[asTriples(window)]] }, /triple|finite/],
    ['values beyond float32', { data: window.map((v, i) => (i === 0 ? 1e300 : v)) }, /out of range/],
  ];
  it.each(cases)('%s', async (_name, body, message) => {
    const res = await predict(body);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string };
    expect(Object.keys(answer)).toEqual(['error']);
    expect(answer.error).toMatch(message);
  });

  it('rejects invalid JSON, an empty body and overflowing numbers', async () => {
    for (const raw of ['{"data": [1, 2, ', '', '{"data": [1e999, 0, 0]}']) {
      const res = await predict(raw);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/JSON|finite/);
    }
  });

  it('accepts only JSON (415) and no content encodings', async () => {
    const json = JSON.stringify({ data: window });
    const plain = await fetch(`${service.url}/predict`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: json });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toEqual({ error: expect.stringMatching(/application\/json/) });
    const form = await fetch(`${service.url}/predict`, { method: 'POST', body: new URLSearchParams({ data: '1' }) });
    expect(form.status).toBe(415);
    const gzip = await predict(json, { 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(415);
    const latin = await predict(json, { 'content-type': 'application/json; charset=latin1' });
    expect(latin.status).toBe(415);
  });

  it('refuses bodies over the limit with 413', async () => {
    const huge = JSON.stringify({ data: Array.from({ length: 200_000 }, () => 9.80665) });
    expect(huge.length).toBeGreaterThan(1024 * 1024);
    const res = await predict(huge);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/too large/);
  });

  it('answers unknown routes and methods in JSON without internals', async () => {
    const missing = await fetch(`${service.url}/score`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.stringContaining('/score') });
    const wrongMethod = await fetch(`${service.url}/predict`);
    expect(wrongMethod.status).toBe(405);
    const text = await wrongMethod.text();
    expect(text).not.toMatch(/node_modules|\bat \w|\.ts:\d/);
  });
});

describe('response headers', () => {
  it('carries security headers and a request id (echoing a sane incoming one)', async () => {
    const res = await fetch(`${service.url}/`, { headers: { 'x-request-id': 'wand-42' } });
    expect(res.headers.get('x-request-id')).toBe('wand-42');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-frame-options')).toBeTruthy();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const unsafe = await fetch(`${service.url}/`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
