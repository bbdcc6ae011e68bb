/** Shared test inputs: real recordings (the bundled sample and a slice of the development pool). */
import path from 'node:path';
import { readDatasets, type Recording } from '../../gesture/src';
import { DEV_POOL } from '../../gesture/test-support/dev-pool';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SAMPLE_DATA = path.join(REPO_ROOT, 'data', 'sample');
/** The development pool, when this machine has it (see gesture/test-support/dev-pool.ts). */
export const POOL_DATA = DEV_POOL;
export const MODEL_DIR = path.join(REPO_ROOT, 'models', 'default');

/** Every `step`-th recording of a folder, so tests see many people without reading thousands of files. */
export function someRecordings(root: string | undefined, step: number): Recording[] {
  if (root === undefined) return [];
  return readDatasets(root).recordings.filter((_r, i) => i % step === 0);
}

export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

export const argmax = (values: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
};
