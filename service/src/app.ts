import type { IncomingMessage } from 'node:http';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { Logger } from 'pino';
import { version as serverVersion } from '../../package.json';
import { Admission } from './admission';
import { InferenceBatcher } from './batcher';
import { Classifier } from './classifier';
import { clientAddress } from './client-address';
import type { ServiceConfig } from './config';
import { createMetrics, metricsMiddleware, type ServiceMetrics } from './metrics';
import { requireApiKey } from './middleware/auth';
import { errorMapper } from './middleware/errors';
import { jsonBody } from './middleware/json-body';
import { rateLimit, type RateLimiter } from './middleware/rate-limit';
import { requestLog } from './middleware/request-log';
import { securityHeaders } from './middleware/security-headers';
import { runBatch, type LoadedModel } from './model';
import { OverloadLog, type ShedReason } from './overload-log';
import { labRoutes } from './routes/lab';
import { oipRoutes } from './routes/oip';
import { pageRoutes } from './routes/page';
import type { Telemetry } from './telemetry';

export const SERVER_NAME = 'wandcloud';

/** Health probes stay open and unlimited: the platform polls them. */
const HEALTH_PATH = /^\/v2\/(health\/(live|ready)|models\/[^/]+(\/versions\/[^/]+)?\/ready)\/?$/;
const isHealthProbe = (req: IncomingMessage): boolean => HEALTH_PATH.test((req.url ?? '').split('?', 1)[0]);

export interface ServiceApp {
  app: Koa;
  batcher: InferenceBatcher;
  metrics: ServiceMetrics;
  /** Turns away what exceeds the in-flight limits before the app sees it; wraps `app.callback()`. */
  admission: Admission;
  overloadLog: OverloadLog;
  rateLimiter: RateLimiter;
  /** Readiness as reported by /v2/health/ready; turned off when shutdown starts. */
  lifecycle: { ready: boolean; draining: boolean };
  /** Counts and logs what was turned away (also connections dropped by the server, which only it sees). */
  turnedAway: (reason: ShedReason) => void;
}

/** While draining, ask clients to close kept-alive connections so shutdown is not held up. */
const closeWhenDraining = (lifecycle: ServiceApp['lifecycle']): Middleware => async (ctx, next) => {
  try {
    await next();
  } finally {
    if (lifecycle.draining) ctx.set('Connection', 'close');
  }
};

const skipHealth = (inner: Middleware): Middleware => (ctx, next) => (HEALTH_PATH.test(ctx.path) ? next() : inner(ctx, next));

/** Compose the service from its pieces around one loaded model. Does not listen. */
export function createApp(config: ServiceConfig, model: LoadedModel, logger: Logger, telemetry?: Telemetry): ServiceApp {
  const { manifest } = model;
  const metrics = createMetrics();
  const lifecycle = { ready: true, draining: false };
  const lowConfidence = config.lowConfidence ?? manifest.offload.threshold;

  const batcher = new InferenceBatcher((rows, input) => runBatch(model, rows, input), {
    inputSize: model.inputSize,
    classes: model.classes,
    maxBatch: config.maxBatch,
    maxQueue: config.maxQueue,
    onRun: (rows, seconds) => {
      metrics.batchRows.observe(rows);
      metrics.inferenceSeconds.observe(seconds);
      telemetry?.batch(rows, seconds);
    },
  });
  const classifier = new Classifier(model, batcher, (result) => {
    const low = result.confidence < lowConfidence;
    metrics.predictions.inc({ class: result.label });
    if (low) metrics.lowConfidence.inc({ class: result.label });
    for (const warning of result.quality) metrics.qualityWarnings.inc({ code: warning.code });
    telemetry?.prediction(result, low);
  });

  const overloadLog = new OverloadLog(logger);
  const turnedAway = (reason: ShedReason): void => {
    metrics.turnedAway.labels(reason).inc();
    overloadLog.record(reason);
  };
  const admission = new Admission(config.admission, {
    clientOf: (req) => clientAddress(req, config.trustProxy),
    exempt: isHealthProbe,
    onShed: turnedAway,
  });
  metrics.trackInFlight(() => admission.inFlight);
  const rateLimiter = rateLimit(config.rateLimit, config.trustProxy, () => turnedAway('rate-limit'));

  const auth = requireApiKey(config.apiKey);
  const body = jsonBody(config.bodyLimitBytes);
  const limits = { minSamples: 10, maxSamples: config.maxSamples };

  const router = new Router();
  // Before the lab's routes: a browser's GET / gets the page, everything else falls through to them.
  pageRoutes(router, { model, classifier, metrics, limits, assetsDir: config.pageAssetsDir, auth, body });
  labRoutes(router, { manifest, classifier, limits, guard: [auth, body] });
  oipRoutes(router, {
    manifest,
    classifier,
    serverName: SERVER_NAME,
    serverVersion,
    maxBatch: config.maxBatch,
    isReady: () => lifecycle.ready,
    auth,
    body,
  });
  router.get('/metrics', auth, async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });

  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: 1 });
  app.silent = true;
  app.on('error', (err: Error) => logger.warn({ err: { name: err.name, message: err.message } }, 'response error'));
  if (telemetry) app.use(telemetry.requests);
  app.use(requestLog(logger)).use(metricsMiddleware(metrics)).use(errorMapper(logger, () => turnedAway('queue')));
  if (telemetry) app.use(telemetry.exceptions);
  app
    .use(securityHeaders())
    .use(closeWhenDraining(lifecycle))
    .use(skipHealth(rateLimiter.middleware))
    .use(router.routes())
    .use(router.allowedMethods());
  return { app, batcher, metrics, admission, overloadLog, rateLimiter, lifecycle, turnedAway };
}
