import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE, tempDir } from './helpers';

/**
 * A small copy of the bundled sample: `perClass` recordings of each class, split over `datasets`
 * dataset folders (so grouped cross-validation has several "people" to hold out).
 */
export function sampleSubset(perClass: number, datasets = 1, classes = ['O', 'V', 'Z']): string {
  const root = tempDir('subset');
  for (const label of classes) {
    const files = readdirSync(join(SAMPLE, label)).filter((f) => f.endsWith('.csv')).sort().slice(0, perClass);
    files.forEach((file, i) => {
      const dir = datasets === 1 ? join(root, label) : join(root, `person${i % datasets}`, label);
      mkdirSync(dir, { recursive: true });
      copyFileSync(join(SAMPLE, label, file), join(dir, file));
    });
  }
  return root;
}
