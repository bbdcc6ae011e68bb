import type { ModelManifest, Separability } from '../../gesture/src';
import type { ReliabilityBin } from './calibration/calibration';
import type { cascadeCurve, OffloadRule } from './calibration/offload';
import type { GroupBy, suspectCounts, SuspectChoice, SuspectPolicy, TrainingData } from './data/data';
import type { FoldPlan } from './data/folds';
import type { CurvePoint } from './evaluation/personal-curve';
import type { RecipeName, Role } from './models/recipes';
import type { Progress } from './support/progress';

/** What `npm run train` is asked to do and what it produces: shared by the pipeline (train.ts), the CLI and the report. */
export interface TrainOptions {
  data: string;
  out: string;
  classes?: string[];
  seed: number;
  personal?: string;
  groupBy: GroupBy;
  model: RecipeName;
  offload: OffloadRule;
  /** Own recordings per class for the personalisation curve ([] skips it). */
  curve: number[];
  /** Also cross-validate the lab's recipe on the same folds (skipped when it is the model). */
  compareBaseline: boolean;
  minPerClass: number;
  name: string;
  goldenCount: number;
  /**
   * Suspect recordings (quality warnings) in training: keep, down-weight or drop for every model, or `recipe`
   * (each model's measured choice); held-out people are always scored on all their recordings.
   */
  suspect: SuspectChoice;
  /** Overrides every recipe's epoch count (quick runs, tests). */
  epochs?: number;
  /** Evaluate only the first N folds (quick runs, tests); the report says so. */
  maxFolds?: number;
  progress?: Progress;
}

/** One model's held-out figures (evaluation/figures.ts). */
export interface ModelFigures {
  accuracy: number;
  macroAccuracy: number;
  pooledAccuracy: number;
  perGroup: Record<string, { n: number; accuracy: number }>;
  temperature: number;
  eceBefore: number;
  /** ECE of the held-out predictions at the exported temperature (fitted on those same predictions). */
  eceAfter: number;
  /** Stricter: each fold's temperature fitted on the other folds only. */
  eceAfterCrossFitted: number;
  confusion: number[][];
  parameters: number;
  multiplyAdds: number;
  architecture: string;
}

export interface TrainResult {
  manifest: ModelManifest;
  plan: FoldPlan;
  figures: Record<string, ModelFigures>;
  cascade: { accuracy: number; macroAccuracy: number; offloadFraction: number; threshold: number; confusion: number[][] };
  curve: ReturnType<typeof cascadeCurve>;
  oracle: { offloadFraction: number; accuracy: number }[];
  personal: CurvePoint[];
  finalTrainingSeconds: number;
  parityMaxAbsDiff: number;
  reliability: Record<Role, { before: ReliabilityBin[]; after: ReliabilityBin[] }>;
  data: TrainingData;
  /** Per person (own recordings as `personal:` groups): recordings, suspect ones, and the count per warning code. */
  suspect: ReturnType<typeof suspectCounts>;
  /** Per person with enough recordings to judge: how well their gestures tell apart (gesture/src/separability.ts). */
  separability: Record<string, Separability>;
  /** What each model's training did with them (`--suspect`, or each recipe's own choice). */
  suspectPolicies: Record<Role, SuspectPolicy>;
  warnings: string[];
  /** Wall time of each stage, with optimiser steps where the stage trains (ms per step = seconds / steps). */
  stageTimes: StageTime[];
}

export interface StageTime {
  stage: string;
  seconds: number;
  steps?: number;
}
