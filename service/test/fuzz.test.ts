import fc from 'fast-check';
import { readManifest, toWindow } from '../../gesture/src';
import type { RunningService } from '../src/server';
import { MODEL_DIR, postJson, sampleRecordings, startTestService } from './helpers';

const manifest = readManifest(MODEL_DIR);
let service: RunningService;
let valid: string;

beforeAll(async () => {
  service = await startTestService({ BODY_LIMIT_BYTES: String(256 * 1024) });
  valid = JSON.stringify({ data: Array.from(toWindow(sampleRecordings()[0].samples, manifest.input.windowLength)) });
});
afterAll(() => service.stop());

const number = fc.oneof(fc.double(), fc.integer(), fc.constant(9.81), fc.constant(1e308), fc.constant(-0));
const junk = fc.oneof(number, fc.string(), fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999'), fc.constant(null), fc.boolean(), fc.object());
const triple = fc.oneof(fc.tuple(number, number, number), fc.array(junk, { maxLength: 5 }));

/** Bodies a careless or hostile client might send: each a raw string. */
const bodies: fc.Arbitrary<string> = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200 }),
  fc.anything().map((v) => JSON.stringify({ data: v }) ?? 'undefined'),
  fc.array(junk, { maxLength: 400 }).map((data) => JSON.stringify({ data })),
  fc.array(triple, { maxLength: 150 }).map((data) => JSON.stringify({ data })),
  fc.array(triple, { maxLength: 150 }).map((data) => JSON.stringify({ data: [data] })),
  fc.integer({ min: 1, max: 60_000 }).map((n) => JSON.stringify({ data: Array.from({ length: n }, (_, i) => i % 97) })),
  fc.integer({ min: 1, max: 100_000 }).map((n) => `{"data":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.integer({ min: 1, max: 100_000 }).map((n) => `{"inputs":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.record({
    id: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
    inputs: fc.oneof(
      fc.anything(),
      fc.array(
        fc.record({
          name: fc.oneof(fc.constant('window'), fc.string()),
          datatype: fc.oneof(fc.constant('FP32'), fc.string()),
          shape: fc.array(fc.oneof(fc.integer({ min: -2, max: 400 }), fc.constant(manifest.input.windowLength), fc.constant(3), junk), { maxLength: 4 }),
          data: fc.oneof(fc.array(junk, { maxLength: 700 }), fc.array(fc.array(triple, { maxLength: 110 }), { maxLength: 3 }), junk),
        }),
        { maxLength: 2 },
      ),
    ),
    outputs: fc.oneof(fc.constant(undefined), fc.anything(), fc.array(fc.record({ name: fc.string() }), { maxLength: 3 })),
  }).map((r) => JSON.stringify(r)),
);

const contentTypes = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'application/xml', '*/*', 'application/vnd.api+json') },
);
const paths = fc.constantFrom('/predict', `/v2/models/${manifest.name}/infer`, `/v2/models/${manifest.name}/versions/${manifest.version}/infer`, '/v2/models/x/infer');

it('never answers 5xx, always answers errors as JSON, and keeps serving valid requests', async () => {
  await fc.assert(
    fc.asyncProperty(paths, contentTypes, bodies, async (path, type, body) => {
      const res = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
      expect(res.status).toBeLessThan(500);
      const answer = (await res.json()) as Record<string, unknown>;
      if (res.status >= 400) expect(typeof answer.error).toBe('string');
      const next = await postJson(`${service.url}/predict`, valid);
      expect(next.status).toBe(200);
    }),
    { numRuns: 400 },
  );
});
