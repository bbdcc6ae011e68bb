import { reliability, softmaxRows } from '../calibration/calibration';
import { heldOutCascade, type OffloadSettings } from '../calibration/cascade';
import type { TrainingSet } from '../data/training-set';
import { planFolds, type Fold, type FoldPlan } from '../data/folds';
import type { ModelRecipe, Role } from '../models/recipes';
import type { Progress } from '../support/progress';
import type { StageClock } from '../support/stage-clock';
import type { ModelFigures, TrainOptions, TrainResult } from '../train-types';
import { crossValidate, type OutOfFold } from './crossval';
import { figuresFor, subset } from './figures';
import { confusionMatrix } from './metrics';

/** Everything measured on people held out of training: the figures, the temperatures and the offloading threshold. */
export interface HeldOutEvaluation {
  plan: FoldPlan;
  /** The folds evaluated (all of the plan's unless `--max-folds`). */
  folds: Fold[];
  oof: OutOfFold;
  figures: Record<string, ModelFigures>;
  cascade: ReturnType<typeof heldOutCascade>;
  offload: OffloadSettings;
  summary: Pick<TrainResult, 'cascade' | 'curve' | 'oracle' | 'reliability'>;
  warnings: string[];
}

export type HeldOutOptions = Pick<TrainOptions, 'seed' | 'maxFolds' | 'epochs' | 'suspect' | 'offload' | 'curve'>;

/** Cross-validate every recipe on the same folds, then calibrate both models and pick the offloading threshold. */
export function evaluateHeldOut(set: TrainingSet, recipes: Record<string, ModelRecipe> & Record<Role, ModelRecipe>, options: HeldOutOptions, progress: Progress, clock: StageClock): HeldOutEvaluation {
  const { examples } = set.data;
  const c = set.data.labels.length;
  const warnings: string[] = [];
  const plan = planFolds(examples, options.seed);
  if (plan.warning) warnings.push(plan.warning);
  const folds = options.maxFolds ? plan.folds.slice(0, options.maxFolds) : plan.folds;
  if (folds.length < plan.folds.length) warnings.push(`only ${folds.length} of ${plan.folds.length} folds were evaluated (--max-folds)`);
  const curveFolds = plan.kind === 'grouped' ? folds.length * options.curve.length : 0;
  // + the two final models, and their fine-tuning on the own recordings
  progress.stages(folds.length * Object.keys(recipes).length + curveFolds * 2 + (set.personal.length > 0 ? 4 : 2));

  const oof = crossValidate({ examples, folds, classes: c, recipes, seed: options.seed, epochs: options.epochs, suspect: options.suspect, progress });
  for (const [key, cost] of Object.entries(oof.cost)) clock.record({ stage: `cross-validation: ${key} (fitting)`, seconds: cost.seconds, steps: cost.steps });
  const rows = [...examples.keys()].filter((i) => oof.foldOf[i] >= 0);
  const figures: Record<string, ModelFigures> = {};
  for (const [key, recipe] of Object.entries(recipes)) figures[key] = figuresFor(key, recipe, oof, rows, examples, c, folds.length);

  const labels = Int32Array.from(rows, (i) => examples[i].label);
  const logits = { edge: subset(oof.logits.edge, rows, c), cloud: subset(oof.logits.cloud, rows, c) };
  const temperatures = { edge: figures.edge.temperature, cloud: figures.cloud.temperature };
  const cascade = heldOutCascade(logits, temperatures, labels, rows.map((i) => examples[i].group), c, options.offload);
  clock.end(`cross-validation, ${folds.length} folds x ${Object.keys(recipes).length} models (all, incl. fitting above), calibration, threshold`);

  const { choice } = cascade;
  const summary = {
    cascade: { accuracy: choice.accuracy, macroAccuracy: cascade.cascadeGrouped.macro, offloadFraction: choice.offloadFraction, threshold: choice.threshold, confusion: confusionMatrix(cascade.cascadePred, labels, c) },
    curve: cascade.curve,
    oracle: cascade.oracle,
    reliability: {
      edge: { before: reliability(softmaxRows(logits.edge, c), labels, c), after: reliability(cascade.cascadeData.edgeProbs, labels, c) },
      cloud: { before: reliability(softmaxRows(logits.cloud, c), labels, c), after: reliability(cascade.cascadeData.cloudProbs, labels, c) },
    },
  };
  return { plan, folds, oof, figures, cascade, offload: { threshold: choice.threshold, temperatures }, summary, warnings };
}
