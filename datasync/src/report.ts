/** What happened to each file in one sync; every file ends in exactly one list. */
export interface FileIssue {
  path: string;
  reason: string;
}

export interface SyncReport {
  transferred: string[];
  unchanged: string[];
  /** Not transferred because the destination holds a newer, different version (use --overwrite to replace). */
  conflicts: FileIssue[];
  /** Transfers that failed or were interrupted; running the same command again resumes them. */
  failed: FileIssue[];
  /** Upload only: recordings the shared loader refuses, with its reason. */
  rejected: FileIssue[];
  /** Upload only: people whose gestures look alike (gesture/src/separability.ts); uploaded, but worth recording again. */
  lookAlike: { person: string; warning: string }[];
}

export type Outcome = 'transferred' | 'unchanged' | 'conflict' | 'failed';

/** Progress as files finish; the CLI draws a bar, tests count events. */
export interface SyncProgress {
  start(total: number): void;
  fileDone(path: string, outcome: Outcome): void;
  stop(): void;
}

export const silentProgress: SyncProgress = { start: () => undefined, fileDone: () => undefined, stop: () => undefined };

export const emptyReport = (): SyncReport => ({ transferred: [], unchanged: [], conflicts: [], failed: [], rejected: [], lookAlike: [] });

export function record(report: SyncReport, progress: SyncProgress, path: string, outcome: Outcome, reason = ''): void {
  if (outcome === 'transferred') report.transferred.push(path);
  else if (outcome === 'unchanged') report.unchanged.push(path);
  else if (outcome === 'conflict') report.conflicts.push({ path, reason });
  else report.failed.push({ path, reason });
  progress.fileDone(path, outcome);
}

/**
 * Run `work` over `items` with at most `concurrency` in flight. After `signal` aborts, items not yet
 * started are handed to `skipped` instead (the ones in flight finish), so an interrupted sync still
 * accounts for every file.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  skipped: (item: T) => void,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (signal?.aborted) skipped(item);
      else await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
