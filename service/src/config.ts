import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting the service reads, from environment variables, validated once at start. */
const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Empty App Service settings arrive as empty strings: treat them as unset. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/**
 * What the Azure Monitor exporter would otherwise throw on at start, with a stack (exit 1): a missing
 * or malformed instrumentation key (it accepts lowercase GUIDs only), an endpoint that is not a URL.
 * Messages never repeat the value.
 */
function checkConnectionString(value: string, ctx: z.RefinementCtx): void {
  const fields = new Map(
    value
      .split(';')
      .map((part) => part.split('='))
      .filter((kv) => kv.length >= 2)
      .map(([k, ...v]) => [k.trim().toLowerCase(), v.join('=').trim()]),
  );
  const key = fields.get('instrumentationkey');
  const problem =
    key === undefined
      ? 'must carry InstrumentationKey=<GUID>'
      : !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key)
        ? 'InstrumentationKey must be a lowercase GUID, as the portal shows it'
        : fields.has('ingestionendpoint') && !URL.canParse(fields.get('ingestionendpoint')!)
          ? 'IngestionEndpoint must be a URL'
          : undefined;
  if (problem) ctx.addIssue({ code: 'custom', message: `APPLICATIONINSIGHTS_CONNECTION_STRING ${problem}` });
}
/** Drain and in-flight grace together must end before main's hard exit (9.5 s, under the platforms' usual 10 s). */
export const SHUTDOWN_BUDGET_MS = 9_000;

const EnvSchema = z.object({
  PORT: optional(intFrom(0, 65535)).default(8000),
  /** Interface to bind; unset = all interfaces (IPv4 and IPv6). */
  HOST: optional(z.string().min(1)),
  /** Model folder (model.json + cloud.onnx); relative paths resolve against the working directory. */
  MODEL_DIR: optional(z.string().min(1)).default('models/default'),
  /** When set, inference and metrics need it as `x-api-key` or `Authorization: Bearer`. */
  WAND_API_KEY: optional(z.string().min(16, 'WAND_API_KEY must be at least 16 characters').max(512)),
  /** When set, requests, failures and the offloading metrics go to Application Insights (telemetry.ts). */
  APPLICATIONINSIGHTS_CONNECTION_STRING: optional(z.string().superRefine(checkConnectionString)),
  /**
   * Most request spans sent to Application Insights per second; request counts and failures are exact
   * regardless (`wand_http_requests`, a pre-aggregated metric). At 1/s and ~0.8 KB per item, a service
   * saturated all day sends at most ~70 MB, under half of the free 5 GB a month.
   */
  TELEMETRY_TRACES_PER_SECOND: optional(z.coerce.number().min(0.01).max(100)).default(1),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).default('info'),
  /** Requests per client per window; 0 turns the limit off. */
  RATE_LIMIT_MAX: optional(intFrom(0, 10_000_000)).default(600),
  RATE_LIMIT_WINDOW_S: optional(intFrom(1, 86_400)).default(60),
  /** Take the client address from X-Forwarded-For as appended by one proxy (App Service's front end). */
  TRUST_PROXY: optional(z.enum(['true', 'false', '1', '0'])).default('false'),
  BODY_LIMIT_BYTES: optional(intFrom(1024, 64 * 1024 * 1024)).default(1024 * 1024),
  /** Time allowed to receive a whole request (headers and body). */
  REQUEST_TIMEOUT_MS: optional(intFrom(1000, 600_000)).default(10_000),
  /** After SIGTERM/SIGINT: time the service keeps serving (not ready, answers say Connection: close) so load balancers move away. */
  SHUTDOWN_DRAIN_MS: optional(intFrom(0, 9_000)).default(2_000),
  /** Then: time allowed for in-flight requests to finish once the listener is closed. */
  SHUTDOWN_TIMEOUT_MS: optional(intFrom(0, 9_000)).default(6_000),
  /** Most samples one window may carry before resampling (bounds the work one request causes). */
  MAX_SAMPLES: optional(intFrom(10, 100_000)).default(1000),
  /** Most rows in one Open Inference Protocol request, and in one session run. */
  MAX_BATCH: optional(intFrom(1, 4096)).default(64),
  /** Rows waiting for the model beyond which new requests get 503 (overload protection). */
  MAX_QUEUE: optional(intFrom(1, 1_000_000)).default(4096),
  /** Requests served at once, all clients together; beyond it 503 before the body is read. */
  MAX_IN_FLIGHT: optional(intFrom(1, 100_000)).default(256),
  /** Requests served at once from one connection (pipelining); past it the connection is not read. */
  MAX_IN_FLIGHT_PER_CONNECTION: optional(intFrom(1, 1024)).default(16),
  /** Requests that may wait for a slot when the in-flight limits are reached; beyond it 503/429 at once. */
  MAX_WAITING: optional(intFrom(0, 1_000_000)).default(256),
  /**
   * Open connections at most; new ones beyond it are dropped by node:http. Each connection can hold up to
   * ~190 KB under a pipelining flood (what node:http parses before a pause takes effect, measured), so this
   * bounds overload memory by the number of connections too.
   */
  MAX_CONNECTIONS: optional(intFrom(16, 1_000_000)).default(1024),
  /** Longest a request waits for a slot: one that waited longer gets 503 instead of being served late. */
  MAX_WAIT_MS: optional(intFrom(1, 60_000)).default(1000),
  /** Requests served at once for one client address; beyond it 429. */
  MAX_IN_FLIGHT_PER_CLIENT: optional(intFrom(1, 100_000)).default(64),
  /** Most client addresses the rate limiter tracks at once (least recently seen forgotten first). */
  RATE_LIMIT_CLIENTS: optional(intFrom(100, 10_000_000)).default(100_000),
  /** Confidence (0-1) under which an answer counts as low-confidence in metrics; default: the manifest's offload threshold. */
  LOW_CONFIDENCE: optional(z.coerce.number().min(0).max(1)),
}).refine((e) => e.SHUTDOWN_DRAIN_MS + e.SHUTDOWN_TIMEOUT_MS <= SHUTDOWN_BUDGET_MS, {
  path: ['SHUTDOWN_DRAIN_MS'],
  message: `SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS must be at most ${SHUTDOWN_BUDGET_MS} ms`,
});

