import type { Example, SuspectChoice } from '../data/data';
import type { Fold } from '../data/folds';
import { modelLogits, trainModel, type TrainedModel } from '../models/model-training';
import type { Progress } from '../support/progress';
import type { ModelRecipe } from '../models/recipes';

/** Held-out (out-of-fold) logits of every example, for each model trained in the cross-validation. */
export interface OutOfFold {
  /** [N * classes] logits; row i comes from the fold that held example i out. */
  logits: Record<string, Float32Array>;
  /** Fold index that held each example out. */
  foldOf: Int32Array;
  /** The models trained in each fold, by key (for fine-tuning experiments on the held-out person). */
  models: Record<string, TrainedModel>[];
  /** Per model key: fitting wall time and optimiser steps summed over the folds. */
  cost: Record<string, { seconds: number; steps: number }>;
}

export interface CrossValRequest {
  examples: readonly Example[];
  folds: Fold[];
  classes: number;
  /** Models to evaluate, by a key such as 'edge', 'cloud', 'baseline-cloud'. */
  recipes: Record<string, ModelRecipe>;
  seed: number;
  /** Overrides every recipe's epoch count (quick runs and tests). */
  epochs?: number;
  suspect?: SuspectChoice;
  progress: Progress;
}

export function crossValidate(req: CrossValRequest): OutOfFold {
  const n = req.examples.length;
  const logits: Record<string, Float32Array> = {};
  for (const key of Object.keys(req.recipes)) logits[key] = new Float32Array(n * req.classes);
  const foldOf = new Int32Array(n).fill(-1);
  const models: Record<string, TrainedModel>[] = [];
  const cost: Record<string, { seconds: number; steps: number }> = {};
  for (const key of Object.keys(req.recipes)) cost[key] = { seconds: 0, steps: 0 };
  req.folds.forEach((fold, f) => {
    models.push({});
    const train = fold.train.map((i) => req.examples[i]);
    const test = fold.test.map((i) => req.examples[i]);
    for (const [key, recipe] of Object.entries(req.recipes)) {
      req.progress.stage(`${fold.name}: ${key}`);
      const model = trainModel({
        recipe,
        classes: req.classes,
        train,
        seed: req.seed + f * 7919,
        epochs: req.epochs,
        suspect: req.suspect,
        onEpoch: (e, total) => req.progress.epoch(e + 1, total),
      });
      models[f][key] = model;
      cost[key].seconds += model.trainingSeconds;
      cost[key].steps += model.trainingSteps;
      const out = modelLogits(model, test);
      fold.test.forEach((idx, j) => logits[key].set(out.subarray(j * req.classes, (j + 1) * req.classes), idx * req.classes));
    }
    for (const idx of fold.test) foldOf[idx] = f;
  });
  return { logits, foldOf, models, cost };
}
