import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
export const SAMPLE = join(REPO, 'data', 'sample');

/**
 * Copy the first `perClass` recordings of each class folder of `source` into `target/<class>/`,
 * optionally renamed (to stand for another person's recordings).
 */
export function copyRecordings(source: string, target: string, perClass: number, rename = (name: string) => name): string[] {
  const copied: string[] = [];
  for (const cls of readdirSync(source, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    mkdirSync(join(target, cls.name), { recursive: true });
    for (const file of readdirSync(join(source, cls.name)).filter((f) => f.endsWith('.csv')).sort().slice(0, perClass)) {
      const copy = join(target, cls.name, rename(file));
      copyFileSync(join(source, cls.name, file), copy);
      copied.push(copy);
    }
  }
  return copied;
}

/** Files the shared loader rejects, each for a different reason. */
export function writeBadRecordings(target: string): string[] {
  const bad = {
    'output_O_cherry_901_20250101_000000.csv': '',
    'output_O_cherry_902_20250101_000000.csv': 'timestamp,x,y,z\n0,1,2,3\n10,1,2,3\n',
    'output_O_cherry_903_20250101_000000.csv': `timestamp,x,y,z\n${Array.from({ length: 60 }, (_, i) => (i === 30 ? `${i * 10},1,2` : `${i * 10},1,abc,3`)).join('\n')}\n`,
  };
  mkdirSync(join(target, 'O'), { recursive: true });
  return Object.entries(bad).map(([name, text]) => {
    writeFileSync(join(target, 'O', name), text);
    return join(target, 'O', name);
  });
}
