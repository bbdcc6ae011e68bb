import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ModelManifest } from '../../../gesture/src';
import type { Classifier } from '../classifier';
import { ClientError } from '../middleware/errors';

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

export const OIP_INPUT = 'window';
export const OIP_PROBABILITIES = 'probabilities';
export const OIP_LABEL = 'label';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Row-major tensor data, flat or nested, as finite numbers; at most `expected` values are read. */
function flattenTensorData(data: unknown, expected: number, dimensions: number): number[] {
  const out: number[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (Array.isArray(value)) {
      if (depth >= dimensions) throw new ClientError(400, 'input data is nested deeper than its shape');
      for (const item of value) {
        visit(item, depth + 1);
        if (out.length > expected) throw new ClientError(400, `input data has more than the ${expected} values its shape declares`);
      }
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ClientError(400, `input data[${out.length}] must be a finite number`);
    }
    out.push(value);
  };
  visit(data, 0);
  if (out.length !== expected) throw new ClientError(400, `input data has ${out.length} values, its shape declares ${expected}`);
  return out;
}

interface ParsedRequest {
  id?: string;
  rows: Float32Array[];
  outputs: string[];
}

/** Validate an inference request and cut its input into windows of `windowLength` samples. */
function parseInferRequest(body: unknown, windowLength: number, maxBatch: number): ParsedRequest {
  if (!isObject(body)) throw new ClientError(400, 'the body must be a JSON inference request object');
  const { id, inputs, outputs } = body;
  if (id !== undefined && typeof id !== 'string') throw new ClientError(400, '"id" must be a string');
  if (!Array.isArray(inputs) || inputs.length !== 1 || !isObject(inputs[0])) {
    throw new ClientError(400, `"inputs" must hold exactly one tensor, "${OIP_INPUT}"`);
  }
  const input = inputs[0];
  if (input.name !== OIP_INPUT) throw new ClientError(400, `unknown input ${JSON.stringify(String(input.name)).slice(0, 80)}: the model's input is "${OIP_INPUT}"`);
  if (input.datatype !== 'FP32') throw new ClientError(400, `input "${OIP_INPUT}" must have datatype FP32`);
  const shape = input.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ClientError(400, 'input shape must be an array of non-negative integers');
  }
  const perRow = windowLength * 3;
  const fits = (shape.length === 3 && shape[1] === windowLength && shape[2] === 3) || (shape.length === 2 && shape[1] === perRow);
  if (!fits) throw new ClientError(400, `input shape must be [N, ${windowLength}, 3] or [N, ${perRow}], got [${shape.join(', ')}]`);
  const n = shape[0] as number;
  if (n < 1 || n > maxBatch) throw new ClientError(400, `batch size must be 1 to ${maxBatch}, got ${n}`);
  const values = flattenTensorData(input.data, n * perRow, shape.length);
  const rows = Array.from({ length: n }, (_, r) => Float32Array.from(values.slice(r * perRow, (r + 1) * perRow)));

  const known = [OIP_PROBABILITIES, OIP_LABEL];
  let wanted = known;
  if (outputs !== undefined) {
    if (!Array.isArray(outputs) || !outputs.every((o) => isObject(o) && typeof o.name === 'string')) {
      throw new ClientError(400, '"outputs" must be an array of {"name": ...} objects');
    }
    wanted = outputs.map((o) => (o as { name: string }).name);
    const unknown = wanted.find((name) => !known.includes(name));
    if (unknown !== undefined) throw new ClientError(400, `unknown output ${JSON.stringify(unknown).slice(0, 80)}: outputs are ${known.join(', ')}`);
  }
  return { id, rows, outputs: wanted };
}

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
      const request = parseInferRequest(ctx.state.body, windowLength, maxBatch);
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
