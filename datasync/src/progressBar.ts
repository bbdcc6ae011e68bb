import { SingleBar, Presets } from 'cli-progress';
import type { Outcome, SyncProgress } from './report';

/** A bar on stderr (stdout stays free for the summary), with running counts per outcome. */
export function progressBar(verb: string): SyncProgress {
  const counts: Record<Outcome, number> = { transferred: 0, unchanged: 0, conflict: 0, failed: 0 };
  const bar = new SingleBar(
    {
      format: `${verb} {bar} {value}/{total} | {transferred} ${verb.toLowerCase()}ed, {unchanged} unchanged, {conflict} conflicts, {failed} failed`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0, counts),
    fileDone: (_path, outcome) => {
      counts[outcome] += 1;
      bar.increment(1, counts);
    },
    stop: () => bar.stop(),
  };
}
