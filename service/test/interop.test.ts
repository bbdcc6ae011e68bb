import { randomUUID } from 'node:crypto';
import { readManifest, toWindow } from '../../gesture/src';
import type { RunningService } from '../src/server';
import { asTriples, MODEL_DIR, rawExchange, rawRequest, sampleRecordings, startTestService, type RawResponse } from './helpers';

/**
 * Requests replayed byte for byte as the Open Inference Protocol's real clients build them: no
 * Content-Type, Python's json.dumps spacing, their own header sets, tritonclient's binary tensor
 * data by default. Before, each of these got 415.
 */
const manifest = readManifest(MODEL_DIR);
const L = manifest.input.windowLength;
const path = `/v2/models/${manifest.name}/infer`;
let service: RunningService;
let window: Float32Array;
/** What /predict answers for the same window: the reference probabilities. */
let expected: number[];

beforeAll(async () => {
  service = await startTestService();
  window = toWindow(sampleRecordings()[0].samples, L);
  const res = await fetch(`${service.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inputs: [{ name: 'window', datatype: 'FP32', shape: [1, L * 3], data: Array.from(window) }] }),
  });
  expected = ((await res.json()) as { outputs: { data: number[] }[] }).outputs[0].data;
});
afterAll(() => service.stop());

/** Python's json.dumps: ", " and ": " separators. */
const pyJson = (value: unknown): string => JSON.stringify(value).replace(/,(?=["[{\-\d])/g, ', ').replace(/":(?=[^\s])/g, '": ');
const host = () => `Host: ${new URL(service.url).host}`;

function probabilities(res: RawResponse): number[] {
  expect([res.status, res.body]).toEqual([200, expect.any(String)]);
  const body = JSON.parse(res.body) as { outputs: { name: string; data: number[] }[] };
  return body.outputs.find((o) => o.name === 'probabilities')!.data;
}

describe('Open Inference Protocol clients as they really send', () => {
  it('tritonclient.http with JSON tensors (binary_data=False): no Content-Type', async () => {
    const body = pyJson({
      inputs: [{ name: 'window', shape: [1, L, 3], datatype: 'FP32', data: Array.from(window) }],
      outputs: [{ name: 'probabilities', parameters: { binary_data: false } }],
    });
    const [res] = await rawExchange(service.url, rawRequest('POST', path, [host(), 'User-Agent: python/gevent-http-client-2.3.1'], body));
    probabilities(res).forEach((p, i) => expect(p).toBeCloseTo(expected[i], 5));
  });

  it("tritonclient.http's default: binary tensor data after the JSON header (Inference-Header-Content-Length)", async () => {
    const json = pyJson({
      inputs: [{ name: 'window', shape: [1, L, 3], datatype: 'FP32', parameters: { binary_data_size: L * 3 * 4 } }],
      outputs: [{ name: 'probabilities', parameters: { binary_data: false } }, { name: 'label', parameters: { binary_data: false } }],
    });
    const tensor = Buffer.from(window.buffer, window.byteOffset, window.byteLength);
    const request = rawRequest('POST', path, [host(), 'User-Agent: python/gevent-http-client-2.3.1', `Inference-Header-Content-Length: ${json.length}`], Buffer.concat([Buffer.from(json), tensor]));
    const [res] = await rawExchange(service.url, request);
    probabilities(res).forEach((p, i) => expect(p).toBeCloseTo(expected[i], 5));
  });

  it("KServe's REST client (httpx): no Content-Type, a UUID id, nested data", async () => {
    const id = randomUUID();
    const body = JSON.stringify({ id, inputs: [{ name: 'window', shape: [1, L, 3], datatype: 'FP32', data: [asTriples(window)] }] });
    const headers = [host(), 'Accept: */*', 'Accept-Encoding: gzip, deflate', 'Connection: keep-alive', 'User-Agent: python-httpx/0.28.1'];
    const [res] = await rawExchange(service.url, rawRequest('POST', path, headers, body));
    probabilities(res).forEach((p, i) => expect(p).toBeCloseTo(expected[i], 5));
    expect((JSON.parse(res.body) as { id: string }).id).toBe(id);
  });

  it.each(['application/json; charset=UTF-8', 'Application/JSON; Charset="utf-8"', 'application/json;charset=UTF8', 'application/vnd.kserve+json'])(
    'accepts Content-Type %s (media types and charset values compare case-insensitively)',
    async (type) => {
      const body = JSON.stringify({ data: Array.from(window) });
      const [res] = await rawExchange(service.url, rawRequest('POST', '/predict', [host(), `Content-Type: ${type}`], body));
      expect([res.status, res.body]).toEqual([200, expect.stringContaining('"gesture"')]);
    },
  );

  it.each([
    ['text/plain', 415, /application\/json/],
    ['application/json; charset=ISO-8859-1', 415, /UTF-8/],
    ['application/json; charset', 415, /application\/json/],
  ])('still refuses Content-Type %s', async (type, status, message) => {
    const body = JSON.stringify({ data: Array.from(window) });
    const [res] = await rawExchange(service.url, rawRequest('POST', '/predict', [host(), `Content-Type: ${type}`], body));
    expect(res.status).toBe(status);
    expect((JSON.parse(res.body) as { error: string }).error).toMatch(message);
  });

  it('refuses binary data whose size disagrees with the shape or the body, with a 400', async () => {
    const send = (size: number, bytes: number, headerLength?: number) => {
      const json = JSON.stringify({ inputs: [{ name: 'window', shape: [1, L * 3], datatype: 'FP32', parameters: { binary_data_size: size } }] });
      return rawExchange(service.url, rawRequest('POST', path, [host(), `Inference-Header-Content-Length: ${headerLength ?? json.length}`], Buffer.concat([Buffer.from(json), Buffer.alloc(bytes)])));
    };
    const cases: [Promise<RawResponse[]>, RegExp][] = [
      [send(L * 3 * 4 - 4, L * 3 * 4 - 4), /binary_data_size" must be/],
      [send(L * 3 * 4, 12), /carries 12 bytes of binary tensor data/],
      [send(L * 3 * 4, L * 3 * 4, 10_000_000), /Inference-Header-Content-Length must be/],
    ];
    for (const [exchange, message] of cases) {
      const [res] = await exchange;
      expect(res.status).toBe(400);
      expect((JSON.parse(res.body) as { error: string }).error).toMatch(message);
    }
  });
});

describe('spec looseness closed: 400 {"error"} as the protocol says', () => {
  const infer = async (request: unknown): Promise<RawResponse> => {
    const [res] = await rawExchange(service.url, rawRequest('POST', path, [host(), 'Content-Type: application/json'], JSON.stringify(request)));
    return res;
  };
  const tensor = (shape: number[], data: unknown, extra: Record<string, unknown> = {}) => ({ name: 'window', datatype: 'FP32', shape, data, ...extra });
  const triples = () => asTriples(window);
  const cases: [string, () => unknown, RegExp][] = [
    ['ragged rows whose total matches the shape', () => ({ inputs: [tensor([2, L * 3], [Array.from(window.subarray(3)), [...window, 1, 2, 3]])] }), new RegExp(`data\\[0\\] has ${L * 3 - 3} items where shape \\[2, ${L * 3}\\] declares ${L * 3}`)],
    ['rows of triples nested one level short', () => ({ inputs: [tensor([1, L, 3], [Array.from(window)])] }), new RegExp(`data\\[0\\] has ${L * 3} items where shape \\[1, ${L}, 3\\] declares ${L}`)],
    ['a triple of four among triples', () => ({ inputs: [tensor([1, L, 3], [[...triples().slice(0, -1), [1, 2, 3, 4]]])] }), new RegExp(`data\\[0\\]\\[${L - 1}\\] has 4 items`)],
    ['numbers mixed with rows', () => ({ inputs: [tensor([1, L, 3], [[...triples().slice(0, -1), 7]])] }), new RegExp(`data\\[0\\]\\[${L - 1}\\] must be an array`)],
    ['request parameters that are not an object', () => ({ parameters: 'fast', inputs: [tensor([1, L * 3], Array.from(window))] }), /"parameters" must be an object/],
    ['input parameters that are an array', () => ({ inputs: [tensor([1, L * 3], Array.from(window), { parameters: [1] })] }), /input "window": "parameters" must be an object/],
    ['output parameters that are null', () => ({ inputs: [tensor([1, L * 3], Array.from(window))], outputs: [{ name: 'label', parameters: null }] }), /outputs\[0\]: "parameters" must be an object/],
    ['an output requested twice', () => ({ inputs: [tensor([1, L * 3], Array.from(window))], outputs: [{ name: 'label' }, { name: 'label' }] }), /"label" is requested twice/],
    ['an empty outputs array', () => ({ inputs: [tensor([1, L * 3], Array.from(window))], outputs: [] }), /"outputs" must be a non-empty array/],
    ['an output with an empty name', () => ({ inputs: [tensor([1, L * 3], Array.from(window))], outputs: [{ name: '' }] }), /outputs\[0\] must be an object with a non-empty "name"/],
    ['an output entry that is not an object', () => ({ inputs: [tensor([1, L * 3], Array.from(window))], outputs: ['label'] }), /outputs\[0\] must be an object/],
  ];
  it.each(cases)('%s', async (_name, request, message) => {
    const res = await infer(request());
    expect(res.status).toBe(400);
    const answer = JSON.parse(res.body) as Record<string, string>;
    expect(Object.keys(answer)).toEqual(['error']);
    expect(answer.error).toMatch(message);
  });

  it('accepts parameters that are objects, as the spec allows everywhere', async () => {
    const res = await infer({ parameters: { priority: 1 }, inputs: [tensor([1, L * 3], Array.from(window), { parameters: {} })], outputs: [{ name: 'label', parameters: { binary_data: false } }] });
    expect(res.status).toBe(200);
  });
});
