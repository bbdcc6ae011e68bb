import type { TrainingSet } from '../data/training-set';
import type { Progress } from '../support/progress';
import type { StageClock } from '../support/stage-clock';
import type { TrainOptions } from '../train-types';
import { trainModel, type TrainedModel } from './model-training';
import type { ModelRecipe, Role } from './recipes';

/** Keeps the final models' seeds apart from every fold's (fold f trains with seed + 7919 f). */
const FINAL_SEED_OFFSET = 104729;

/** The models that ship: trained on all the data and the user's own recordings (their temperatures come from the held-out stage). */
export function trainFinalModels(
  set: TrainingSet,
  recipes: Record<Role, ModelRecipe>,
  options: Pick<TrainOptions, 'seed' | 'epochs' | 'suspect'>,
  progress: Progress,
  clock: StageClock,
): { final: Record<Role, TrainedModel>; seconds: number } {
  const started = Date.now();
  const final = {} as Record<Role, TrainedModel>;
  for (const role of ['edge', 'cloud'] as Role[]) {
    progress.stage(`final ${role}`);
    final[role] = trainModel({
      recipe: recipes[role],
      classes: set.data.labels.length,
      train: set.data.examples,
      personal: set.personal,
      seed: options.seed + FINAL_SEED_OFFSET,
      epochs: options.epochs,
      suspect: options.suspect,
      onEpoch: (e, total) => progress.epoch(e + 1, total),
    });
    clock.end(`final ${role} model`, final[role].trainingSteps);
  }
  return { final, seconds: (Date.now() - started) / 1000 };
}
