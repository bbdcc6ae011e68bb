import { readTrainingSet } from './data/training-set';
import { evaluateHeldOut } from './evaluation/held-out';
import { personalisationCurve } from './evaluation/personal-curve';
import { writeModelFolder } from './export/artifacts';
import { useWasmBackend } from './models/backend';
import { trainFinalModels } from './models/final-models';
import { suspectPolicyOf } from './models/model-training';
import { RECIPES, WINDOW_LENGTH, type ModelRecipe } from './models/recipes';
import { writeReport } from './report/report';
import { silentProgress } from './support/progress';
import { StageClock } from './support/stage-clock';
import type { TrainOptions, TrainResult } from './train-types';

/**
 * `npm run train`, stage by stage: read the recordings, measure both models on people held out of training
 * (calibration and the offloading threshold come from there), the personalisation curve, the final models on
 * all the data, the model folder, and the model card.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const progress = options.progress ?? silentProgress;
  const clock = new StageClock();
  await useWasmBackend();
  const recipes = RECIPES[options.model];
  const suspectPolicies = { edge: suspectPolicyOf(recipes.edge, options.suspect), cloud: suspectPolicyOf(recipes.cloud, options.suspect) };
  const set = readTrainingSet({ ...options, windowLength: WINDOW_LENGTH, suspectPolicies }, progress);
  clock.end('read data');

  const evaluated: Record<string, ModelRecipe> & typeof recipes = { ...recipes };
  if (options.compareBaseline && options.model !== 'lab-baseline') {
    evaluated['baseline-edge'] = RECIPES['lab-baseline'].edge;
    evaluated['baseline-cloud'] = RECIPES['lab-baseline'].cloud;
  }
  const heldOut = evaluateHeldOut(set, evaluated, options, progress, clock);

  const personalPoints =
    heldOut.plan.kind === 'grouped' && options.curve.length > 0
      ? personalisationCurve({
          examples: set.data.examples,
          folds: heldOut.folds,
          oof: heldOut.oof,
          ks: options.curve,
          classes: set.data.labels.length,
          offload: heldOut.offload,
          seed: options.seed,
          epochs: options.epochs,
          suspect: options.suspect,
          progress,
        })
      : [];
  if (personalPoints.length) clock.end('personalisation curve');

  const { final, seconds: finalTrainingSeconds } = trainFinalModels(set, recipes, options, progress, clock);
  const { manifest, parityMaxAbsDiff } = await writeModelFolder({ options, set, heldOut, personalPoints, final, finalTrainingSeconds, suspectPolicies });
  clock.end('export: ONNX, header, golden vectors, parity check');

  const result: TrainResult = {
    manifest,
    plan: heldOut.plan,
    figures: heldOut.figures,
    ...heldOut.summary,
    personal: personalPoints,
    finalTrainingSeconds,
    parityMaxAbsDiff,
    data: set.data,
    suspect: set.suspect,
    separability: set.separability,
    suspectPolicies,
    warnings: heldOut.warnings,
    stageTimes: clock.times,
  };
  clock.total('total (before the report)');
  await writeReport(options.out, result, options);
  return result;
}
