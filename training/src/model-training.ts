import type { PreprocessingStep } from '../../gesture/src';
import type { Example } from './data';
import { fitNetwork, predictLogits } from './fit';
import type { NetworkWeights } from './network';
import { inputBuilder, type ModelRecipe } from './recipes';
import { Rng } from './rng';

/** One trained model: its manifest steps and weights (logits, not yet calibrated). */
export interface TrainedModel {
  recipe: ModelRecipe;
  steps: PreprocessingStep[];
  weights: NetworkWeights;
}

export interface TrainRequest {
  recipe: ModelRecipe;
  classes: number;
  train: readonly Example[];
  /** A user's own recordings, drawn `personalShare` of the time (REFERENCE 7: ~25 %). */
  personal?: readonly Example[];
  personalShare?: number;
  seed: number;
  /** Overrides the recipe's epoch count (quick runs and tests). */
  epochs?: number;
  onEpoch?: (epoch: number, total: number) => void;
}

export function trainModel(req: TrainRequest): TrainedModel {
  const { recipe } = req;
  const personal = req.personal ?? [];
  const rng = new Rng(req.seed);
  let pool = [...req.train];
  let validation: Example[] = [];
  if (recipe.fit.earlyStopping) {
    const shuffled = rng.shuffle([...pool]);
    const cut = Math.round(shuffled.length * recipe.fit.earlyStopping.fraction);
    validation = shuffled.slice(0, cut);
    pool = shuffled.slice(cut);
  }
  const all = [...pool, ...personal];
  const steps = recipe.preprocessing(all);
  const build = inputBuilder(recipe, steps);
  const cached = recipe.augment ? null : all.map((e) => build(e, null));
  const share = req.personalShare ?? 0.25;
  // Own recordings get `share` of all draws, however few they are; the pool shares the rest evenly.
  const drawWeights =
    personal.length > 0
      ? Float64Array.from(all, (_, i) => (i < pool.length ? (1 - share) / pool.length : share / personal.length))
      : undefined;
  const epochs = req.epochs ?? recipe.fit.epochs;
  const weights = fitNetwork(
    recipe.network(req.classes),
    {
      labels: Int32Array.from(all, (e) => e.label),
      numClasses: req.classes,
      input: (i, r) => (cached ? cached[i] : build(all[i], r)),
      drawWeights,
    },
    {
      epochs,
      batchSize: recipe.fit.batchSize,
      learningRate: recipe.fit.learningRate,
      finalLearningRate: recipe.fit.finalLearningRate,
      seed: rng.int(0x7fffffff),
      drawsPerEpoch: pool.length + (personal.length > 0 ? Math.round((pool.length * share) / (1 - share)) : 0),
      earlyStopping:
        recipe.fit.earlyStopping && validation.length > 0
          ? { inputs: validation.map((e) => build(e, null)), labels: Int32Array.from(validation, (e) => e.label), patience: recipe.fit.earlyStopping.patience }
          : undefined,
      onEpoch: (e) => req.onEpoch?.(e, epochs),
    },
  );
  return { recipe, steps, weights };
}

/** Raw logits of a trained model for examples, without augmentation. */
export function modelLogits(model: TrainedModel, examples: readonly Example[]): Float32Array {
  const build = inputBuilder(model.recipe, model.steps);
  return predictLogits(model.weights, examples.map((e) => build(e, null)));
}
