import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Recording } from '../../gesture/src';
import { pickPerClass, smokeTest, SmokeError } from '../src/smoke';

const rec = (label: string, n: number): Recording =>
  ({ path: `/data/${label}/r${n}.csv`, label, dataset: 'd', person: 'p', personId: 'd/p', samples: new Float64Array(300).fill(n), rows: 100, sha256: '' }) as Recording;

interface Behaviour {
  readyAfter?: number;
  /** App Service's own error page instead of the service (the app never started). */
  platformErrorPage?: boolean;
  keyRequired?: boolean;
  answer?: (label: string) => unknown;
}

/** A stand-in for a deployed service whose answers the test chooses: the smoke test's failure modes. */
async function fakeService(b: Behaviour): Promise<{ url: string; server: Server }> {
  let readyCalls = 0;
  const server = createServer((req, res) => {
    if (b.platformErrorPage) {
      res.writeHead(503, { 'content-type': 'text/html' });
      return res.end('<html><body>:( Application Error</body></html>');
    }
    if (req.url === '/v2/health/ready') {
      readyCalls += 1;
      res.statusCode = readyCalls > (b.readyAfter ?? 0) ? 200 : 503;
      res.setHeader('content-type', 'application/json');
      return res.end('{}');
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if ((b.keyRequired ?? true) && req.headers['x-api-key'] !== 'k') {
        res.statusCode = 401;
        return res.end('{"error":"unauthorized"}');
      }
      const value = (JSON.parse(body) as { data: number[] }).data[0];
      const label = ['O', 'V', 'Z'][value % 3];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(b.answer ? b.answer(label) : { gesture: label, confidence: 91.5 }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// Sample value n encodes the label the fake answers: O=0, V=1, Z=2 (mod 3).
const recordings = [rec('O', 0), rec('V', 1), rec('Z', 2), rec('O', 3)];

async function run(b: Behaviour, timeoutMs = 2000, expectVersion?: string) {
  const { url, server } = await fakeService(b);
  try {
    return await smokeTest({ baseUrl: url, apiKey: 'k', recordings, readyTimeoutMs: timeoutMs, pollIntervalMs: 20, expectVersion });
  } finally {
    server.close();
  }
}

describe('smoke test', () => {
  it('waits for readiness, then passes a service that answers the lab contract correctly', async () => {
    const result = await run({ readyAfter: 3 });
    expect(result.correct).toBe(4);
    expect(result.predictions.map((p) => p.gesture)).toEqual(['O', 'V', 'Z', 'O']);
  });

  it.each<[string, Behaviour, string]>([
    ['never ready', { readyAfter: 1e9 }, 'the service answered but never became ready'],
    ['never started (only App Service answers: e.g. its package was not readable yet)', { platformErrorPage: true }, 'az webapp restart'],
    ['answers without the API key', { keyRequired: false }, 'without the API key answered 200'],
    ['breaks the lab contract', { answer: () => ({ prediction: 'O', confidence: 0.9 }) }, 'broke the lab contract'],
    ['gives a confidence out of 0-100', { answer: (l) => ({ gesture: l, confidence: 180 }) }, 'broke the lab contract'],
    ['answers with a shifted label order', { answer: (l) => ({ gesture: { O: 'V', V: 'Z', Z: 'O' }[l], confidence: 90 }) }, 'only 0 of 4'],
  ])('fails a service that %s', async (_name, behaviour, message) => {
    await expect(run(behaviour, 300)).rejects.toThrow(SmokeError);
    await expect(run(behaviour, 300)).rejects.toThrow(message);
  });

  it('checks that the app serves the registered version just deployed', async () => {
    const serving = (version: string) => ({ answer: (l: string) => ({ gesture: l, confidence: 90, model: 'wand-default', version }) });
    await expect(run(serving('3'), 2000, '3')).resolves.toMatchObject({ correct: 4 });
    await expect(run(serving('2'), 2000, '3')).rejects.toThrow('answers with model version "2", expected 3: the previous package is still running');
  });

  it('picks the same first recordings per class every time', () => {
    const picked = pickPerClass([rec('V', 5), rec('O', 3), rec('O', 1), rec('Z', 2), rec('O', 0)], 2);
    expect(picked.map((r) => r.path)).toEqual(['/data/O/r0.csv', '/data/O/r1.csv', '/data/V/r5.csv', '/data/Z/r2.csv']);
  });
});
