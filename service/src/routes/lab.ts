import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { toWindow, type ModelManifest, type WindowLimits } from '../../../gesture/src';
import type { Classification, Classifier } from '../classifier';
import { ClientError } from '../middleware/errors';

export interface LabRouteDeps {
  manifest: ModelManifest;
  classifier: Classifier;
  limits: WindowLimits;
  /** Auth and body parsing, applied to POST /predict only. */
  guard: Middleware[];
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Bytes of an answer the project's own firmware keeps (`kResponseBufferBytes`, WandCore/src/CloudExchange.h):
 * a longer body is truncated there and read as malformed.
 */
export const WAND_RESPONSE_BUDGET = 512;

/**
 * The course lab's contract (REFERENCE 1.2): `gesture` and `confidence` (percent) come first, as the
 * wand's ArduinoJson code reads exactly those; the extra keys are short so small JSON documents fit.
 * `quality` is there only when the window looks like a broken capture, so a good answer stays as short
 * as before; when its messages would push the answer past the wand's buffer (many or long labels, a
 * long model name), only their codes are sent.
 */
export function predictionBody(manifest: ModelManifest, result: Classification) {
  const probabilities: Record<string, number> = {};
  manifest.labels.forEach((label, i) => (probabilities[label] = round(result.probabilities[i], 4)));
  const answer = {
    gesture: result.label,
    confidence: round(result.confidence * 100, 2),
    probabilities,
    model: manifest.name,
    version: manifest.version,
  };
  if (result.quality.length === 0) return answer;
  const warned = { ...answer, quality: result.quality };
  if (Buffer.byteLength(JSON.stringify(warned)) <= WAND_RESPONSE_BUDGET) return warned;
  return { ...answer, quality: result.quality.map(({ code }) => ({ code })) };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Register the lab's routes on `router`. */
export function labRoutes(router: Router, { manifest, classifier, limits, guard }: LabRouteDeps): void {
  const running = `wandcloud gesture API is running: model ${manifest.name} ${manifest.version} (${manifest.labels.join(', ')})\n`;

  router.get('/', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = running;
  });

  router.post('/predict', ...guard, async (ctx) => {
    const body: unknown = ctx.state.body;
    if (!isPlainObject(body) || !('data' in body)) {
      throw new ClientError(400, 'the body must be a JSON object with a "data" array of x, y, z values');
    }
    const window = toWindow(body.data, manifest.input.windowLength, limits);
    const [result] = await classifier.classify([window]);
    ctx.body = predictionBody(manifest, result);
  });
}
