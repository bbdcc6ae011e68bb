import { readManifest, toWindow, type ModelManifest } from '../../gesture/src';
import type { RunningService } from '../src/server';
import { asTriples, MODEL_DIR, postJson, sampleRecordings, startTestService } from './helpers';

let service: RunningService;
let manifest: ModelManifest;
let windows: number[][];

interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}
interface InferResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  outputs: Tensor[];
}

beforeAll(async () => {
  manifest = readManifest(MODEL_DIR);
  service = await startTestService();
  windows = sampleRecordings()
    .slice(0, 5)
    .map((r) => Array.from(toWindow(r.samples, manifest.input.windowLength)));
});
afterAll(() => service.stop());

const get = (path: string) => fetch(`${service.url}${path}`);
const infer = (body: unknown, path = `/v2/models/${manifest.name}/infer`) => postJson(`${service.url}${path}`, body);
const input = (shape: number[], data: unknown, extra: Record<string, unknown> = {}) => ({
  inputs: [{ name: 'window', datatype: 'FP32', shape, data, ...extra }],
});

describe('health and metadata', () => {
  it('reports live and ready', async () => {
    for (const [path, body] of [
      ['/v2/health/live', { live: true }],
      ['/v2/health/ready', { ready: true }],
      [`/v2/models/${manifest.name}/ready`, { name: manifest.name, ready: true }],
      [`/v2/models/${manifest.name}/versions/${manifest.version}/ready`, { name: manifest.name, ready: true }],
    ] as const) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(await res.json()).toEqual(body);
    }
  });

  it('describes the server', async () => {
    const res = await get('/v2');
    expect(res.status).toBe(200);
    const meta = (await res.json()) as { name: string; version: string; extensions: string[] };
    expect(meta).toEqual({ name: 'wandcloud', version: expect.any(String), extensions: [] });
  });

  it('describes the model from its manifest, with and without a version', async () => {
    for (const path of [`/v2/models/${manifest.name}`, `/v2/models/${manifest.name}/versions/${manifest.version}`]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        name: manifest.name,
        versions: [manifest.version],
        platform: 'onnxruntime_onnx',
        inputs: [{ name: 'window', datatype: 'FP32', shape: [-1, manifest.input.windowLength, 3] }],
        outputs: [
          { name: 'probabilities', datatype: 'FP32', shape: [-1, manifest.labels.length] },
          { name: 'label', datatype: 'BYTES', shape: [-1] },
        ],
      });
    }
  });

  it('answers 404 with an error for unknown models and versions', async () => {
    for (const path of ['/v2/models/nope', `/v2/models/${manifest.name}/versions/999-nope`, '/v2/models/nope/ready']) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(((await res.json()) as { error: string }).error).toMatch(/unknown (model|version)/);
    }
    const res = await infer(input([1, manifest.input.windowLength * 3], windows[0]), '/v2/models/nope/infer');
    expect(res.status).toBe(404);
  });
});

describe('inference', () => {
  it('runs a batch [N, window, 3] with nested data, echoes the id, and agrees with /predict', async () => {
    const res = await infer({ id: 'batch-7', ...input([windows.length, manifest.input.windowLength, 3], windows.map(asTriples)) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as InferResponse;
    expect(body).toMatchObject({ model_name: manifest.name, model_version: manifest.version, id: 'batch-7' });
    const [probs, labels] = body.outputs;
    expect(probs).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [windows.length, manifest.labels.length] });
    expect(probs.data).toHaveLength(windows.length * manifest.labels.length);
    expect(labels).toMatchObject({ name: 'label', datatype: 'BYTES', shape: [windows.length] });
    const c = manifest.labels.length;
    for (let i = 0; i < windows.length; i++) {
      const row = (probs.data as number[]).slice(i * c, (i + 1) * c);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(labels.data[i]).toBe(manifest.labels[row.indexOf(Math.max(...row))]);
      const single = (await (await postJson(`${service.url}/predict`, { data: windows[i] })).json()) as { gesture: string; probabilities: Record<string, number> };
      expect(single.gesture).toBe(labels.data[i]);
      manifest.labels.forEach((label, k) => expect(single.probabilities[label]).toBeCloseTo(row[k], 3));
    }
  });

  it('accepts [N, window*3] flat data and returns the same numbers as the nested form', async () => {
    const flat = await infer(input([2, manifest.input.windowLength * 3], [...windows[0], ...windows[1]]));
    const nested = await infer(input([2, manifest.input.windowLength, 3], windows.slice(0, 2).map(asTriples)));
    expect(flat.status).toBe(200);
    const a = (await flat.json()) as InferResponse;
    const b = (await nested.json()) as InferResponse;
    expect(a.outputs).toEqual(b.outputs);
    expect(a).not.toHaveProperty('id');
  });

  it('returns only the requested outputs', async () => {
    const res = await infer({ ...input([1, manifest.input.windowLength * 3], windows[0]), outputs: [{ name: 'label' }] });
    const body = (await res.json()) as InferResponse;
    expect(body.outputs.map((o) => o.name)).toEqual(['label']);
  });

  it('answers through the /versions/{v} form', async () => {
    const res = await infer(input([1, manifest.input.windowLength * 3], windows[0]), `/v2/models/${manifest.name}/versions/${manifest.version}/infer`);
    expect(res.status).toBe(200);
  });

  const L = () => manifest.input.windowLength;
  const bad: [string, () => unknown, RegExp][] = [
    ['no inputs', () => ({}), /"inputs"/],
    ['two inputs', () => ({ inputs: [input([1, L() * 3], windows[0]).inputs[0], input([1, L() * 3], windows[0]).inputs[0]] }), /exactly one/],
    ['a wrong input name', () => ({ inputs: [{ ...input([1, L() * 3], windows[0]).inputs[0], name: 'x' }] }), /unknown input/],
    ['datatype FP64', () => input([1, L() * 3], windows[0], { datatype: 'FP64' }), /FP32/],
    ['a wrong shape', () => input([1, 50, 3], windows[0].slice(0, 150)), /shape must be/],
    ['a negative dimension', () => input([-1, L() * 3], windows[0]), /non-negative/],
    ['an empty batch', () => input([0, L() * 3], []), /batch size/],
    ['a batch over the limit', () => input([65, L() * 3], []), /batch size must be 1 to 64/],
    ['fewer values than the shape', () => input([2, L() * 3], windows[0]), /has 300 values, its shape declares 600/],
    ['more values than the shape', () => input([1, L() * 3], [...windows[0], 1]), /more than/],
    ['a string in the data', () => input([1, L() * 3], windows[0].map((v, i) => (i === 3 ? 'NaN' : v))), /data\[3\]/],
    ['a numeric id', () => ({ id: 7, ...input([1, L() * 3], windows[0]) }), /"id"/],
    ['an unknown output', () => ({ ...input([1, L() * 3], windows[0]), outputs: [{ name: 'logits' }] }), /unknown output/],
    ['data nested deeper than the shape', () => input([1, L() * 3], [windows[0].map((v) => [v])]), /nested deeper/],
  ];
  it.each(bad)('rejects %s with 400 {"error"}', async (_name, body, message) => {
    const res = await infer(body());
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string };
    expect(Object.keys(answer)).toEqual(['error']);
    expect(answer.error).toMatch(message);
  });
});