export interface ServiceConfig {
  port: number;
  host?: string;
  modelDir: string;
  /** The page's script and style sheet: `service/public` under the working directory (the package ships it there too). */
  pageAssetsDir: string;
  apiKey?: string;
  telemetry?: { connectionString: string; tracesPerSecond: number };
  logLevel: string;
  rateLimit: { max: number; windowSeconds: number; maxClients: number };
  trustProxy: boolean;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  shutdownDrainMs: number;
  shutdownTimeoutMs: number;
  maxSamples: number;
  maxBatch: number;
  maxQueue: number;
  maxConnections: number;
  admission: { maxInFlight: number; maxPerConnection: number; maxPerClient: number; maxWaiting: number; maxWaitMs: number };
  lowConfidence?: number;
}

/** A setting that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServiceConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = result.data;
  return {
    port: e.PORT,
    host: e.HOST,
    modelDir: resolve(cwd, e.MODEL_DIR),
    pageAssetsDir: resolve(cwd, 'service', 'public'),
    apiKey: e.WAND_API_KEY,
    telemetry: e.APPLICATIONINSIGHTS_CONNECTION_STRING
      ? { connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING, tracesPerSecond: e.TELEMETRY_TRACES_PER_SECOND }
      : undefined,
    logLevel: e.LOG_LEVEL,
    rateLimit: { max: e.RATE_LIMIT_MAX, windowSeconds: e.RATE_LIMIT_WINDOW_S, maxClients: e.RATE_LIMIT_CLIENTS },
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    maxSamples: e.MAX_SAMPLES,
    maxBatch: e.MAX_BATCH,
    maxQueue: e.MAX_QUEUE,
    maxConnections: e.MAX_CONNECTIONS,
    admission: { maxInFlight: e.MAX_IN_FLIGHT, maxPerConnection: e.MAX_IN_FLIGHT_PER_CONNECTION, maxPerClient: e.MAX_IN_FLIGHT_PER_CLIENT, maxWaiting: e.MAX_WAITING, maxWaitMs: e.MAX_WAIT_MS },
    lowConfidence: e.LOW_CONFIDENCE,
  };
}
