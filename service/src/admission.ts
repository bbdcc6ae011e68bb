import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ShedReason } from './overload-log';
import { SECURITY_HEADERS } from './middleware/security-headers';

/**
 * Admission control in front of the application, on the raw node:http request: under overload the
 * excess is turned away before Koa, body reading or JSON parsing spend anything on it, so the
 * requests that are admitted keep the service near its saturated throughput and memory stays
 * bounded by the limits, not by what clients send.
 */
export interface AdmissionLimits {
  /** Requests being served at once, all clients together; beyond it: 503 + Retry-After. */
  maxInFlight: number;
  /**
   * Requests served at once from one connection (HTTP/1.1 pipelining). With this many unanswered
   * the connection is not read (TCP pushes back on the sender); requests already received in the
   * same read wait their turn.
   */
  maxPerConnection: number;
  /** Requests served at once for one client address (all its connections); beyond it: 429 + Retry-After. */
  maxPerClient: number;
  /**
   * Requests that may wait for a slot (FIFO, round robin over connections) instead of being refused:
   * held requests keep a closed-loop client from replacing each refusal at once, which would spend
   * the CPU the admitted requests need. Past it (and past 4 x the per-client and per-connection
   * limits), refusals.
   */
  maxWaiting: number;
  /**
   * How long a request may wait for a slot: one that waited longer is answered 503 + Retry-After
   * when its turn comes instead of being served late, so what is served is served within this
   * time plus its service time, and requests of clients that left (unseen while their connection
   * is not read) cost an answer, not a model run.
   */
  maxWaitMs: number;
}

export interface AdmissionHooks {
  /** The client a request counts against (normalised address). */
  clientOf: (req: IncomingMessage) => string;
  /** Requests never turned away (health probes: the platform must see the service alive under load). */
  exempt: (req: IncomingMessage) => boolean;
  onShed: (reason: ShedReason) => void;
}

interface Connection {
  /** Requests received and not yet answered (served, waiting or refused): reading stops at the limit. */
  outstanding: number;
  active: number;
  waiting: Waiting[];
  paused: boolean;
  /** Refused before: a further refusal is held (see refuse). */
  refused: boolean;
  /** Told to close with a refusal: later requests on it are ignored. */
  closing: boolean;
  /** A pause check is scheduled (see pauseIfComplete). */
  pauseCheck: boolean;
  newest?: IncomingMessage;
  /** Releases of this connection's admitted requests, run when the socket closes too: a response queued behind a pipelined one emits no 'close' of its own then. */
  releases: Set<() => void>;
}

/** Requests that may wait for a slot, per connection and per client: this many times their in-flight limit. */
const WAITING_PER_CONNECTION = 4;
const WAITING_PER_CLIENT = 4;


/** A request waiting for a slot; when it arrived is stamped on the request (arrivedAt). */
type Waiting = [IncomingMessage, ServerResponse];

const RELEASE = Symbol('release admission slot');
type Releasable = ServerResponse & { [RELEASE]?: () => void };

/** How long a repeated or pipelined refusal is held (the Retry-After it carries). */
const REFUSAL_HOLD_MS = 1000;
/** After that answer, how long a connection told to close may stay before it is cut. */
const UNREAD_CLOSE_MS = 5000;

/** Bodies past this size are not read just to be discarded after a refusal: the connection closes instead. */
const DISCARD_LIMIT_BYTES = 64 * 1024;

const refusal = (status: number, message: string, close: boolean): [number, string[], string] => {
  const body = JSON.stringify({ error: message });
  const headers = Object.entries({
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Retry-After': '1',
    ...(close ? { Connection: 'close' } : {}),
  }).flat();
  return [status, headers, body];
};

/** A body that is not read just to wait or to be discarded: chunked, or over DISCARD_LIMIT_BYTES. */
const hasLargeBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || !(Number(req.headers['content-length'] ?? 0) <= DISCARD_LIMIT_BYTES);

/** Precomputed answers: a refusal costs one writeHead and one end. */
const REFUSALS = {
  busy: [refusal(503, 'the server is busy, retry shortly', false), refusal(503, 'the server is busy, retry shortly', true)],
  client: [
    refusal(429, 'too many requests in flight from this client, retry shortly', false),
    refusal(429, 'too many requests in flight from this client, retry shortly', true),
  ],
} as const;

/** Send a precomputed refusal: one writeHead and one end. */
function answer(res: ServerResponse, [status, headers, body]: readonly [number, string[], string]): void {
  if (res.destroyed) return;
  res.writeHead(status, headers);
  res.end(body);
}

/** The fields node:http's server keeps on a socket it reads (lib/_http_server.js). */
type HttpSocket = Socket & { _paused?: boolean; parser?: { pause(): void; resume(): void } | null };

