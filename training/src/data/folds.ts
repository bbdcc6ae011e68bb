import type { Example } from './data';
import { Rng } from '../support/rng';

/** Held-out evaluation folds: indices into the examples, never sharing a group between train and test. */
export interface Fold {
  name: string;
  train: number[];
  test: number[];
}

export interface FoldPlan {
  folds: Fold[];
  /** 'grouped': each group held out in turn. 'stratified': a random split of too few people (optimistic). */
  kind: 'grouped' | 'stratified';
  warning?: string;
}

/** Fewest groups for an honest by-person evaluation. */
export const MIN_GROUPS = 3;

export function leaveOneGroupOut(examples: readonly Example[]): Fold[] {
  const groups = [...new Set(examples.map((e) => e.group))].sort();
  return groups.map((g) => ({
    name: g,
    train: examples.flatMap((e, i) => (e.group === g ? [] : [i])),
    test: examples.flatMap((e, i) => (e.group === g ? [i] : [])),
  }));
}

/** k folds with each class spread evenly over them (seeded). */
export function stratifiedFolds(examples: readonly Example[], k: number, seed: number): Fold[] {
  const rng = new Rng(seed);
  const foldOf = new Int32Array(examples.length);
  const labels = [...new Set(examples.map((e) => e.label))].sort((a, b) => a - b);
  for (const label of labels) {
    const members = rng.shuffle(examples.flatMap((e, i) => (e.label === label ? [i] : [])));
    members.forEach((idx, j) => (foldOf[idx] = j % k));
  }
  return Array.from({ length: k }, (_, f) => ({
    name: `split ${f + 1}/${k}`,
    train: examples.flatMap((_, i) => (foldOf[i] === f ? [] : [i])),
    test: examples.flatMap((_, i) => (foldOf[i] === f ? [i] : [])),
  }));
}

export function planFolds(examples: readonly Example[], seed: number, stratifiedK = 5): FoldPlan {
  const groups = new Set(examples.map((e) => e.group));
  if (groups.size >= MIN_GROUPS) return { folds: leaveOneGroupOut(examples), kind: 'grouped' };
  return {
    folds: stratifiedFolds(examples, stratifiedK, seed),
    kind: 'stratified',
    warning:
      `only ${groups.size} ${groups.size === 1 ? 'person' : 'people'} in the data: evaluation falls back to a stratified ` +
      `${stratifiedK}-fold split of the same people, so its accuracy is optimistic (it does not measure new people)`,
  };
}
