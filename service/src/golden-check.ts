import { GOLDEN_FILE, GoldenFileError, readGoldenFile, toWindow, type GoldenFile } from '../../gesture/src';
import { InferenceBatcher } from './batcher';
import { Classifier } from './classifier';
import { loadModel, ModelLoadError, runBatch, type LoadedModel } from './model';
import { requiredModelFile } from './model-files';

/**
 * Largest difference allowed between a probability the service computes and the one training
 * recorded from onnxruntime for the same capture. Both run the same graph in float32, so agreement is
 * ~1e-6; a label swap, a changed preprocessing step or another network moves answers by far more.
 */
export const GOLDEN_TOLERANCE = 5e-4;

const list = (labels: readonly string[]): string => `[${labels.join(', ')}]`;
const percent = (p: number): string => `${(p * 100).toFixed(1)} %`;

function readGolden(model: LoadedModel): { golden: GoldenFile; source: string } {
  const source = requiredModelFile(model.dir, GOLDEN_FILE);
  try {
    return { golden: readGoldenFile(model.dir), source };
  } catch (err) {
    if (err instanceof GoldenFileError) throw new ModelLoadError(err.message);
    throw err;
  }
}

/**
 * Replay the folder's golden vectors (raw captures with the probabilities training computed) through
 * the service's own path: wire samples to window, the manifest's preprocessing, the batcher and the
 * session, labels by the manifest's order. Any disagreement means the service would answer
 * differently from the model that was evaluated: a ModelLoadError saying where and how.
 */
export async function checkGoldenVectors(model: LoadedModel, maxBatch: number): Promise<void> {
  const { manifest } = model;
  const { golden, source } = readGolden(model);
  if (list(golden.labels) !== list(manifest.labels)) {
    throw new ModelLoadError(
      `${source}: the model was exported with labels ${list(golden.labels)} but model.json lists ${list(manifest.labels)}: answers would carry the wrong names`,
    );
  }
  if (golden.windowLength !== manifest.input.windowLength) {
    throw new ModelLoadError(`${source}: exported for ${golden.windowLength}-sample windows, model.json says ${manifest.input.windowLength}`);
  }
  const batcher = new InferenceBatcher((rows, input) => runBatch(model, rows, input), {
    inputSize: model.inputSize,
    classes: model.classes,
    maxBatch,
    maxQueue: golden.vectors.length,
  });
  const windows = golden.vectors.map((v) => toWindow(v.samples, manifest.input.windowLength, { minSamples: 1, maxSamples: v.samples.length / 3 }));
  const answers = await new Classifier(model, batcher).classify(windows);
  const mismatches = answers
    .map((answer, i) => {
      const expected = golden.vectors[i].cloudProbabilities;
      const difference = Math.max(...expected.map((p, c) => Math.abs(p - answer.probabilities[c])));
      return { i, answer, expected, difference };
    })
    .filter((m) => !(m.difference <= GOLDEN_TOLERANCE));
  if (mismatches.length > 0) {
    const { i, answer, expected, difference } = mismatches[0];
    const exportedIndex = expected.indexOf(Math.max(...expected));
    throw new ModelLoadError(
      `${source}: ${mismatches.length} of ${golden.vectors.length} golden vectors disagree with this service, e.g. ${golden.vectors[i].source}: ` +
        `the service answers ${answer.label} ${percent(answer.confidence)}, the exported model answered ${golden.labels[exportedIndex]} ${percent(expected[exportedIndex])} ` +
        `(largest probability difference ${difference.toPrecision(2)}, allowed ${GOLDEN_TOLERANCE}): model.json's preprocessing or ${manifest.models.cloud.file} is not what training exported`,
    );
  }
}

/** `loadModel`, then the golden check; the session is released when the check refuses the folder. */
export async function loadVerifiedModel(dir: string, maxBatch: number): Promise<LoadedModel> {
  const model = await loadModel(dir, maxBatch);
  try {
    await checkGoldenVectors(model, maxBatch);
  } catch (err) {
    await model.session.release().catch(() => undefined);
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(`${model.dir}: golden check failed (${(err as Error).message.split('\n')[0]})`);
  }
  return model;
}
