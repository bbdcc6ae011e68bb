import { labelKey, type Recording } from '../../gesture/src';

/** What a running service must do after a deployment: be ready, classify real recordings, guard /predict. */
export interface SmokeOptions {
  baseUrl: string;
  apiKey?: string;
  recordings: readonly Recording[];
  /** How long the service may take to become ready (F1 cold start plus package mount: minutes). */
  readyTimeoutMs: number;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
  /** The registered version just deployed: every answer must name it (an old package still running does not). */
  expectVersion?: string;
}

export interface SmokePrediction {
  path: string;
  label: string;
  gesture: string;
  confidence: number;
}

export interface SmokeResult {
  readyAfterMs: number;
  predictions: SmokePrediction[];
  correct: number;
}

export class SmokeError extends Error {
  override readonly name = 'SmokeError';
}

/** fetch wraps network errors: the cause says what happened (ECONNREFUSED, a timeout, DNS). */
function fetchFailure(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Said when the app never started: every answer came from App Service's front end (its own HTML error page or no
 * answer), never from the service, whose every answer is JSON. On a first deployment the usual cause is the data
 * role that lets the app's identity read its package: it is created before the app, but Azure applies data-plane
 * role assignments minutes later, and an app that could not read its package stays down until restarted.
 */
export const PACKAGE_NOT_STARTED_HINT =
  'the service itself never answered (only App Service did). On a first deployment its identity may not have been able to read the ' +
  'package yet (a new Storage Blob Data Reader assignment takes up to ~10 minutes to apply): wait, then ' +
  '`az webapp restart -g <resource group> -n <web app>` and run the smoke test again; if it persists, `az webapp log tail` shows why';

/** Whether an answer came from the service (JSON, as every route of it answers) rather than App Service's front end. */
const fromService = (res: Response): boolean => (res.headers.get('content-type') ?? '').toLowerCase().includes('application/json');

/** Poll `/v2/health/ready` until it answers 200; any other answer or a network error means "not yet". */
export async function waitUntilReady(baseUrl: string, timeoutMs: number, intervalMs = 2000, requestTimeoutMs = 30_000): Promise<number> {
  const start = Date.now();
  let last = 'no answer';
  let serviceAnswered = false;
  for (;;) {
    try {
      const res = await fetch(new URL('/v2/health/ready', baseUrl), { signal: AbortSignal.timeout(requestTimeoutMs) });
      await res.arrayBuffer();
      if (res.status === 200) return Date.now() - start;
      serviceAnswered ||= fromService(res);
      last = `HTTP ${res.status}${fromService(res) ? '' : ` ${res.headers.get('content-type') ?? 'without a content type'}`}`;
    } catch (err) {
      last = fetchFailure(err);
    }
    if (Date.now() - start + intervalMs > timeoutMs) {
      const why = serviceAnswered ? 'the service answered but never became ready: see its log' : PACKAGE_NOT_STARTED_HINT;
      throw new SmokeError(`${baseUrl} was not ready within ${Math.round(timeoutMs / 1000)} s (last: ${last}); ${why}`);
    }
    await sleep(intervalMs);
  }
}

/** The first `perClass` recordings of every class, in path order: the same choice on every run. */
export function pickPerClass(recordings: readonly Recording[], perClass: number): Recording[] {
  const byClass = new Map<string, Recording[]>();
  for (const r of [...recordings].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const list = byClass.get(labelKey(r.label)) ?? [];
    if (list.length < perClass) list.push(r);
    byClass.set(labelKey(r.label), list);
  }
  return [...byClass.values()].flat();
}

async function predict(options: SmokeOptions, recording: Recording, withKey: boolean): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (withKey && options.apiKey) headers['x-api-key'] = options.apiKey;
  return fetch(new URL('/predict', options.baseUrl), {
    method: 'POST',
    headers,
    body: JSON.stringify({ data: Array.from(recording.samples) }),
    signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
  });
}

/**
 * Ready, then every recording through `/predict` as the wand sends it (flat interleaved m/s^2). Fails on
 * a non-200, on an answer outside the lab contract, on a service that answers without the key it was
 * given, and when fewer than half the answers are right (a swapped label order looks exactly like that).
 */
export async function smokeTest(options: SmokeOptions): Promise<SmokeResult> {
  if (options.recordings.length === 0) throw new SmokeError('no recordings to send');
  const readyAfterMs = await waitUntilReady(options.baseUrl, options.readyTimeoutMs, options.pollIntervalMs, options.requestTimeoutMs);
  if (options.apiKey) {
    const res = await predict(options, options.recordings[0], false);
    await res.arrayBuffer();
    if (res.status !== 401) throw new SmokeError(`/predict without the API key answered ${res.status}, expected 401`);
  }
  const predictions: SmokePrediction[] = [];
  for (const recording of options.recordings) {
    const res = await predict(options, recording, true);
    const text = await res.text();
    if (res.status !== 200) throw new SmokeError(`/predict answered ${res.status} for ${recording.path}: ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { gesture?: unknown; confidence?: unknown; version?: unknown };
    const { gesture, confidence } = body;
    if (options.expectVersion !== undefined && body.version !== options.expectVersion) {
      throw new SmokeError(`/predict answers with model version ${JSON.stringify(body.version)}, expected ${options.expectVersion}: the previous package is still running (restart the app) or the package lacks registry.json`);
    }
    if (typeof gesture !== 'string' || typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 100)) {
      throw new SmokeError(`/predict broke the lab contract {gesture, confidence 0-100}: ${text.slice(0, 200)}`);
    }
    predictions.push({ path: recording.path, label: recording.label, gesture, confidence });
  }
  const correct = predictions.filter((p) => labelKey(p.gesture) === labelKey(p.label)).length;
  if (correct * 2 < predictions.length) {
    throw new SmokeError(`only ${correct} of ${predictions.length} recordings classified correctly: wrong model or label order?`);
  }
  return { readyAfterMs, predictions, correct };
}
