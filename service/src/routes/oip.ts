import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ModelManifest } from '../../../gesture/src';
import type { Classifier } from '../classifier';
import { ClientError } from '../middleware/errors';
import { OIP_INPUT, OIP_LABEL, OIP_PROBABILITIES, parseInferRequest } from './oip-request';

/**
 * Open Inference Protocol v2 REST (REFERENCE 3.1): health, server and model metadata, readiness and
 * batched inference. The model takes resampled raw windows, FP32, shape [N, window, 3] or
 * [N, window*3]; the manifest's preprocessing runs on the server, as for /predict.
 */
export interface OipRouteDeps {
  manifest: ModelManifest;
  classifier: Classifier;
  serverName: string;
  serverVersion: string;
  maxBatch: number;
  isReady: () => boolean;
  /** Auth applied to metadata and inference (health stays open). */
  auth: Middleware;
  /** Body parsing for inference. */
  body: Middleware;
}

type Json = Record<string, unknown>;

/** Register the protocol's routes (under /v2) on `router`. */
export function oipRoutes(router: Router, deps: OipRouteDeps): void {
  const { manifest, classifier, serverName, serverVersion, maxBatch, isReady, auth, body } = deps;
  const classes = manifest.labels.length;
  const windowLength = manifest.input.windowLength;

  const modelMetadata = {
    name: manifest.name,
    versions: [manifest.version],
    platform: 'onnxruntime_onnx',
    inputs: [{ name: OIP_INPUT, datatype: 'FP32', shape: [-1, windowLength, 3] }],
    outputs: [
      { name: OIP_PROBABILITIES, datatype: 'FP32', shape: [-1, classes] },
      { name: OIP_LABEL, datatype: 'BYTES', shape: [-1] },
    ],
  };

  /** The path names this model (and, if given, this version); otherwise 404. */
  const ensureModel = (ctx: Context): void => {
    const { name, version } = (ctx as Context & { params: Record<string, string> }).params as { name: string; version?: string };
    if (name !== manifest.name) {
      throw new ClientError(404, `unknown model "${name.slice(0, 80)}": this server serves "${manifest.name}"`);
    }
    if (version !== undefined && version !== manifest.version) {
      throw new ClientError(404, `unknown version "${version.slice(0, 80)}" of model "${manifest.name}": available ${manifest.version}`);
    }
  };
  const model: Middleware = (ctx, next) => {
    ensureModel(ctx as Context);
    return next();
  };

  const readiness = (ctx: Context, extra: Json = {}): void => {
    const ready = isReady();
    ctx.status = ready ? 200 : 503;
    ctx.body = { ...extra, ready };
  };

  router.get('/v2', auth, (ctx) => {
    ctx.body = { name: serverName, version: serverVersion, extensions: [] };
  });
  router.get('/v2/health/live', (ctx) => {
    ctx.body = { live: true };
  });
  router.get('/v2/health/ready', (ctx) => readiness(ctx));

  for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    router.get(base, auth, model, (ctx) => {
      ctx.body = modelMetadata;
    });
    router.get(`${base}/ready`, model, (ctx) => readiness(ctx, { name: manifest.name }));
    router.post(`${base}/infer`, auth, model, body, async (ctx) => {
      const request = parseInferRequest(ctx.state.body, ctx.state.binary as Buffer | undefined, windowLength, maxBatch);
      const results = await classifier.classify(request.rows);
      const n = results.length;
      const tensors: Record<string, Json> = {
        [OIP_PROBABILITIES]: {
          name: OIP_PROBABILITIES,
          datatype: 'FP32',
          shape: [n, classes],
          data: results.flatMap((r) => Array.from(r.probabilities)),
        },
        [OIP_LABEL]: { name: OIP_LABEL, datatype: 'BYTES', shape: [n], data: results.map((r) => r.label) },
      };
      ctx.body = {
        model_name: manifest.name,
        model_version: manifest.version,
        ...(request.id !== undefined ? { id: request.id } : {}),
        outputs: request.outputs.map((name) => tensors[name]),
      };
    });
  }
}
