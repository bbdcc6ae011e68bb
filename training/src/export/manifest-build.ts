import { parseManifest, type ModelManifest } from '../../../gesture/src';
import type { TrainingSet } from '../data/training-set';
import type { HeldOutEvaluation } from '../evaluation/held-out';
import type { CurvePoint } from '../evaluation/personal-curve';
import type { SuspectPolicy } from '../data/data';
import type { TrainedModel } from '../models/model-training';
import { describeNetwork, parameterCount, type NetworkWeights } from '../models/network';
import { SAMPLE_RATE_HZ, WINDOW_LENGTH, type Role } from '../models/recipes';
import type { ModelFigures, TrainOptions } from '../train-types';
import { ONNX_INPUT, ONNX_OUTPUT } from './onnx-export';

export const EDGE_HEADER_FILE = 'edge_model.h';

export interface ManifestInputs {
  options: Pick<TrainOptions, 'name' | 'model' | 'seed' | 'groupBy' | 'suspect'>;
  version: string;
  fingerprint: string;
  set: TrainingSet;
  heldOut: HeldOutEvaluation;
  personalPoints: CurvePoint[];
  final: Record<Role, TrainedModel>;
  /** The exported weights (temperature folded in). */
  calibrated: Record<Role, NetworkWeights>;
  finalTrainingSeconds: number;
  /** What each model's training did with suspect recordings. */
  suspectPolicies: Record<Role, SuspectPolicy>;
}

const metricEntry = (f: ModelFigures) => ({
  accuracy: f.accuracy,
  pooledAccuracy: f.pooledAccuracy,
  eceBefore: f.eceBefore,
  eceAfter: f.eceAfter,
  eceAfterCrossFitted: f.eceAfterCrossFitted,
});

/**
 * What the wand can expect to offload with a `--personal` model: the personalisation curve's point nearest the
 * fewest own recordings any class has (the curve fine-tunes with k of every class).
 */
function personalOffload(set: TrainingSet, points: readonly CurvePoint[]) {
  const measured = points.filter((p) => p.perClass > 0);
  if (set.personal.length === 0 || measured.length === 0) return {};
  const counts = set.data.labels.map((_, label) => set.personal.filter((e) => e.label === label).length).filter((n) => n > 0);
  const fewest = Math.min(...counts);
  const nearest = measured.reduce((best, p) => (Math.abs(p.perClass - fewest) < Math.abs(best.perClass - fewest) ? p : best));
  return { personal: { ownPerClass: nearest.perClass, expectedOffloadFraction: nearest.offloadFraction } };
}

/** The model.json of a training run (its contract is gesture/src/manifest.ts), validated before it is written. */
export function buildManifest(m: ManifestInputs): ModelManifest {
  const { options, set, heldOut } = m;
  const { plan, folds, figures } = heldOut;
  const { choice, cascadeGrouped } = heldOut.cascade;
  const everyone = [...set.data.examples, ...set.personal];
  const evaluation =
    plan.kind === 'grouped'
      ? `leave-one-${options.groupBy}-out over ${plan.folds.length} ${options.groupBy === 'dataset' ? 'datasets (one person each)' : 'people'}${folds.length < plan.folds.length ? ` (first ${folds.length} folds only)` : ''}; accuracy = mean over held-out people`
      : `OPTIMISTIC: stratified ${plan.folds.length}-fold split of ${set.data.groups.length} person(s); it does not measure new people`;
  const modelEntry = (role: Role) => ({
    file: `${role}.onnx`,
    inputName: ONNX_INPUT,
    outputName: ONNX_OUTPUT,
    inputShape: m.calibrated[role].spec.inputShape,
    preprocessing: m.final[role].steps,
    temperature: figures[role].temperature,
    // The shipped network's own description: with --personal the cloud's input has the level channel.
    parameters: parameterCount(m.calibrated[role].spec),
    architecture: describeNetwork(m.calibrated[role].spec),
  });
  return parseManifest({
    schemaVersion: 1,
    name: options.name,
    version: m.version,
    createdAt: new Date().toISOString(),
    labels: set.data.labels,
    input: { sampleRateHz: SAMPLE_RATE_HZ, windowLength: WINDOW_LENGTH, channels: ['x', 'y', 'z'], units: 'm/s^2' },
    models: { cloud: modelEntry('cloud'), edge: { ...modelEntry('edge'), header: EDGE_HEADER_FILE } },
    offload: { threshold: choice.threshold, rule: choice.rule, expectedOffloadFraction: choice.offloadFraction, ...personalOffload(set, m.personalPoints) },
    metrics: {
      evaluation,
      cloud: metricEntry(figures.cloud),
      edge: metricEntry(figures.edge),
      cascade: { accuracy: cascadeGrouped.macro, pooledAccuracy: choice.accuracy, offloadFraction: choice.offloadFraction },
      ...(figures['baseline-cloud'] ? { labBaseline: { cloud: figures['baseline-cloud'].accuracy, edge: figures['baseline-edge'].accuracy } } : {}),
      ...(m.personalPoints.length ? { personalisation: m.personalPoints } : {}),
    },
    data: {
      fingerprint: m.fingerprint,
      recordings: everyone.length,
      people: new Set(everyone.map((e) => e.recording.personId)).size,
      classes: Object.fromEntries(set.data.labels.map((l, i) => [l, everyone.filter((e) => e.label === i).length])),
    },
    training: {
      recipe: options.model,
      seed: options.seed,
      groupBy: options.groupBy,
      folds: folds.length,
      personalRecordings: set.personal.length,
      suspectRecordings: {
        option: options.suspect,
        ...m.suspectPolicies,
        count: set.data.examples.filter((e) => e.warnings.length > 0).length,
      },
      finalTrainingSeconds: m.finalTrainingSeconds,
      backend: 'tfjs-wasm',
    },
  });
}
