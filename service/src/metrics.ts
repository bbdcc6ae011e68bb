import type { Middleware } from 'koa';
import { arrivedAt } from './admission';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The service's Prometheus metrics, in their own registry (one per app, so tests can run several). */
export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  inferenceSeconds: Histogram;
  batchRows: Histogram;
  predictions: Counter<'class'>;
  lowConfidence: Counter<'class'>;
  qualityWarnings: Counter<'code'>;
  turnedAway: Counter<'reason'>;
  /** Report the number of requests being served as `wand_http_requests_in_flight`. */
  trackInFlight: (read: () => number) => void;
}

export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  // A coarse event-loop monitor: the default 10 ms timer wakes an idle process 100 times a second.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'wand_http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'wand_http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status, from the request\'s arrival in node:http (time waiting for an admission slot included)',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 5],
      registers,
    }),
    inferenceSeconds: new Histogram({
      name: 'wand_inference_duration_seconds',
      help: 'Duration of one onnxruntime session run (one batch)',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
      registers,
    }),
    batchRows: new Histogram({
      name: 'wand_inference_batch_rows',
      help: 'Rows per session run (requests coalesced in one event-loop turn)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers,
    }),
    predictions: new Counter({
      name: 'wand_predictions_total',
      help: 'Classified windows by predicted class',
      labelNames: ['class'],
      registers,
    }),
    lowConfidence: new Counter({
      name: 'wand_low_confidence_predictions_total',
      help: 'Classified windows whose confidence is under the low-confidence threshold',
      labelNames: ['class'],
      registers,
    }),
    qualityWarnings: new Counter({
      name: 'wand_quality_warnings_total',
      help: 'Classified windows that look like a broken capture, by warning code (gesture/ quality rules)',
      labelNames: ['code'],
      registers,
    }),
    turnedAway: new Counter({
      name: 'wand_requests_turned_away_total',
      help: 'Requests refused under overload: busy (in-flight limit), client (per-client limit), waited (longer than MAX_WAIT_MS for a slot), queue (model queue full), rate-limit',
      labelNames: ['reason'],
      registers,
    }),
    trackInFlight: (read) => {
      new Gauge({
        name: 'wand_http_requests_in_flight',
        help: 'Requests admitted and not yet answered',
        registers,
        collect() {
          this.set(read());
        },
      });
    },
  };
}

/**
 * Count and time every request by the router's route pattern (bounded label set), after errors are
 * mapped. The labelled children are bound once per method/route/status and cached, so a request
 * costs one Map lookup instead of prom-client hashing a fresh label object twice.
 */
export function metricsMiddleware(metrics: ServiceMetrics): Middleware {
  const bound = new Map<string, { count: Counter.Internal; time: Histogram.Internal<'method' | 'route' | 'status'> }>();
  const series = (method: string, route: string, status: string) => {
    const key = `${method} ${status} ${route}`;
    let entry = bound.get(key);
    if (entry === undefined) {
      entry = { count: metrics.requests.labels(method, route, status), time: metrics.requestSeconds.labels(method, route, status) };
      bound.set(key, entry);
    }
    return entry;
  };
  return async (ctx, next) => {
    const started = arrivedAt(ctx.req) ?? performance.now();
    try {
      await next();
    } finally {
      const entry = series(ctx.method, String(ctx._matchedRoute ?? 'unmatched'), String(ctx.status));
      entry.count.inc();
      entry.time.observe((performance.now() - started) / 1000);
    }
  };
}
