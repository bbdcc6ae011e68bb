import { join } from 'node:path';
import { labelIndex, modelInput, readManifest, toWindow, type ModelManifest } from '../../../gesture/src';
import { argmax } from '../calibration/calibration';
import { groupOf, readFolder, TrainingDataError, type GroupBy } from '../data/data';
import { confusionMatrix, groupedAccuracy } from './metrics';
import { openSession, runSession } from '../export/onnx-run';

export interface EvaluateOptions {
  modelDir: string;
  data: string;
  groupBy: GroupBy;
}

interface Scores {
  accuracy: number;
  /** Unweighted mean over people (groups). */
  meanOverPeople: number;
}

export interface Evaluation {
  model: { name: string; version: string; labels: string[]; threshold: number };
  n: number;
  edge: Scores | null;
  cloud: Scores;
  cascade: Scores & { offloadFraction: number };
  perPerson: Record<string, { n: number; edge: number | null; cloud: number; cascade: number; offloadFraction: number }>;
  perClass: Record<string, { n: number; edge: number | null; cloud: number; cascade: number }>;
  confusion: { labels: string[]; edge: number[][] | null; cloud: number[][]; cascade: number[][] };
  /** Recordings whose label the model does not know: counted, never scored or guessed. */
  unknownLabels: Record<string, number>;
  rejected: { path: string; reason: string }[];
}

/** Apply an exported model folder exactly as deployed (manifest preprocessing, onnxruntime) to a dataset. */
export async function evaluateModel(options: EvaluateOptions): Promise<Evaluation> {
  const manifest: ModelManifest = readManifest(options.modelDir);
  const read = readFolder(options.data);
  const unknownLabels: Record<string, number> = {};
  const known = read.recordings.filter((r) => {
    if (labelIndex(manifest, r.label) >= 0) return true;
    unknownLabels[r.label] = (unknownLabels[r.label] ?? 0) + 1;
    return false;
  });
  if (known.length === 0) {
    throw new TrainingDataError(`no recordings in ${options.data} with a label the model knows (${manifest.labels.join(', ')})`);
  }
  const c = manifest.labels.length;
  const labels = Int32Array.from(known, (r) => labelIndex(manifest, r.label));
  const groups = known.map((r) => groupOf(r, options.groupBy));
  const windows = known.map((r) => toWindow(r.samples, manifest.input.windowLength));
  const run = async (role: 'edge' | 'cloud') => {
    const spec = manifest.models[role];
    if (!spec) return null;
    const session = await openSession(join(options.modelDir, spec.file));
    try {
      return await runSession(session, windows.map((w) => modelInput(manifest, role, w)), spec.inputShape);
    } finally {
      await session.release();
    }
  };
  const cloudProbs = (await run('cloud')) as Float32Array;
  const edgeProbs = await run('edge');
  const cloudPred = Int32Array.from(labels, (_, i) => argmax(cloudProbs, i, c).index);
  const edgePred = edgeProbs ? Int32Array.from(labels, (_, i) => argmax(edgeProbs, i, c).index) : null;
  const offloaded = Uint8Array.from(labels, (_, i) => (edgeProbs ? (argmax(edgeProbs, i, c).value < manifest.offload.threshold ? 1 : 0) : 1));
  const cascadePred = Int32Array.from(labels, (_, i) => (offloaded[i] || !edgePred ? cloudPred[i] : edgePred[i]));

  const cloudG = groupedAccuracy(cloudPred, labels, groups);
  const edgeG = edgePred ? groupedAccuracy(edgePred, labels, groups) : null;
  const cascadeG = groupedAccuracy(cascadePred, labels, groups);
  const share = (idx: number[], flags: ArrayLike<number>) => idx.reduce((s, i) => s + flags[i], 0) / idx.length;
  const rowsOf = (pick: (i: number) => boolean) => [...labels.keys()].filter(pick);
  const accOn = (pred: Int32Array | null, idx: number[]) => (pred ? idx.filter((i) => pred[i] === labels[i]).length / idx.length : null);

  const perPerson: Evaluation['perPerson'] = {};
  for (const g of Object.keys(cloudG.perGroup)) {
    const idx = rowsOf((i) => groups[i] === g);
    perPerson[g] = { n: idx.length, edge: edgeG ? edgeG.perGroup[g].accuracy : null, cloud: cloudG.perGroup[g].accuracy, cascade: cascadeG.perGroup[g].accuracy, offloadFraction: share(idx, offloaded) };
  }
  const perClass: Evaluation['perClass'] = {};
  manifest.labels.forEach((label, k) => {
    const idx = rowsOf((i) => labels[i] === k);
    if (idx.length > 0) perClass[label] = { n: idx.length, edge: accOn(edgePred, idx), cloud: accOn(cloudPred, idx) as number, cascade: accOn(cascadePred, idx) as number };
  });
  return {
    model: { name: manifest.name, version: manifest.version, labels: manifest.labels, threshold: manifest.offload.threshold },
    n: known.length,
    edge: edgeG ? { accuracy: edgeG.pooled, meanOverPeople: edgeG.macro } : null,
    cloud: { accuracy: cloudG.pooled, meanOverPeople: cloudG.macro },
    cascade: { accuracy: cascadeG.pooled, meanOverPeople: cascadeG.macro, offloadFraction: share([...labels.keys()], offloaded) },
    perPerson,
    perClass,
    confusion: {
      labels: manifest.labels,
      edge: edgePred ? confusionMatrix(edgePred, labels, c) : null,
      cloud: confusionMatrix(cloudPred, labels, c),
      cascade: confusionMatrix(cascadePred, labels, c),
    },
    unknownLabels,
    rejected: read.rejected,
  };
}
