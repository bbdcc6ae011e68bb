/** The response reader: accepts the lab's answer with extra keys, rejects everything else without crashing. */
import fc from 'fast-check';
import { loadWandCore } from '../host/wandcore';

const core = loadWandCore();
const labels = core.model.labels;
const label0 = labels[0];

describe('response reader', () => {
  it('reads gesture and confidence (percent) and ignores extra keys of any shape', () => {
    const body = JSON.stringify({ model: { name: 'x', v: [1, 2, { a: null }] }, gesture: label0, ok: true, confidence: 97.1, note: 'é\n"' });
    expect(core.readResponse(body)).toEqual({ error: null, label: 0, confidence: expect.closeTo(0.971, 6) });
    expect(core.readResponse(` {"confidence":0,"gesture":"${label0.toLowerCase()}"} \n`)).toMatchObject({ error: null, confidence: 0 });
    expect(core.readResponse(`{"gesture":"${labels[1]}","confidence":1e2}`)).toMatchObject({ error: null, label: 1, confidence: 1 });
  });

  it.each([
    ['', 'empty response'],
    ['   ', 'empty response'],
    ['<html>502 Bad Gateway</html>', 'malformed response'],
    ['[1,2]', 'malformed response'],
    [`{"gesture":"${label0}","confidence":97.1}x`, 'malformed response'],
    [`{"gesture":"${label0}","confidence":97.1,}`, 'malformed response'],
    [`{"gesture":"${label0}","confidence":01}`, 'malformed response'],
    [`{"gesture":"${label0}","confidence":NaN}`, 'malformed response'],
    [`{"gesture":"${label0}","confidence":"97"}`, 'confidence is not a number'],
    [`{"gesture":1,"confidence":97}`, 'gesture is not a string'],
    [`{"confidence":97}`, 'no gesture in response'],
    [`{"gesture":"${label0}"}`, 'no confidence in response'],
    [`{"gesture":"${label0}","gesture":"${label0}","confidence":9}`, 'duplicate key in response'],
    [`{"gesture":"S","confidence":97}`, 'unknown label'],
    [`{"gesture":"${label0}\\u0000","confidence":97}`, 'unknown label'],
    [`{"gesture":"${'O'.repeat(500)}","confidence":97}`, 'unknown label'],
    [`{"gesture":"${label0}","confidence":100.5}`, 'confidence out of range'],
    [`{"gesture":"${label0}","confidence":-1}`, 'confidence out of range'],
    [`{"gesture":"${label0}","confidence":1e999}`, 'confidence out of range'],
    [`{"error":"data must be an array"}`, 'no gesture in response'],
    [`{"x":${'['.repeat(40)}${']'.repeat(40)},"gesture":"${label0}","confidence":9}`, 'malformed response'],
  ])('rejects %j: %s', (body, error) => {
    expect(core.readResponse(body).error).toBe(error);
  });

  it('rejects every truncation of a valid body', () => {
    const body = JSON.stringify({ gesture: label0, confidence: 97.1, extra: { list: [1, 'two', null] } });
    for (let n = 0; n < body.length; n++) {
      expect(core.readResponse(body.slice(0, n)).error).not.toBeNull();
    }
    expect(core.readResponse(body).error).toBeNull();
  });

  it('never crashes and only accepts what JSON.parse agrees is a valid answer, on arbitrary bytes and JSON', () => {
    const valid = (text: string): boolean => {
      try {
        const v = JSON.parse(text) as Record<string, unknown>;
        return (
          typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.gesture === 'string' &&
          labels.some((l) => l.toLowerCase() === (v.gesture as string).toLowerCase()) &&
          typeof v.confidence === 'number' && v.confidence >= 0 && v.confidence <= 100
        );
      } catch {
        return false;
      }
    };
    const answer = fc.record({ gesture: fc.oneof(fc.constantFrom(...labels), fc.string()), confidence: fc.double({ min: -10, max: 110, noNaN: true }) });
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.tuple(answer, fc.dictionary(fc.string(), fc.jsonValue())).map(([a, extra]) => JSON.stringify({ ...extra, ...a })),
    );
    fc.assert(
      fc.property(bodies, (text) => {
        const result = core.readResponse(text);
        if (result.error === null) {
          expect(valid(text)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
