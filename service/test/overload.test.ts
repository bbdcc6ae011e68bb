import { connect, type Socket } from 'node:net';
import { readManifest, toWindow } from '../../gesture/src';
import type { RunningService } from '../src/server';
import { MODEL_DIR, parseResponses, rawExchange, rawRequest, sampleRecordings, startLoggedService, startTestService, type RawResponse } from './helpers';

/** Overload and slow clients, on raw sockets: what the service takes in, what it turns away, and when. */
const manifest = readManifest(MODEL_DIR);
const body = () => JSON.stringify({ data: Array.from(toWindow(sampleRecordings()[0].samples, manifest.input.windowLength)) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const port = (service: RunningService) => Number(new URL(service.url).port);

/** A socket that collects everything the server sends. */
function open(service: RunningService): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port(service), '127.0.0.1');
  let text = '';
  socket.setEncoding('latin1').on('data', (c: string) => (text += c));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => text, closed };
}

async function until<T>(probe: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
}

/** A /predict whose headers and first bytes are sent: it is in flight until `finish` sends the rest. */
async function heldRequest(service: RunningService, headers: string[] = []) {
  const payload = body();
  const conn = open(service);
  conn.socket.write(`POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers.map((h) => `${h}\r\n`).join('')}Content-Length: ${payload.length}\r\n\r\n${payload.slice(0, 50)}`);
  await sleep(30);
  return {
    finish: async (): Promise<RawResponse> => {
      conn.socket.write(payload.slice(50));
      const [res] = await until(() => (parseResponses(conn.received()).length > 0 ? parseResponses(conn.received()) : undefined));
      conn.socket.destroy();
      return res;
    },
  };
}

const metric = async (service: RunningService, name: string): Promise<number> => {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? NaN : Number(line.split(' ').pop());
};

describe('overload is turned away before the body is read', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ MAX_IN_FLIGHT: '4', MAX_WAITING: '1', MAX_IN_FLIGHT_PER_CLIENT: '100' });
  });
  afterAll(() => service.stop());

  it('past MAX_IN_FLIGHT and MAX_WAITING: 503 with Retry-After at once, without waiting for a body; health stays open; the rest complete', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => heldRequest(service)));
    // Headers announcing a 1 MB body, and no body at all: not buffered to wait, answered at once (and closed).
    const [big] = await rawExchange(service.url, 'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n');
    expect([big.status, big.headers['retry-after'], big.headers.connection]).toEqual([503, '1', 'close']);
    expect(JSON.parse(big.body)).toEqual({ error: 'the server is busy, retry shortly' });
    // One small request may wait for a slot; the next is refused at once.
    const waiting = rawExchange(service.url, rawRequest('POST', '/predict', ['Host: x', 'Content-Type: application/json'], body()));
    await until(() => (service.admission.waitingCount === 1 ? true : undefined));
    const [refused] = await rawExchange(service.url, rawRequest('POST', '/predict', ['Host: x', 'Content-Type: application/json'], body()));
    expect([refused.status, refused.headers['retry-after']]).toEqual([503, '1']);
    expect(refused.headers.connection).not.toBe('close');
    expect((await fetch(`${service.url}/v2/health/ready`)).status).toBe(200);
    expect(service.admission.inFlight).toBe(4);
    for (const res of await Promise.all(held.map((h) => h.finish()))) expect(res.status).toBe(200);
    expect((await waiting)[0].status).toBe(200);
    expect(await metric(service, 'wand_requests_turned_away_total{reason="busy"}')).toBe(2);
  });
});

