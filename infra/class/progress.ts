import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** What the runner reports while stacks run, several at a time. */
export interface ClassProgress {
  /** How many students' stacks this run has. */
  begin(total: number): void;
  start(stack: string, steps: number): void;
  step(stack: string, action: string): void;
  done(stack: string, result: string): void;
  /** A line that is not one step, e.g. a purge. */
  note(line: string): void;
  stop(): void;
}

/** A line per event: for logs and CI, where a redrawn bar would be noise. */
export function lineProgress(write: (line: string) => void): ClassProgress {
  let finished = 0;
  let total = 0;
  return {
    begin: (n) => {
      total = n;
    },
    start: (stack, steps) => write(`${stack}: started (${steps} steps)`),
    step: (stack, action) => write(`${stack}: ${action}`),
    done: (stack, result) => write(`${stack}: ${result} [${++finished}/${total}]`),
    note: write,
    stop: () => undefined,
  };
}

/**
 * On stderr (stdout stays free for the table), for an instructor at a terminal: one bar for the class, and one for
 * each stack while it runs (at most --parallel); a finished stack leaves its result as a line above the bars.
 */
export function multibarProgress(): ClassProgress {
  const bars = new MultiBar(
    { format: '{stack} {bar} {value}/{total} {action}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let overall: SingleBar | undefined;
  const running = new Map<string, SingleBar>();
  return {
    begin: (total) => {
      overall = bars.create(total, 0, { stack: 'class'.padEnd(20), action: 'stacks done' });
    },
    start: (stack, steps) => running.set(stack, bars.create(steps, 0, { stack: stack.padEnd(20), action: 'starting' })),
    step: (stack, action) => running.get(stack)?.increment(1, { action }),
    done: (stack, result) => {
      const bar = running.get(stack);
      if (bar) bars.remove(bar);
      running.delete(stack);
      bars.log(`${stack}: ${result}\n`);
      overall?.increment(1);
    },
    note: (line) => bars.log(`${line}\n`),
    stop: () => bars.stop(),
  };
}
