import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { labelKey } from './dataset';
import { applyPreprocessing, PreprocessingStepSchema } from './preprocess';
import type { Window } from './window';

/**
 * The model folder contract, defined here and nowhere else. `npm run train` writes a folder
 * `models/<name>/` holding:
 * - `model.json`: this manifest (schema below; `parseManifest` / `readManifest` validate it);
 * - `models.cloud.file` (and `models.edge.file`): ONNX graphs, input `inputName` of shape
 *   [N, ...inputShape] float32, output `outputName` of shape [N, labels.length]: calibrated class
 *   probabilities in the order of `labels`. Whatever a model does beyond that (the cloud model's mean
 *   over 8 headings, the temperature) happens inside its graph, so every consumer runs it the same way;
 * - `models.edge.header` (`edge_model.h`): the edge network and the offload threshold for the firmware;
 * - `golden.json` (gesture/src/golden.ts): windows with the probabilities both models must give;
 * - `report.md` and its charts.
 * Every consumer (the service, `npm run evaluate`, the firmware tools) turns a capture into a model input
 * the same way: resample to `input.windowLength` samples (`toWindow`), then apply that model's
 * `preprocessing` steps in order (`modelInput`). The wand asks the cloud when its top edge probability is
 * below `offload.threshold`.
 */

/** The manifest's file name inside an exported model folder. */
export const MANIFEST_FILE = 'model.json';

const labels = z
  .array(z.string().min(1))
  .min(2)
  .refine((ls) => new Set(ls.map(labelKey)).size === ls.length, 'labels must be unique (case-insensitively)');

/** One exported network: its file, its tensors and what to do to a window before feeding it. */
const ModelFileSchema = z.object({
  /** ONNX file name, relative to the model folder. */
  file: z.string().min(1),
  inputName: z.string().min(1),
  outputName: z.string().min(1),
  /** Input shape without the batch dimension, after preprocessing (e.g. [100, 3], [25, 3], or [50, 4] with the level channel). */
  inputShape: z.array(z.number().int().positive()).min(1),
  /** Steps from the resampled raw window to this model's input. */
  preprocessing: z.array(PreprocessingStepSchema),
  /**
   * Softmax temperature fitted on held-out people; informational: the ONNX graph already applies it (folded into
   * the last layer, or after the mean over headings), so consumers must not divide by it again.
   */
  temperature: z.number().positive(),
  parameters: z.number().int().nonnegative(),
  architecture: z.string().min(1),
});

const AccuracySchema = z.object({ accuracy: z.number().min(0).max(1) }).catchall(z.unknown());

export const ModelManifestSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'name: letters, digits, dot, dash, underscore'),
  version: z.string().min(1),
  createdAt: z.string().datetime(),
  /** Class labels in the order of the models' outputs. The only place they are written. */
  labels,
  /** What the wire carries, before preprocessing. */
  input: z.object({
    sampleRateHz: z.number().positive(),
    windowLength: z.number().int().min(2),
    channels: z.tuple([z.literal('x'), z.literal('y'), z.literal('z')]),
    units: z.literal('m/s^2'),
  }),
  models: z.object({
    cloud: ModelFileSchema,
    edge: ModelFileSchema.extend({ header: z.string().min(1) }).optional(),
  }),
  /** Edge-confidence threshold below which the wand asks the cloud, chosen from held-out data. */
  offload: z.object({
    threshold: z.number().min(0).max(1),
    rule: z.string().min(1),
    /** On people the training never saw. */
    expectedOffloadFraction: z.number().min(0).max(1),
    /**
     * A `--personal` model (fine-tuned on its user's recordings) keeps the threshold but is surer of that user, so
     * it offloads less: the personalisation curve's share at the number of own recordings per class nearest this
     * model's. Absent when the model is not personal or the curve was not measured.
     */
    personal: z.object({ ownPerClass: z.number().int().positive(), expectedOffloadFraction: z.number().min(0).max(1) }).optional(),
  }),
  /** Held-out figures; `evaluation` says how they were measured (e.g. grouped by person). */
  metrics: z
    .object({
      evaluation: z.string().min(1),
      cloud: AccuracySchema,
      edge: AccuracySchema.optional(),
      cascade: AccuracySchema.optional(),
    })
    .catchall(z.unknown()),
  data: z.object({
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    recordings: z.number().int().nonnegative(),
    people: z.number().int().nonnegative(),
    classes: z.record(z.string(), z.number().int().nonnegative()),
  }),
  training: z.record(z.string(), z.unknown()).optional(),
});

export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/** A manifest that cannot be used; the message names the file and what is wrong. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

export function parseManifest(json: unknown, source = MANIFEST_FILE): ModelManifest {
  const result = ModelManifestSchema.safeParse(json);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ManifestError(`${source}: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return result.data;
}

/** Read and validate `<dir>/model.json`. */
export function readManifest(dir: string): ModelManifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ManifestError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  return parseManifest(json, path);
}

/** The index of `label` in the manifest's labels (case-insensitive), or -1 when the model does not know it. */
export const labelIndex = (manifest: Pick<ModelManifest, 'labels'>, label: string): number =>
  manifest.labels.findIndex((l) => labelKey(l) === labelKey(label));

/** A resampled window turned into one model's input, by that model's manifest steps. */
export function modelInput(manifest: ModelManifest, model: 'cloud' | 'edge', window: Window): Window {
  const spec = manifest.models[model];
  if (!spec) throw new ManifestError(`the manifest has no ${model} model`);
  return applyPreprocessing(window, spec.preprocessing);
}
