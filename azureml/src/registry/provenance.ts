import { spawnSync } from 'node:child_process';
import { dataUsedTags } from '../job/dataUsed';

/** The commit the model was trained from: GitHub's `GITHUB_SHA` in Actions, else the work tree's HEAD. */
export function gitCommit(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GITHUB_SHA) return env.GITHUB_SHA;
  const run = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/** Tags beside the manifest's own (modelTags): where the model came from. */
export function provenanceTags(modelDir: string, extra: Record<string, string> = {}): Record<string, string> {
  const commit = gitCommit();
  return { ...(commit ? { 'git.commit': commit } : {}), ...dataUsedTags(modelDir), ...extra };
}
