import type { Example, SuspectChoice } from '../data/data';
import { FINE_TUNE, trainModel, type TrainedModel } from './model-training';
import { resolveLayers } from './network';
import type { ModelRecipe } from './recipes';

/**
 * The recipe of a model with the level channel: its last step, rmsNormalize, also keeps ln(RMS) as one more input
 * channel (gesture/src/energy.ts), and the network takes that channel.
 */
function withLevelRecipe(recipe: ModelRecipe): ModelRecipe {
  return {
    ...recipe,
    summary: `${recipe.summary}; fine-tuned for one person with ln(RMS) as an extra input channel`,
    network: (classes) => {
      const spec = recipe.network(classes);
      return { ...spec, inputShape: [spec.inputShape[0], spec.inputShape[1] + 1] };
    },
    preprocessing: (train) => levelSteps(recipe.preprocessing(train)),
    // It has the channel: personalising this model again fine-tunes it as it is.
    personalLevel: false,
  };
}

function levelSteps(steps: TrainedModel['steps']): TrainedModel['steps'] {
  const last = steps[steps.length - 1];
  if (last?.op !== 'rmsNormalize') throw new Error(`the level channel needs rmsNormalize as the last step, not ${last?.op ?? 'none'}`);
  return [...steps.slice(0, -1), { ...last, keepLevel: true }];
}

/**
 * The same model with the level channel added and its first-layer weights for it at zero: it predicts exactly as
 * before until fine-tuning teaches it what this person's level says. The first layer's weights are
 * [positions, channels, units] for a convolution (positions = kernel) and for a dense layer (positions = steps).
 */
export function addLevelChannel(model: TrainedModel): TrainedModel {
  const recipe = withLevelRecipe(model.recipe);
  const [first] = resolveLayers(model.weights.spec);
  if (first.spec.kind !== 'conv1d' && first.spec.kind !== 'dense') throw new Error(`the level channel needs a weighted first layer, not ${first.spec.kind}`);
  const channels = first.inChannels;
  const units = first.outChannels;
  const old = model.weights.weights[0];
  const positions = old.length / (channels * units);
  const grown = new Float32Array(positions * (channels + 1) * units);
  for (let p = 0; p < positions; p++) grown.set(old.subarray(p * channels * units, (p + 1) * channels * units), p * (channels + 1) * units);
  const spec = { ...model.weights.spec, inputShape: [model.weights.spec.inputShape[0], channels + 1] as [number, number] };
  return { ...model, recipe, steps: levelSteps(model.steps), weights: { ...model.weights, spec, weights: [grown, ...model.weights.weights.slice(1)] } };
}

export interface PersonaliseRequest {
  /** A model trained on the pool (a fold's or the final one). */
  model: TrainedModel;
  pool: readonly Example[];
  own: readonly Example[];
  classes: number;
  seed: number;
  /** Caps the fine-tuning epochs (quick runs and tests). */
  epochs?: number;
  suspect?: SuspectChoice;
  onEpoch?: (epoch: number, total: number) => void;
}

/**
 * A pooled model made one person's: fine-tuned on their recordings (FINE_TUNE), with the level channel first when the
 * recipe asks for it. What `--personal` ships and what the report's personalisation curve measures, so the curve is
 * the figure a user of `--personal` can expect.
 */
export function personalise(req: PersonaliseRequest): TrainedModel {
  const from = req.model.recipe.personalLevel ? addLevelChannel(req.model) : req.model;
  return trainModel({
    from,
    recipe: from.recipe,
    classes: req.classes,
    train: req.pool,
    personal: req.own,
    seed: req.seed,
    suspect: req.suspect,
    epochs: req.epochs ? Math.min(req.epochs, FINE_TUNE.epochs) : undefined,
    onEpoch: req.onEpoch,
  });
}
