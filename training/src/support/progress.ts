import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** Progress of long training work: a bar for the stages (folds, final models) and one for epochs. */
export interface Progress {
  stages(total: number): void;
  stage(name: string): void;
  epoch(done: number, total: number): void;
  log(message: string): void;
  stop(): void;
}

export const silentProgress: Progress = { stages: () => {}, stage: () => {}, epoch: () => {}, log: () => {}, stop: () => {} };

/**
 * Bars on stderr, so `--json`-style stdout stays clean. Training runs synchronously and starves the
 * timers cli-progress redraws on, so every call redraws itself (at most every 100 ms on a terminal,
 * every 10 s into a log) and log lines are written at once.
 */
export function terminalProgress(): Progress {
  const multi = new MultiBar(
    { format: '{label} |{bar}| {value}/{total} {name}', hideCursor: true, clearOnComplete: false, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 10000 },
    Presets.shades_classic,
  );
  let stagesBar: SingleBar | undefined;
  let epochBar: SingleBar | undefined;
  const interval = process.stderr.isTTY ? 100 : 10000;
  let drawn = 0;
  const redraw = (now = false) => {
    if (!now && Date.now() - drawn < interval) return;
    drawn = Date.now();
    multi.update();
  };
  return {
    stages(total) {
      stagesBar = multi.create(total, 0, { label: 'runs  ', name: '' });
      epochBar = multi.create(1, 0, { label: 'epochs', name: '' });
    },
    stage(name) {
      stagesBar?.increment(1, { label: 'runs  ', name });
      redraw();
    },
    epoch(done, total) {
      epochBar?.setTotal(total);
      epochBar?.update(done, { label: 'epochs', name: '' });
      redraw();
    },
    log(message) {
      multi.log(`${message}\n`);
      redraw(true);
    },
    stop() {
      multi.stop();
    },
  };
}
