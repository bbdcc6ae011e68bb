import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { MANIFEST_FILE, ManifestError, modelInput, readManifest, readRegistryRecord, type ModelManifest } from '../../gesture/src';
import { confineManifestFiles, ModelLoadError, modelFilePath, requiredModelFile } from './model-files';

export { ModelLoadError } from './model-files';

/** The served model: its manifest, its one session for the life of the process, and derived sizes. */
export interface LoadedModel {
  /** The model folder, absolute. */
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly session: InferenceSession;
  readonly onnxPath: string;
  /** Values per row of the cloud model's input (product of manifest inputShape). */
  readonly inputSize: number;
  readonly classes: number;
}

/**
 * Spinning intra-op threads burn CPU between requests (REFERENCE 3): one thread, no spinning. `extra`
 * carries onnxruntime's session config keys, which the typed options do not model.
 */
const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
} as InferenceSession.SessionOptions;

const firstLine = (message: string): string => message.split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 300) ?? 'unknown error';

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** A window of a wand held still (gravity on +z): a valid input for any preprocessing the manifest names. */
function restingWindow(length: number): Float32Array {
  const w = new Float32Array(length * 3);
  for (let i = 0; i < length; i++) w[i * 3 + 2] = 9.80665;
  return w;
}

function tensorMetadata(session: InferenceSession, kind: 'input' | 'output', name: string) {
  const list = kind === 'input' ? session.inputMetadata : session.outputMetadata;
  return list.find((m) => m.name === name);
}

/** Declared dimensions must agree with what the manifest says, where the model fixes them. */
function checkShape(file: string, what: string, declared: readonly (number | string)[] | undefined, expected: (number | null)[]): void {
  if (!declared) return;
  const fixed = declared.map((d) => (typeof d === 'number' && d > 0 ? d : null));
  const agrees = fixed.length === expected.length && fixed.every((d, i) => d === null || expected[i] === null || d === expected[i]);
  if (!agrees) {
    throw new ModelLoadError(
      `${file}: ${what} shape [${declared.join(', ')}] disagrees with the manifest ([${expected.map((d) => d ?? 'N').join(', ')}])`,
    );
  }
}

/** Check what the session declares against the manifest (names, shapes, class count). */
function checkAgainstManifest(session: InferenceSession, manifest: ModelManifest, onnxPath: string, inputSize: number): void {
  const spec = manifest.models.cloud;
  if (!session.inputNames.includes(spec.inputName)) {
    throw new ModelLoadError(`${onnxPath}: no input named "${spec.inputName}" (model inputs: ${session.inputNames.join(', ')})`);
  }
  if (!session.outputNames.includes(spec.outputName)) {
    throw new ModelLoadError(`${onnxPath}: no output named "${spec.outputName}" (model outputs: ${session.outputNames.join(', ')})`);
  }
  const input = tensorMetadata(session, 'input', spec.inputName);
  const output = tensorMetadata(session, 'output', spec.outputName);
  if (input?.isTensor) checkShape(onnxPath, 'input', input.shape, [null, ...spec.inputShape]);
  if (output?.isTensor) checkShape(onnxPath, `output (${manifest.labels.length} labels in model.json)`, output.shape, [null, manifest.labels.length]);
  const window = restingWindow(manifest.input.windowLength);
  const features = modelInput(manifest, 'cloud', window);
  if (features.length !== inputSize) {
    throw new ModelLoadError(
      `${join(onnxPath, '..', 'model.json')}: preprocessing yields ${features.length} values, inputShape [${spec.inputShape.join(', ')}] needs ${inputSize}`,
    );
  }
}

/** Run a batch through the session: rows of `inputSize` values in, rows of class probabilities out. */
export async function runBatch(model: LoadedModel, rows: number, input: Float32Array): Promise<Float32Array> {
  const spec = model.manifest.models.cloud;
  const tensor = new Tensor('float32', input, [rows, ...spec.inputShape]);
  const result = await model.session.run({ [spec.inputName]: tensor }, [spec.outputName]);
  const output = result[spec.outputName];
  if (output.type !== 'float32' || output.data.length !== rows * model.classes) {
    throw new Error(`model returned ${output.type} [${output.dims.join(', ')}], expected float32 [${rows}, ${model.classes}]`);
  }
  return output.data as Float32Array;
}

/**
 * The manifest as served: a folder deployed from the Azure ML registry carries `registry.json`, and the
 * service then reports the registered version (an integer) wherever it names its version.
 */
function servedManifest(dir: string): ModelManifest {
  const manifest = readManifest(dir);
  const registry = readRegistryRecord(dir);
  if (registry === undefined) return manifest;
  if (registry.name !== manifest.name) throw new ManifestError(`${join(dir, 'registry.json')}: names model ${registry.name}, model.json is ${manifest.name}`);
  return { ...manifest, version: registry.version };
}

/**
 * Load the model folder: manifest, every file it names confined to the folder, ONNX session,
 * agreement checks and a warm-up at batch 1 and `warmBatch`, so the first real request pays no
 * allocation cost. Any problem is a ModelLoadError.
 */
export async function loadModel(dir: string, warmBatch = 1): Promise<LoadedModel> {
  let manifest: ModelManifest;
  try {
    modelFilePath(dir, MANIFEST_FILE);
    manifest = servedManifest(dir);
  } catch (err) {
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(err instanceof ManifestError ? firstLine(err.message) : `${join(dir, MANIFEST_FILE)}: ${firstLine(String(err))}`);
  }
  confineManifestFiles(dir, manifest);
  const onnxPath = requiredModelFile(dir, manifest.models.cloud.file, 'models.cloud.file');
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(onnxPath, SESSION_OPTIONS);
  } catch (err) {
    throw new ModelLoadError(`${onnxPath}: cannot load ONNX model (${firstLine((err as Error).message)})`);
  }
  const inputSize = product(manifest.models.cloud.inputShape);
  const model: LoadedModel = { dir, manifest, session, onnxPath, inputSize, classes: manifest.labels.length };
  try {
    checkAgainstManifest(session, manifest, onnxPath, inputSize);
    const row = modelInput(manifest, 'cloud', restingWindow(manifest.input.windowLength));
    for (const rows of new Set([1, warmBatch])) {
      const input = new Float32Array(rows * inputSize);
      for (let r = 0; r < rows; r++) input.set(row, r * inputSize);
      await runBatch(model, rows, input);
    }
  } catch (err) {
    await session.release().catch(() => undefined);
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(`${onnxPath}: ${firstLine((err as Error).message)}`);
  }
  return model;
}