describe('a request waits for a slot at most MAX_WAIT_MS', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ MAX_IN_FLIGHT: '1', MAX_WAITING: '4', MAX_WAIT_MS: '300', MAX_IN_FLIGHT_PER_CLIENT: '100' });
  });
  afterAll(() => service.stop());

  const waitFor = async (held: Awaited<ReturnType<typeof heldRequest>>, ms: number) => {
    const waiting = rawExchange(service.url, rawRequest('POST', '/predict', ['Host: x', 'Content-Type: application/json'], body()));
    await until(() => (service.admission.waitingCount === 1 ? true : undefined));
    await sleep(ms);
    expect((await held.finish()).status).toBe(200);
    return (await waiting)[0];
  };

  it('one that waited longer is answered 503 with Retry-After when its turn comes, not served late; the connection stays open', async () => {
    const stale = await waitFor(await heldRequest(service), 600);
    expect([stale.status, stale.headers['retry-after'], stale.headers.connection]).toEqual([503, '1', 'keep-alive']);
    expect(JSON.parse(stale.body)).toEqual({ error: 'the server is busy, retry shortly' });
    expect(await metric(service, 'wand_requests_turned_away_total{reason="waited"}')).toBe(1);
    expect(service.admission.waitingCount).toBe(0);
  });

  it('one served within it is timed from its arrival in node:http (wand_http_request_duration_seconds includes the wait)', async () => {
    const series = 'wand_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/predict",status="200"}';
    const fast = await metric(service, series);
    expect((await waitFor(await heldRequest(service), 150)).status).toBe(200);
    // The held request (~200 ms in flight) and the one that waited ~150 ms: neither under 100 ms.
    expect(await metric(service, series)).toBe(fast);
  });
});

describe('open connections are bounded (MAX_CONNECTIONS)', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ MAX_CONNECTIONS: '16' });
  });
  afterAll(() => service.stop());

  it('a connection past the limit is dropped at once and counted; room again once one closes', async () => {
    const held = Array.from({ length: 16 }, () => open(service));
    await Promise.all(held.map((c) => new Promise((resolve) => c.socket.once('connect', resolve))));
    await sleep(50);
    const extra = open(service);
    await extra.closed;
    expect(extra.received()).toBe('');
    held[0].socket.destroy();
    await held[0].closed;
    await sleep(50);
    const [res] = await rawExchange(service.url, rawRequest('GET', '/v2/health/live', ['Host: x']));
    expect(res.status).toBe(200);
    for (const c of held) c.socket.destroy();
    await sleep(50);
    expect(await metric(service, 'wand_requests_turned_away_total{reason="connections"}')).toBe(1);
  });
});

describe('one client cannot take the service', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ MAX_IN_FLIGHT_PER_CONNECTION: '4', MAX_IN_FLIGHT_PER_CLIENT: '6', TRUST_PROXY: 'true' });
  });
  afterAll(() => service.stop());

  it('a connection pipelining 40 requests has at most 4 served at once (model runs of at most 4 rows), answered in order', async () => {
    const conn = open(service);
    const requests = Array.from({ length: 40 }, (_, i) => rawRequest('POST', '/predict', ['Host: x', 'Content-Type: application/json', `X-Request-Id: pipelined-${i}`], body()));
    conn.socket.write(Buffer.concat(requests));
    const responses = await until(() => {
      const parsed = parseResponses(conn.received());
      return parsed.length === 40 || (parsed.length > 0 && parsed[parsed.length - 1].status === 503) ? parsed : undefined;
    }, 20_000);
    conn.socket.destroy();
    // All 40 served in order; or, when one read brought more than 4 + 16 waiting, the served ones
    // then one 503 that closes the connection (the rest were not looked at).
    const served = responses.filter((r) => r.status === 200);
    served.forEach((res, i) => expect(res.headers['x-request-id']).toBe(`pipelined-${i}`));
    expect(served.length).toBeGreaterThanOrEqual(8);
    if (served.length < 40) {
      expect(responses.slice(served.length)).toEqual([expect.objectContaining({ status: 503, headers: expect.objectContaining({ 'retry-after': '1', connection: 'close' }) })]);
    }
    const runs = await metric(service, 'wand_inference_batch_rows_count');
    expect(await metric(service, 'wand_inference_batch_rows_bucket{le="4"}')).toBe(runs);
  });

  it('a connection that pipelines 100,000 requests and never reads gets few served, at most 4 at once', async () => {
    const counts = async () => {
      // A fresh connection each time: no kept-alive socket to race the server's keep-alive timeout.
      const [res] = await rawExchange(service.url, rawRequest('GET', '/metrics', ['Host: x']));
      const value = (name: string) => Number(res.body.split('\n').find((l) => l.startsWith(name))?.split(' ').pop() ?? 0);
      return { served: value(`wand_http_requests_total{method="GET",route="/v2/models/:name",status="200"}`), refused: value('wand_requests_turned_away_total{reason="busy"}') };
    };
    const before = await counts();
    const conn = open(service);
    // Another client address than this test's own /metrics reads (TRUST_PROXY is on).
    const request = rawRequest('GET', `/v2/models/${manifest.name}`, ['Host: x', 'X-Forwarded-For: 198.51.100.99']);
    conn.socket.pause();
    conn.socket.write(Buffer.concat(Array.from({ length: 100_000 }, () => request)));
    // Wait for reading to stop, as far as the kernel's socket buffers absorb answers (timing-free:
    // on a busy machine this takes longer, the bound is the same).
    let previous = { served: -1, refused: -1 };
    let current = await counts();
    while (current.served !== previous.served || current.refused !== previous.refused) {
      await sleep(500);
      [previous, current] = [current, await counts()];
    }
    // Before: all it read was served (7,271 answers held for a client that reads none; RSS grew).
    expect(current.served - before.served).toBeLessThan(1000);
    expect(service.admission.inFlight).toBeLessThanOrEqual(4);
    expect(current.refused - before.refused).toBeLessThanOrEqual(1);
    conn.socket.destroy();
    await until(() => (service.admission.inFlight === 0 ? true : undefined));
  });

});

