/**
 * Application Insights, through the kept distro (`@azure/monitor-opentelemetry`), only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set: the server imports this module (and so the distro)
 * only then, and the app adds no middleware or callbacks, so an unset string costs nothing.
 *
 * Requests are recorded by a Koa middleware as server spans named by route pattern, not by the
 * distro's http auto-instrumentation: that one needs to patch `node:http` before anything imports
 * it (not true of an esbuild bundle) and names operations by raw URL. Spans are sampled (and the
 * distro's standard request metrics only see sampled spans), so every request is also counted in
 * `wand_http_requests{method,route,status}`, a pre-aggregated metric: counts and failures stay exact.
 */
import { shutdownAzureMonitor, useAzureMonitor } from '@azure/monitor-opentelemetry';
import * as api from '@opentelemetry/api';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Classification } from './classifier';

/** What the service tells Application Insights beyond requests; every call is cheap and synchronous. */
export interface Telemetry {
  /** Outermost: one server span per request, its outcome set from the final status. */
  requests: Middleware;
  /** Just inside the error mapper: keeps the exception behind a 5xx for the request span. */
  exceptions: Middleware;
  prediction(result: Classification, lowConfidence: boolean): void;
  batch(rows: number, seconds: number): void;
  /** Send what is buffered and stop; part of graceful shutdown. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  connectionString: string;
  /** Most request spans sent per second (the rest are only counted, in `wand_http_requests`). */
  tracesPerSecond: number;
  /** Served model, on every request span: which model answered. */
  model: string;
}

const EXCEPTION = Symbol('telemetry exception');

export function startTelemetry(options: TelemetryOptions, logger: Logger): Telemetry {
  useAzureMonitor({
    azureMonitorExporterOptions: {
      connectionString: options.connectionString,
      // F1 has 1 GB of disk for everything: telemetry that cannot be sent is dropped, not spooled.
      disableOfflineStorage: true,
    },
    tracesPerSecond: options.tracesPerSecond,
    enableLiveMetrics: false,
    // Windows-style process counters every minute: CPU and data F1 cannot spare; /metrics has them.
    enablePerformanceCounters: false,
    instrumentationOptions: {
      http: { enabled: false },
      azureSdk: { enabled: false },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
    },
  });
  const tracer = api.trace.getTracer('wandcloud');
  const meter = api.metrics.getMeter('wandcloud');
  const httpRequests = meter.createCounter('wand_http_requests', { description: 'Every request by method, route pattern and status, before sampling' });
  const predictions = meter.createCounter('wand_predictions', { description: 'Classified windows by predicted class' });
  const lowConfidence = meter.createCounter('wand_low_confidence_predictions', {
    description: 'Answers with confidence under LOW_CONFIDENCE (default: the manifest offload threshold)',
  });
  const qualityWarnings = meter.createCounter('wand_quality_warnings', { description: 'Windows that look like a broken capture, by code' });
  const batchRows = meter.createHistogram('wand_inference_batch_rows', { description: 'Rows per session run' });
  const inferenceMs = meter.createHistogram('wand_inference_duration', { description: 'Duration of one session run', unit: 'ms' });

  const requests: Middleware = async (ctx, next) => {
    const span: api.Span = tracer.startSpan(ctx.method, { kind: api.SpanKind.SERVER });
    try {
      await next();
    } finally {
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : undefined;
      httpRequests.add(1, { method: ctx.method, route: route ?? '(unmatched)', status: ctx.status });
      // The route pattern, never the raw path (unbounded names) or the query string (may carry anything).
      span.updateName(`${ctx.method} ${route ?? '(unmatched)'}`);
      span.setAttributes({
        'http.request.method': ctx.method,
        'http.response.status_code': ctx.status,
        'url.scheme': ctx.protocol,
        'url.path': route ?? '(unmatched)',
        'server.address': ctx.hostname,
        'wand.model': options.model,
        ...(route && { 'http.route': route }),
        ...(ctx.state.requestId && { 'wand.request_id': String(ctx.state.requestId) }),
      });
      const err = (ctx.state as Record<symbol, unknown>)[EXCEPTION];
      // Success is left to Application Insights' rule (status < 400), which its standard metrics use too.
      if (ctx.status >= 500) {
        if (err instanceof Error) span.recordException({ name: err.name, message: err.message, stack: err.stack });
        span.setStatus({ code: api.SpanStatusCode.ERROR });
      }
      span.end();
    }
  };
  const exceptions: Middleware = async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      (ctx.state as Record<symbol, unknown>)[EXCEPTION] = err;
      throw err;
    }
  };
  logger.info({ tracesPerSecond: options.tracesPerSecond }, 'telemetry: sending to Application Insights');
  return {
    requests,
    exceptions,
    prediction(result, low) {
      const attributes = { class: result.label };
      predictions.add(1, attributes);
      if (low) lowConfidence.add(1, attributes);
      for (const warning of result.quality) qualityWarnings.add(1, { code: warning.code });
    },
    batch(rows, seconds) {
      batchRows.record(rows);
      inferenceMs.record(seconds * 1000);
    },
    shutdown: () => shutdownAzureMonitor(),
  };
}
