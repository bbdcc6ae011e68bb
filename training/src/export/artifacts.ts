import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintRecordings, GOLDEN_FILE, MANIFEST_FILE, type ModelManifest } from '../../../gesture/src';
import { softmaxRows } from '../calibration/calibration';
import { predictLogits } from '../models/fit';
import { inputBuilder, SAMPLE_RATE_HZ, WINDOW_LENGTH, type Role } from '../models/recipes';
import type { TrainOptions } from '../train-types';
import { goldenFile, pickGoldenSources } from './golden';
import { edgeHeader } from './header';
import { buildManifest, EDGE_HEADER_FILE, type ManifestInputs } from './manifest-build';
import { exportOnnx, foldTemperature } from './onnx-export';
import { openSession, runSession } from './onnx-run';

/** Windows on which onnxruntime is compared with TensorFlow.js after the export. */
const PARITY_WINDOWS = 256;

export type ArtifactInputs = Omit<ManifestInputs, 'version' | 'fingerprint' | 'calibrated' | 'options'> & {
  options: ManifestInputs['options'] & Pick<TrainOptions, 'out' | 'data' | 'goldenCount'>;
};

/**
 * Write the model folder: both ONNX graphs with their temperatures folded in, model.json, the firmware's
 * edge header, and golden vectors computed by onnxruntime exactly as the service and the wand will run them.
 * Returns the manifest and the largest probability difference between onnxruntime and TensorFlow.js.
 */
export async function writeModelFolder(a: ArtifactInputs): Promise<{ manifest: ModelManifest; parityMaxAbsDiff: number }> {
  const { options, set, heldOut, final } = a;
  const c = set.data.labels.length;
  mkdirSync(options.out, { recursive: true });
  const calibrated = {
    edge: foldTemperature(final.edge.weights, heldOut.figures.edge.temperature),
    cloud: foldTemperature(final.cloud.weights, heldOut.figures.cloud.temperature),
  };
  const onnx = {
    edge: exportOnnx(calibrated.edge, { name: `${options.name}-edge`, docString: final.edge.recipe.summary }),
    cloud: exportOnnx(calibrated.cloud, { name: `${options.name}-cloud`, docString: final.cloud.recipe.summary }),
  };
  for (const role of ['edge', 'cloud'] as Role[]) writeFileSync(join(options.out, `${role}.onnx`), onnx[role]);
  const fingerprint = fingerprintRecordings([...set.data.examples, ...set.personal].map((e) => e.recording));
  // The version names the data, the seed and the exported weights: another recipe on the same data is another
  // version, so the model registry never holds two different models under one version.
  const weights = createHash('sha256').update(onnx.edge).update(onnx.cloud).digest('hex');
  const version = `${fingerprint.slice(0, 12)}-s${options.seed}-${weights.slice(0, 8)}`;
  const manifest = buildManifest({ ...a, version, fingerprint, calibrated });
  writeFileSync(join(options.out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const header = edgeHeader(calibrated.edge, {
    name: options.name,
    version,
    labels: set.data.labels,
    windowLength: WINDOW_LENGTH,
    sampleRateHz: SAMPLE_RATE_HZ,
    preprocessing: manifest.models.edge?.preprocessing ?? [],
    threshold: heldOut.cascade.choice.threshold,
  });
  writeFileSync(join(options.out, EDGE_HEADER_FILE), header);

  const sessions = { edge: await openSession(join(options.out, 'edge.onnx')), cloud: await openSession(join(options.out, 'cloud.onnx')) };
  try {
    const predict = (role: Role, inputs: Float32Array[]) => runSession(sessions[role], inputs, calibrated[role].spec.inputShape);
    const golden = await goldenFile(manifest, pickGoldenSources(set.data.examples, options.goldenCount, options.seed, options.data), predict);
    writeFileSync(join(options.out, GOLDEN_FILE), `${JSON.stringify(golden)}\n`);
    let parityMaxAbsDiff = 0;
    const sample = set.data.examples.slice(0, PARITY_WINDOWS);
    for (const role of ['edge', 'cloud'] as Role[]) {
      const build = inputBuilder(final[role].recipe, final[role].steps);
      const inputs = sample.map((e) => build(e, null));
      const ort = await predict(role, inputs);
      const tfjs = softmaxRows(predictLogits(calibrated[role], inputs), c);
      for (let i = 0; i < ort.length; i++) parityMaxAbsDiff = Math.max(parityMaxAbsDiff, Math.abs(ort[i] - tfjs[i]));
    }
    return { manifest, parityMaxAbsDiff };
  } finally {
    await Promise.all([sessions.edge.release(), sessions.cloud.release()]);
  }
}
