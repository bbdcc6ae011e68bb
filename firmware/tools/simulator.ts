/**
 * The device simulator: replays recordings through the wand's C++ core (the host addon) as a wand
 * would, asks a real service over HTTP when the core's policy says so, and measures the result.
 * The wand's own behaviour (capture size, policy, payload, response reading, fallback, log lines)
 * is the C++; only the HTTP exchange is done here, as the sketch does it with HTTPClient.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { labelKey, type Recording } from '../../gesture/src';
import { loadWandCore, type CloudOutcome, type FlowSettings, type TransportFailure } from '../host/wandcore';

export interface SimulationOptions {
  /** Service base URL, e.g. http://127.0.0.1:8000 (POST <server>/predict). */
  server: string;
  recordings: readonly Recording[];
  apiKey?: string;
  /** Policy and deadline settings; unset ones come from the model header and the core's defaults. */
  settings?: FlowSettings;
  /** Whether the wand has a network at all. */
  online?: boolean;
  /** Also ask the cloud about recordings the wand answered locally, to report cloud-only accuracy. */
  cloudBaseline?: boolean;
  /** Receives every serial log line, in order. */
  onLine?: (line: string) => void;
}

export interface LatencyFigures {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface SimulationSummary {
  recordings: number;
  /** Recordings whose class the edge model does not know (left out of the accuracies). */
  unknownClass: number;
  accuracy: { localOnly: number; cloudOnly: number | null; wand: number };
  cloudOnlyAnswered: number;
  offloaded: number;
  offloadFraction: number;
  cloudAnswers: number;
  /** Well-formed cloud answers with a label the wand does not have (CLOUD_UNUSABLE). */
  cloudUnusable: number;
  cloudFailures: number;
  /** Captures without motion (NO_GESTURE): no answer, never offloaded. */
  noGesture: number;
  skipped: Record<string, number>;
  latency: { local: LatencyFigures; cloud: LatencyFigures; fallback: LatencyFigures };
  bytesSent: number;
  bytesPerOffload: number | null;
}

const percentile = (sorted: number[], q: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

function figures(values: number[]): LatencyFigures {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
}

/** Why a request got no response, in the words of the device's log (CloudExchange.h transportName). */
function transportReason(err: unknown): TransportFailure {
  const e = err as { name?: string; code?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'connect failed';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection lost'; // e.g. a kept-alive socket the server closed
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns failed';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) return 'tls failed';
  return 'http client error';
}

/** Time a fresh connection needs; a dropped kept-alive one is retried only with this much of the deadline left (as the sketch). */
const FRESH_ATTEMPT_MS = 1500;

interface Attempt {
  outcome: CloudOutcome;
  /** The request went out on a connection kept from an earlier one. */
  reused: boolean;
}

/**
 * The device's HTTP side: POST /predict on one kept-alive connection of its own (as the sketch's
 * static HTTPClient), within the gesture's deadline, retrying once when the kept connection had
 * been dropped by the server.
 */
export class CloudClient {
  private readonly url: URL;
  private readonly agent: http.Agent;

  constructor(
    server: string,
    private readonly apiKey: string | undefined,
    /** Bytes of the body kept, as the device's fixed receive buffer. */
    private readonly limit: number,
  ) {
    this.url = new URL('/predict', server);
    const options = { keepAlive: true, maxSockets: 1 };
    this.agent = this.url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
  }

  async post(payload: string, remainingMs: number): Promise<CloudOutcome> {
    const started = performance.now();
    const first = await this.attempt(payload, remainingMs);
    const left = Math.max(0, remainingMs - (performance.now() - started));
    const failure = first.outcome.error as TransportFailure | undefined;
    if (failure === undefined || !loadWandCore().worthRetry(failure, first.reused, left, FRESH_ATTEMPT_MS)) return first.outcome;
    return (await this.attempt(payload, left)).outcome;
  }

  close(): void {
    this.agent.destroy();
  }

  private attempt(payload: string, timeoutMs: number): Promise<Attempt> {
    return new Promise((resolve) => {
      const request = (this.url.protocol === 'https:' ? https : http).request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': 'application/json', ...(this.apiKey ? { 'x-api-key': this.apiKey } : {}) },
        signal: AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs))),
      });
      const fail = (err: unknown): void => resolve({ outcome: { status: 0, error: transportReason(err) }, reused: request.reusedSocket });
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= this.limit + 1) chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const outcome = { status: response.statusCode ?? 0, body: bytes.subarray(0, this.limit).toString('utf8'), truncated: size > this.limit };
          resolve({ outcome, reused: request.reusedSocket });
        });
      });
      request.end(payload);
    });
  }
}

