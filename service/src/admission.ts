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
   * same read wait their turn, up to as many again, and past that get 503s.
   */
  maxPerConnection: number;
  /** Requests served at once for one client address (all its connections); beyond it: 429 + Retry-After. */
  maxPerClient: number;
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
  waiting: [IncomingMessage, ServerResponse][];
  paused: boolean;
  /** Releases of this connection's admitted requests, run when the socket closes too: a response queued behind a pipelined one emits no 'close' of its own then. */
  releases: Set<() => void>;
}

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

/** Precomputed answers: a refusal costs one writeHead and one end. */
const REFUSALS = {
  busy: [refusal(503, 'the server is busy, retry shortly', false), refusal(503, 'the server is busy, retry shortly', true)],
  client: [
    refusal(429, 'too many requests in flight from this client, retry shortly', false),
    refusal(429, 'too many requests in flight from this client, retry shortly', true),
  ],
} as const;

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

export class Admission {
  /** Requests admitted and not yet answered. */
  inFlight = 0;
  private readonly connections = new WeakMap<Socket, Connection>();
  private readonly clients = new Map<string, number>();

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly hooks: AdmissionHooks,
  ) {}

  /** Requests in flight for a client (for tests and metrics). */
  clientInFlight(client: string): number {
    return this.clients.get(client) ?? 0;
  }

  /** Wrap the application's request listener. */
  listener(serve: RequestListener): RequestListener {
    return (req, res) => {
      const socket = req.socket;
      const connection = this.connection(socket);
      connection.outstanding++;
      res.once('close', () => {
        connection.outstanding--;
        if (connection.paused && connection.outstanding < this.limits.maxPerConnection && !socket.destroyed) {
          connection.paused = false;
          resumeReading(socket);
        }
      });
      if (connection.active < this.limits.maxPerConnection) this.admit(connection, req, res, serve);
      else if (connection.waiting.length < this.limits.maxPerConnection) connection.waiting.push([req, res]);
      else this.refuse(req, res, 'busy');
      if (!connection.paused && connection.outstanding >= this.limits.maxPerConnection) {
        connection.paused = true;
        pauseReading(socket);
      }
    };
  }

  private connection(socket: Socket): Connection {
    let connection = this.connections.get(socket);
    if (connection === undefined) {
      const created: Connection = { outstanding: 0, active: 0, waiting: [], paused: false, releases: new Set() };
      socket.once('close', () => {
        created.waiting.length = 0;
        for (const release of created.releases) release();
      });
      this.connections.set(socket, created);
      connection = created;
    }
    return connection;
  }

  private admit(connection: Connection, req: IncomingMessage, res: ServerResponse, serve: RequestListener): void {
    let client: string | undefined;
    if (!this.hooks.exempt(req)) {
      if (this.inFlight >= this.limits.maxInFlight) return this.refuse(req, res, 'busy');
      client = this.hooks.clientOf(req);
      if ((this.clients.get(client) ?? 0) >= this.limits.maxPerClient) return this.refuse(req, res, 'client');
      this.clients.set(client, (this.clients.get(client) ?? 0) + 1);
    }
    this.inFlight++;
    connection.active++;
    const release = (): void => {
      if (!connection.releases.delete(release)) return;
      this.inFlight--;
      connection.active--;
      if (client !== undefined) {
        const left = this.clients.get(client)! - 1;
        if (left === 0) this.clients.delete(client);
        else this.clients.set(client, left);
      }
      this.next(connection, serve);
    };
    connection.releases.add(release);
    res.once('close', release);
    serve(req, res);
  }

  /** A slot on the connection is free: serve who waits. */
  private next(connection: Connection, serve: RequestListener): void {
    while (connection.active < this.limits.maxPerConnection && connection.waiting.length > 0) {
      const [req, res] = connection.waiting.shift()!;
      this.admit(connection, req, res, serve);
    }
  }

  private refuse(req: IncomingMessage, res: ServerResponse, reason: 'busy' | 'client'): void {
    this.hooks.onShed(reason);
    const length = Number(req.headers['content-length'] ?? 0);
    const close = req.headers['transfer-encoding'] !== undefined || !(length <= DISCARD_LIMIT_BYTES);
    const [status, headers, body] = REFUSALS[reason][close ? 1 : 0];
    res.writeHead(status, headers);
    res.end(body);
  }
}
