import { Presets, SingleBar } from 'cli-progress';

/** What a file transfer reports as it goes; tests pass a silent one. */
export interface TransferProgress {
  start(total: number): void;
  fileDone(path: string): void;
  stop(): void;
}

export const silentProgress: TransferProgress = { start: () => undefined, fileDone: () => undefined, stop: () => undefined };

/** A bar on stderr, so stdout stays free for `--json`. */
export function transferBar(verb: string): TransferProgress {
  const bar = new SingleBar({ format: `${verb} {bar} {value}/{total} files | {file}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  return {
    start: (total) => bar.start(total, 0, { file: '' }),
    fileDone: (path) => bar.increment(1, { file: path }),
    stop: () => bar.stop(),
  };
}