describe('one client address cannot take every slot', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ MAX_IN_FLIGHT_PER_CLIENT: '6', MAX_WAITING: '0', TRUST_PROXY: 'true' });
  });
  afterAll(() => service.stop());

  it('one client address over MAX_IN_FLIGHT_PER_CLIENT (across connections) gets 429 with Retry-After; others are served', async () => {
    const client = 'X-Forwarded-For: 198.51.100.7:4431';
    const held = await Promise.all(Array.from({ length: 6 }, () => heldRequest(service, [client])));
    const [limited] = await rawExchange(service.url, rawRequest('POST', '/predict', ['Host: x', 'Content-Type: application/json', 'X-Forwarded-For: 198.51.100.7:5555'], body()));
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '1']);
    expect(JSON.parse(limited.body)).toEqual({ error: 'too many requests in flight from this client, retry shortly' });
    const [other] = await rawExchange(service.url, rawRequest('POST', '/predict', ['Host: x', 'Content-Type: application/json', 'X-Forwarded-For: 203.0.113.9'], body()));
    expect(other.status).toBe(200);
    for (const res of await Promise.all(held.map((h) => h.finish()))) expect(res.status).toBe(200);
  });
});

describe('REQUEST_TIMEOUT_MS is held within a second', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startTestService({ REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(() => service.stop());

  it.each([
    ['headers that never end', 'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: app'],
    ['a body that never arrives', 'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"data": ['],
  ])('%s: 408 between 1 and 2 s after the request started', async (_name, partial) => {
    const conn = open(service);
    const started = Date.now();
    conn.socket.write(partial);
    const status = await until(() => /^HTTP\/1\.1 (\d+)/.exec(conn.received())?.[1], 5000);
    const elapsed = Date.now() - started;
    conn.socket.destroy();
    expect(status).toBe('408');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('overload is logged as a summary', () => {
  it('503s for a full model queue are counted, not logged one error line each', async () => {
    const { service, log } = await startLoggedService({ MAX_QUEUE: '1' });
    const twoRows = JSON.stringify({ inputs: [{ name: 'window', datatype: 'FP32', shape: [2, manifest.input.windowLength * 3], data: Array.from({ length: manifest.input.windowLength * 6 }, () => 1) }] });
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${service.url}/v2/models/${manifest.name}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: twoRows });
      expect([res.status, res.headers.get('retry-after')]).toEqual([503, '1']);
    }
    await service.stop();
    expect(log.filter((l) => l.level >= 50)).toEqual([]);
    const summaries = log.filter((l) => l.msg === 'overload: requests turned away');
    expect(summaries).toEqual([expect.objectContaining({ level: 40, total: 30, turnedAway: { queue: 30 } })]);
  });
});
