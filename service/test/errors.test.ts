import { readManifest, toWindow } from '../../gesture/src';
import type { RunningService } from '../src/server';
import { asTriples, MODEL_DIR, postJson, rawExchange, rawRequest, sampleRecordings, startLoggedService, type LogLine } from './helpers';

const manifest = readManifest(MODEL_DIR);
let service: RunningService;
let log: LogLine[];

beforeAll(async () => {
  ({ service, log } = await startLoggedService());
});
afterAll(() => service.stop());

const host = () => `Host: ${new URL(service.url).host}`;
const errorLines = () => log.filter((l) => l.level >= 50);

describe('unusual methods', () => {
  it.each(['PROPFIND', 'TRACE', 'MKCOL', 'LOCK', 'SEARCH', 'PURGE', 'REPORT'])('%s answers 501 {"error"}, logged as a client error without a stack', async (method) => {
    const before = errorLines().length;
    for (const path of ['/', '/predict', `/v2/models/${manifest.name}/infer`, '/nope']) {
      const [res] = await rawExchange(service.url, rawRequest(method, path, [host()]));
      expect([path, res.status]).toEqual([path, 501]);
      expect(JSON.parse(res.body)).toEqual({ error: `method ${method} is not implemented by this server` });
    }
    expect(errorLines().length).toBe(before);
  });

  it('a method a route lacks answers 405 {"error"} with Allow', async () => {
    const [res] = await rawExchange(service.url, rawRequest('PUT', '/predict', [host()], '{}'));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect((JSON.parse(res.body) as { error: string }).error).toBe('method PUT is not allowed on /predict; allowed: POST');
  });
});

describe('hostile shapes', () => {
  it('an OIP input name nested 5,000 deep is a 400, not a 500', async () => {
    const name = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await postJson(`${service.url}/v2/models/${manifest.name}/infer`, `{"inputs":[{"name":${name},"datatype":"FP32","shape":[1,3],"data":[1,2,3]}]}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'unknown input an array: the model\'s input is "window"' });
    expect(errorLines()).toEqual([]);
  });

  it('MAX_SAMPLES holds for triples as for flat values (3,000 triples passed before)', async () => {
    const samples = sampleRecordings()[0].samples;
    const triples = (n: number) => Array.from({ length: n }, (_, i) => asTriples(samples)[i % (samples.length / 3)]);
    for (const data of [triples(1001), [triples(1001)], triples(3000), Array.from({ length: 3003 }, () => 1)]) {
      const res = await postJson(`${service.url}/predict`, { data });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/at most 1000 samples/);
    }
    expect((await postJson(`${service.url}/predict`, { data: triples(1000) })).status).toBe(200);
    expect((await postJson(`${service.url}/predict`, { data: Array.from(toWindow(samples, 1000)) })).status).toBe(200);
  });
});
