import type { TrainingSet } from '../data/training-set';
import type { Progress } from '../support/progress';
import type { StageClock } from '../support/stage-clock';
import type { TrainOptions } from '../train-types';
import { trainModel, type TrainedModel } from './model-training';
import { personalise } from './personalise';
import type { ModelRecipe, Role } from './recipes';

/** Keeps the final models' seeds apart from every fold's (fold f trains with seed + 7919 f). */
const FINAL_SEED_OFFSET = 104729;

/**
 * The models that ship: trained on all the data, then, with `--personal`, made the user's as the personalisation
 * curve measured it (their temperatures come from the held-out stage).
 */
export function trainFinalModels(
  set: TrainingSet,
  recipes: Record<Role, ModelRecipe>,
  options: Pick<TrainOptions, 'seed' | 'epochs' | 'suspect'>,
  progress: Progress,
  clock: StageClock,
): { final: Record<Role, TrainedModel>; seconds: number } {
  const started = Date.now();
  const final = {} as Record<Role, TrainedModel>;
  const onEpoch = (e: number, total: number) => progress.epoch(e + 1, total);
  for (const role of ['edge', 'cloud'] as Role[]) {
    progress.stage(`final ${role}`);
    const pooled = trainModel({
      recipe: recipes[role],
      classes: set.data.labels.length,
      train: set.data.examples,
      seed: options.seed + FINAL_SEED_OFFSET,
      epochs: options.epochs,
      suspect: options.suspect,
      onEpoch,
    });
    clock.end(`final ${role} model`, pooled.trainingSteps);
    if (set.personal.length === 0) {
      final[role] = pooled;
      continue;
    }
    progress.stage(`final ${role}: fine-tuning on the own recordings`);
    final[role] = personalise({ model: pooled, pool: set.data.examples, own: set.personal, classes: set.data.labels.length, seed: options.seed + FINAL_SEED_OFFSET + 1, epochs: options.epochs, suspect: options.suspect, onEpoch });
    clock.end(`final ${role} model: fine-tuning on the own recordings`, final[role].trainingSteps);
  }
  return { final, seconds: (Date.now() - started) / 1000 };
}
