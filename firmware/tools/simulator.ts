/**
 * The device simulator: replays recordings through the wand's C++ core (the host addon) as a wand
 * would, asks a real service over HTTP when the core's policy says so, and measures the result.
 * The wand's own behaviour (capture size, policy, payload, response reading, fallback, log lines)
 * is the C++; only the HTTP exchange is done here, as the sketch does it with HTTPClient.
 */
import { performance } from 'node:perf_hooks';
import { labelKey, type Recording } from '../../gesture/src';
import { loadWandCore, type CloudOutcome, type FlowSettings } from '../host/wandcore';

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
  cloudFailures: number;
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

/** Short reason for a request that got no response, in the words the device logs use. */
function transportReason(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection lost'; // e.g. a kept-alive socket the server closed
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns failed';
  return 'network error';
}

/** Reads at most `limit` bytes of the body, as the device's fixed receive buffer does. */
async function boundedBody(response: Response, limit: number): Promise<{ body: string; truncated: boolean }> {
  const bytes = Buffer.from(await response.arrayBuffer());
  return { body: bytes.subarray(0, limit).toString('utf8'), truncated: bytes.length > limit };
}

/** One POST /predict as the device makes it: lab wire form, API key header, total deadline. */
export async function postToCloud(server: string, payload: string, apiKey: string | undefined, deadlineMs: number, limit: number): Promise<CloudOutcome> {
  try {
    const response = await fetch(new URL('/predict', server), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
      body: payload,
      signal: AbortSignal.timeout(deadlineMs),
    });
    return { status: response.status, ...(await boundedBody(response, limit)) };
  } catch (err) {
    return { status: 0, error: transportReason(err) };
  }
}

export async function simulate(options: SimulationOptions): Promise<SimulationSummary> {
  const core = loadWandCore();
  const deadlineMs = options.settings?.deadlineMs ?? 4000;
  const flow = new core.Flow({ ...options.settings, deadlineMs }, () => performance.now());
  const labelOf = new Map(core.model.labels.map((l, i) => [labelKey(l), i]));
  const emit = (lines: string[]): void => lines.forEach((line) => options.onLine?.(line));
  const post = (payload: string): Promise<CloudOutcome> =>
    postToCloud(options.server, payload, options.apiKey, deadlineMs, core.model.responseBufferBytes);

  let known = 0;
  let localRight = 0;
  let wandRight = 0;
  let cloudRight = 0;
  let cloudOnlyAnswered = 0;
  let offloaded = 0;
  let cloudAnswers = 0;
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
      answer = { ...begin, ...flow.finish(await post(begin.payload)) };
      emit(answer.lines);
      (answer.fromCloud ? latency.cloud : latency.fallback).push(performance.now() - started);
      if (answer.fromCloud) {
        cloudAnswers++;
        cloudLabel = answer.label;
      }
    } else {
      latency.local.push(performance.now() - started);
      if (begin.route !== 'local' && begin.route !== 'offload') skipped[begin.route] = (skipped[begin.route] ?? 0) + 1;
    }
    if (cloudLabel === undefined && options.cloudBaseline && begin.step !== 'none') {
      const payload = core.writePayload(recording.samples);
      const outcome = payload === null ? undefined : await post(payload);
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
    cloudFailures: offloaded - cloudAnswers,
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
    `offloaded:         ${s.offloaded} (${pct(s.offloadFraction)}), cloud answers ${s.cloudAnswers}, failures ${s.cloudFailures}`,
    `offloads skipped:  ${skipped}`,
    `latency local:     ${ms(s.latency.local)}`,
    `latency cloud:     ${ms(s.latency.cloud)}`,
    `latency fallback:  ${ms(s.latency.fallback)}`,
    `bytes sent:        ${s.bytesSent}${s.bytesPerOffload === null ? '' : ` (${s.bytesPerOffload.toFixed(0)} per offload)`}`,
  ].join('\n');
}
