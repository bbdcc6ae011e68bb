import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Counter } from 'prom-client';
import { parseRecordingCsv, RecordingError, toWindow, type WindowLimits } from '../../../gesture/src';
import type { Classifier } from '../classifier';
import type { ServiceMetrics } from '../metrics';
import { ClientError } from '../middleware/errors';
import type { LoadedModel } from '../model';
import { requiredModelFile } from '../model-files';
import { availableCharts, renderPage } from '../page/model-card';
import { predictionBody } from './lab';

export interface PageRouteDeps {
  model: LoadedModel;
  classifier: Classifier;
  metrics: ServiceMetrics;
  limits: WindowLimits;
  /** Folder of the page's script and style sheet (`service/public`). */
  assetsDir: string;
  auth: Middleware;
  body: Middleware;
}

/**
 * The page may load only its own script, style sheet and charts and call only this origin: no
 * inline script or style, no plug-ins, no framing, no form posts elsewhere.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ASSETS = { 'page.js': 'text/javascript; charset=utf-8', 'page.css': 'text/css; charset=utf-8', 'icon.svg': 'image/svg+xml' } as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function byLabel(counter: Counter<string>, label: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { labels, value } of (await counter.get()).values) {
    const key = String(labels[label]);
    out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

/**
 * `GET /` for browsers (Accept prefers text/html; wands and curl keep the lab's plain text), its
 * assets and charts, the live counters it shows (`GET /ui/stats`, behind the API key like
 * /metrics) and `POST /predict/recording`, which classifies a recording file as the lab's wand
 * writes it (`{"csv": "<file text>"}`), through the same reader training uses.
 */
export function pageRoutes(router: Router, deps: PageRouteDeps): void {
  const { model, classifier, metrics, limits, auth, body } = deps;
  const charts = availableCharts(model.dir);
  const html = renderPage(model.manifest, charts);
  const chartFiles = new Map(charts.map((c) => [c.file, readFileSync(requiredModelFile(model.dir, c.file))]));
  const assets = new Map(Object.entries(ASSETS).map(([name, type]) => [name, { type, bytes: readFileSync(join(deps.assetsDir, name)) }]));

  router.get('/', (ctx, next) => {
    ctx.vary('Accept');
    if (ctx.accepts('text/plain', 'text/html') !== 'text/html') return next();
    ctx.set('Content-Security-Policy', PAGE_CSP);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });

  for (const [name, asset] of assets) {
    router.get(`/ui/${name}`, (ctx) => {
      ctx.type = asset.type;
      ctx.body = asset.bytes;
    });
  }

  router.get('/ui/charts/:file', (ctx) => {
    const chart = chartFiles.get(ctx.params.file);
    if (!chart) throw new ClientError(404, `no chart ${ctx.params.file.slice(0, 40)}`);
    ctx.type = 'image/svg+xml';
    ctx.body = chart;
  });

  router.get('/ui/stats', auth, async (ctx) => {
    const requests = Object.values(await byLabel(metrics.requests, 'route')).reduce((a, b) => a + b, 0);
    const predictions = await byLabel(metrics.predictions, 'class');
    const lowConfidence = await byLabel(metrics.lowConfidence, 'class');
    const quality = await byLabel(metrics.qualityWarnings, 'code');
    ctx.body = { labels: model.manifest.labels, requests, predictions, lowConfidence, quality };
  });

  router.post('/predict/recording', auth, body, async (ctx) => {
    const request: unknown = ctx.state.body;
    if (!isPlainObject(request) || typeof request.csv !== 'string') {
      throw new ClientError(400, 'the body must be a JSON object with a "csv" string: the recording file as written by the wand');
    }
    let samples: Float64Array;
    try {
      samples = parseRecordingCsv(request.csv, { minRows: limits.minSamples });
    } catch (err) {
      if (err instanceof RecordingError) throw new ClientError(400, `the recording cannot be read: ${err.message}`);
      throw err;
    }
    const [result] = await classifier.classify([toWindow(Array.from(samples), model.manifest.input.windowLength, limits)]);
    ctx.body = predictionBody(model.manifest, result);
  });
}