export async function simulate(options: SimulationOptions): Promise<SimulationSummary> {
  const core = loadWandCore();
  const deadlineMs = options.settings?.deadlineMs ?? 4000;
  const flow = new core.Flow({ ...options.settings, deadlineMs }, () => performance.now());
  const labelOf = new Map(core.model.labels.map((l, i) => [labelKey(l), i]));
  const emit = (lines: string[]): void => lines.forEach((line) => options.onLine?.(line));
  const cloud = new CloudClient(options.server, options.apiKey, core.model.responseBufferBytes);

  let known = 0;
  let localRight = 0;
  let wandRight = 0;
  let cloudRight = 0;
  let cloudOnlyAnswered = 0;
  let offloaded = 0;
  let cloudAnswers = 0;
  let cloudUnusable = 0;
  let noGesture = 0;
  let bytesSent = 0;
  const skipped: Record<string, number> = {};
  const latency = { local: [] as number[], cloud: [] as number[], fallback: [] as number[] };

  for (const recording of options.recordings) {
    const truth = labelOf.get(labelKey(recording.label));
    const started = performance.now();
    const begin = flow.begin(recording.samples, options.online ?? true);
    emit(begin.lines);
    let answer = begin;
    let cloudLabel: number | undefined;
    if (begin.step === 'send' && begin.payload !== undefined) {
      offloaded++;
      bytesSent += Buffer.byteLength(begin.payload);
      answer = { ...begin, ...flow.finish(await cloud.post(begin.payload, flow.remainingMs())) };
      emit(answer.lines);
      if (answer.lines.some((l) => l.startsWith('CLOUD_UNUSABLE'))) cloudUnusable++;
      (answer.fromCloud ? latency.cloud : latency.fallback).push(performance.now() - started);
      if (answer.fromCloud) {
        cloudAnswers++;
        cloudLabel = answer.label;
      }
    } else {
      if (begin.step === 'none') noGesture++;
      latency.local.push(performance.now() - started);
      if (begin.route !== 'local' && begin.route !== 'offload') skipped[begin.route] = (skipped[begin.route] ?? 0) + 1;
    }
    if (cloudLabel === undefined && options.cloudBaseline) {
      const payload = core.writePayload(recording.samples);
      const outcome = payload === null ? undefined : await cloud.post(payload, deadlineMs);
      const parsed = outcome?.status === 200 && !outcome.truncated ? core.readResponse(outcome.body ?? '') : undefined;
      if (parsed && parsed.error === null) cloudLabel = parsed.label;
    }
    if (truth === undefined) continue;
    known++;
    if (begin.local.label === truth) localRight++;
    if (answer.label === truth) wandRight++;
    if (cloudLabel !== undefined) {
      cloudOnlyAnswered++;
      if (cloudLabel === truth) cloudRight++;
    }
  }

  cloud.close();
  const n = options.recordings.length;
  return {
    recordings: n,
    unknownClass: n - known,
    accuracy: {
      localOnly: known ? localRight / known : 0,
      cloudOnly: cloudOnlyAnswered === known && known > 0 ? cloudRight / known : null,
      wand: known ? wandRight / known : 0,
    },
    cloudOnlyAnswered,
    offloaded,
    offloadFraction: n ? offloaded / n : 0,
    cloudAnswers,
    cloudUnusable,
    cloudFailures: offloaded - cloudAnswers - cloudUnusable,
    noGesture,
    skipped,
    latency: { local: figures(latency.local), cloud: figures(latency.cloud), fallback: figures(latency.fallback) },
    bytesSent,
    bytesPerOffload: offloaded ? bytesSent / offloaded : null,
  };
}

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const ms = (f: LatencyFigures): string =>
  f.count === 0 ? 'none' : `p50 ${(f.p50Ms as number).toFixed(2)} ms, p95 ${(f.p95Ms as number).toFixed(2)} ms (${f.count})`;

/** The summary as the simulator prints it. */
export function formatSummary(s: SimulationSummary): string {
  const skipped = Object.entries(s.skipped).map(([why, count]) => `${why} ${count}`).join(', ') || 'none';
  return [
    `recordings:        ${s.recordings}${s.unknownClass ? ` (${s.unknownClass} of classes the model does not know)` : ''}`,
    `accuracy local:    ${pct(s.accuracy.localOnly)}`,
    `accuracy cloud:    ${pct(s.accuracy.cloudOnly)}${s.accuracy.cloudOnly === null ? ` (cloud answered ${s.cloudOnlyAnswered})` : ''}`,
    `accuracy wand:     ${pct(s.accuracy.wand)}`,
    `no gesture:        ${s.noGesture}`,
    `offloaded:         ${s.offloaded} (${pct(s.offloadFraction)}), cloud answers ${s.cloudAnswers}, unusable ${s.cloudUnusable}, failures ${s.cloudFailures}`,
    `offloads skipped:  ${skipped}`,
    `latency local:     ${ms(s.latency.local)}`,
    `latency cloud:     ${ms(s.latency.cloud)}`,
    `latency fallback:  ${ms(s.latency.fallback)}`,
    `bytes sent:        ${s.bytesSent}${s.bytesPerOffload === null ? '' : ` (${s.bytesPerOffload.toFixed(0)} per offload)`}`,
  ].join('\n');
}
