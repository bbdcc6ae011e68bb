import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The repository files a training job needs: every tracked file except recordings and bundled models
 * (the job reads recordings from its inputs, and writes its model to its output).
 */
export interface CodeSnapshot {
  files: string[];
  /** sha256 over paths and bytes: the code asset's version, so the same code is uploaded once. */
  sha256: string;
}

const LEFT_OUT = /^(data|models)\//;

export function codeSnapshot(repoRoot: string): CodeSnapshot {
  const run = spawnSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ls-files failed in ${repoRoot}: ${run.stderr.trim()} (the job's code is the repository's tracked files)`);
  const files = run.stdout
    .split('\0')
    // Tracked files deleted in the work tree are not part of what runs.
    .filter((f) => f !== '' && !LEFT_OUT.test(f) && existsSync(join(repoRoot, f)))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update('\0').update(readFileSync(join(repoRoot, f))).update('\0');
  return { files, sha256: hash.digest('hex') };
}

/** Where a snapshot is uploaded in the models container, beside the models (the identity can write there). */
export const codePrefix = (snapshot: CodeSnapshot): string => `_code/${snapshot.sha256.slice(0, 16)}/`;
export const codeVersion = (snapshot: CodeSnapshot): string => snapshot.sha256.slice(0, 16);
