import { loadTrainingData } from '../src/data/data';
import { leaveOneGroupOut, planFolds, stratifiedFolds } from '../src/data/folds';
import { sampleSubset } from './fixtures';

describe('cross-validation folds', () => {
  const grouped = loadTrainingData(sampleSubset(15, 4), { groupBy: 'dataset', windowLength: 100, minPerClass: 5 });

  test('leave-one-group-out: every group is held out once and never trains its own fold', () => {
    const folds = leaveOneGroupOut(grouped.examples);
    expect(folds.map((f) => f.name)).toEqual(['person0', 'person1', 'person2', 'person3']);
    const heldOut = new Set<number>();
    for (const fold of folds) {
      const testGroups = new Set(fold.test.map((i) => grouped.examples[i].group));
      const trainGroups = new Set(fold.train.map((i) => grouped.examples[i].group));
      expect([...testGroups]).toEqual([fold.name]);
      expect(trainGroups.has(fold.name)).toBe(false);
      expect(fold.train.length + fold.test.length).toBe(grouped.examples.length);
      fold.test.forEach((i) => heldOut.add(i));
    }
    expect(heldOut.size).toBe(grouped.examples.length);
  });

  test('with 3 or more groups the plan is grouped, without a warning', () => {
    const plan = planFolds(grouped.examples, 1);
    expect(plan.kind).toBe('grouped');
    expect(plan.warning).toBeUndefined();
  });

  test('with fewer than 3 people the plan falls back to a stratified split and says it is optimistic', () => {
    const one = loadTrainingData(sampleSubset(15, 1), { groupBy: 'dataset', windowLength: 100, minPerClass: 5 });
    const plan = planFolds(one.examples, 1);
    expect(plan.kind).toBe('stratified');
    expect(plan.warning).toMatch(/optimistic/);
  });

  test('stratified folds partition the data and spread each class evenly', () => {
    const folds = stratifiedFolds(grouped.examples, 5, 3);
    const seen = folds.flatMap((f) => f.test).sort((a, b) => a - b);
    expect(seen).toEqual([...grouped.examples.keys()]);
    for (const fold of folds) {
      for (const label of [0, 1, 2]) expect(fold.test.filter((i) => grouped.examples[i].label === label)).toHaveLength(3);
    }
  });
});