/**
 * Stop reading a connection the way node:http does for its own write backpressure: a bare
 * `socket.pause()` is undone by the request objects (IncomingMessage reads resume the socket unless
 * `_paused` is set), and node:http pauses its parser after the current chunk when it sees the flag.
 */
function pauseReading(socket: HttpSocket): void {
  socket._paused = true;
  socket.pause();
}

function resumeReading(socket: HttpSocket): void {
  socket._paused = false;
  socket.parser?.resume();
  socket.resume();
}

const ARRIVED = Symbol('arrived');
type Stamped = IncomingMessage & { [ARRIVED]?: number };

/** When node:http handed the request to admission (performance.now()): the service's latency runs from there. */
export const arrivedAt = (req: IncomingMessage): number | undefined => (req as Stamped)[ARRIVED];

/** What a waiting request needs before it can be served. */
type Verdict = 'admit' | 'busy' | 'client' | 'connection';

export class Admission {
  /** Requests admitted and not yet answered. */
  inFlight = 0;
  private readonly connections = new WeakMap<Socket, Connection>();
  private readonly clients = new Map<string, number>();
  /** Requests waiting for a slot, all and per client. */
  private waiting = 0;
  get waitingCount(): number {
    return this.waiting;
  }
  private readonly waitingPerClient = new Map<string, number>();
  /** Connections with requests waiting for a slot, in the order they are to be served (round robin). */
  private readonly queued = new Set<Connection>();
  private serve: RequestListener = () => undefined;

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly hooks: AdmissionHooks,
  ) {}

  /**
   * Wrap the application's request listener. A request that cannot be served at once waits for a
   * slot while the waiting bounds allow, else is refused at once (503 busy, 429 over the client's
   * share) for the cost of one small answer. A connection with MAX_IN_FLIGHT_PER_CONNECTION
   * unanswered requests is not read further, so a pipelining client is slowed by TCP.
   */
  listener(serve: RequestListener): RequestListener {
    this.serve = serve;
    return (req, res) => {
      (req as Stamped)[ARRIVED] = performance.now();
      const socket = req.socket;
      const connection = this.connection(socket);
      connection.outstanding++;
      connection.newest = req;
      // One listener per request: releases its slot if it was admitted, then counts it answered.
      res.once('close', () => {
        (res as Releasable)[RELEASE]?.();
        connection.outstanding--;
        if (connection.paused && connection.outstanding < this.limits.maxPerConnection && !socket.destroyed) {
          connection.paused = false;
          resumeReading(socket);
        }
      });
      // The connection was refused and told to close: what it pipelined after that is not looked at.
      if (connection.closing) return;
      const verdict = connection.waiting.length === 0 ? this.verdict(connection, req) : 'connection';
      if (verdict === 'admit') this.admit(connection, req, res);
      else if (this.mayWait(connection, req)) this.park(connection, [req, res]);
      else this.refuse(connection, req, res, verdict === 'client' ? 'client' : 'busy');
      if (!connection.pauseCheck && !connection.paused && connection.outstanding >= this.limits.maxPerConnection) {
        connection.pauseCheck = true;
        setImmediate(() => this.pauseIfComplete(connection, socket));
      }
    };
  }

  /**
   * Whether a request that cannot be served yet may wait for a slot: within the bounds on waiting
   * requests (all, per client, per connection), and with a small body (a big one is not buffered
   * just to wait).
   */
  private mayWait(connection: Connection, req: IncomingMessage): boolean {
    if (this.waiting >= this.limits.maxWaiting) return false;
    if (connection.waiting.length >= WAITING_PER_CONNECTION * this.limits.maxPerConnection) return false;
    if (!this.hooks.exempt(req) && (this.waitingPerClient.get(this.clientOf(req)) ?? 0) >= WAITING_PER_CLIENT * this.limits.maxPerClient) return false;
    return !hasLargeBody(req);
  }

  private park(connection: Connection, waiting: Waiting): void {
    connection.waiting.push(waiting);
    this.queued.add(connection);
    this.waiting++;
    if (!this.hooks.exempt(waiting[0])) this.count(this.waitingPerClient, this.clientOf(waiting[0]), +1);
  }

  private unpark(connection: Connection): Waiting {
    const next = connection.waiting.shift()!;
    this.waiting--;
    if (!this.hooks.exempt(next[0])) this.count(this.waitingPerClient, this.clientOf(next[0]), -1);
    return next;
  }

  /** Add `delta` to a per-client count, dropping clients at zero (the maps hold active clients only). */
  private count(map: Map<string, number>, client: string, delta: number): void {
    const value = (map.get(client) ?? 0) + delta;
    if (value === 0) map.delete(client);
    else map.set(client, value);
  }

  private verdict(connection: Connection, req: IncomingMessage): Verdict {
    if (connection.active >= this.limits.maxPerConnection) return 'connection';
    if (this.hooks.exempt(req)) return 'admit';
    if (this.inFlight >= this.limits.maxInFlight) return 'busy';
    if ((this.clients.get(this.clientOf(req)) ?? 0) >= this.limits.maxPerClient) return 'client';
    return 'admit';
  }

  private clientOf(req: IncomingMessage): string {
    return this.hooks.clientOf(req);
  }

  /**
   * Stop reading the connection, but only once its newest request is completely received: that
   * request (being served, or waiting behind others) may still need body bytes from the socket, and
   * the answers before it cannot go out until it is answered. Checked after the current read has
   * been parsed; a request arriving later checks again.
   */
  private pauseIfComplete(connection: Connection, socket: Socket): void {
    connection.pauseCheck = false;
    if (connection.paused || socket.destroyed || connection.outstanding < this.limits.maxPerConnection) return;
    if (connection.newest?.complete !== true) return;
    connection.paused = true;
    pauseReading(socket);
  }

  private connection(socket: Socket): Connection {
    let connection = this.connections.get(socket);
    if (connection === undefined) {
      const created: Connection = { outstanding: 0, active: 0, waiting: [], paused: false, refused: false, closing: false, pauseCheck: false, releases: new Set() };
      socket.once('close', () => {
        while (created.waiting.length > 0) this.unpark(created);
        this.queued.delete(created);
        for (const release of created.releases) release();
      });
      this.connections.set(socket, created);
      connection = created;
    }
    return connection;
  }

  private admit(connection: Connection, req: IncomingMessage, res: ServerResponse): void {
    const client = this.hooks.exempt(req) ? undefined : this.clientOf(req);
    if (client !== undefined) this.count(this.clients, client, +1);
    this.inFlight++;
    connection.active++;
    const release = (): void => {
      if (!connection.releases.delete(release)) return;
      this.inFlight--;
      connection.active--;
      if (client !== undefined) this.count(this.clients, client, -1);
      this.serveWaiting();
    };
    connection.releases.add(release);
    (res as Releasable)[RELEASE] = release;
    this.serve(req, res);
  }

  /**
   * A slot is free: serve waiting requests, one connection after another (each served connection
   * goes to the back), skipping connections held back by their own or their client's limit, until
   * the global limit is reached. A connection's requests that waited past maxWaitMs are answered
   * 503 at their turn (at once, not held: the connection stays usable).
   */
  private serveWaiting(): void {
    if (this.queued.size === 0) return;
    const staleBefore = performance.now() - this.limits.maxWaitMs;
    for (const connection of [...this.queued]) {
      if (this.inFlight >= this.limits.maxInFlight) return;
      let next = connection.waiting[0];
      while (next !== undefined && (arrivedAt(next[0]) as number) < staleBefore && !this.hooks.exempt(next[0])) {
        this.unpark(connection);
        this.hooks.onShed('waited');
        answer(next[1], REFUSALS.busy[0]);
        next = connection.waiting[0];
      }
      if (next === undefined) this.queued.delete(connection);
      if (next === undefined || this.verdict(connection, next[0]) !== 'admit') continue;
      this.unpark(connection);
      this.queued.delete(connection);
      if (connection.waiting.length > 0) this.queued.add(connection);
      this.admit(connection, next[0], next[1]);
    }
  }

  /**
   * Answer 503/429 with Retry-After: at once to a connection's first refusal of a lone request. A
   * connection refused before, or with other requests outstanding (pipelining), is answered after
   * the Retry-After second, unread meanwhile, and closed: answered at once, a closed-loop client
   * sends its next request at once, and that churn (parse, refuse, again) spends the CPU the
   * admitted requests need. Holding costs one timer per such connection.
   */
  private refuse(connection: Connection, req: IncomingMessage, res: ServerResponse, reason: 'busy' | 'client'): void {
    this.hooks.onShed(reason);
    const hold = connection.refused || connection.outstanding > 1;
    connection.refused = true;
    const refusal = REFUSALS[reason][hold || hasLargeBody(req) ? 1 : 0];
    if (!hold) return answer(res, refusal);
    connection.closing = true;
    if (!connection.paused) {
      connection.paused = true;
      pauseReading(req.socket);
    }
    setTimeout(answer, REFUSAL_HOLD_MS, res, refusal).unref();
    // A client that does not read even that answer is not kept connected.
    setTimeout(() => req.socket.destroy(), REFUSAL_HOLD_MS + UNREAD_CLOSE_MS).unref();
  }
}
