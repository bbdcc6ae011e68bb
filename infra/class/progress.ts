import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** What the runner reports while stacks run, several at a time. */
export interface ClassProgress {
  start(stack: string, steps: number): void;
  step(stack: string, action: string): void;
  done(stack: string, result: string): void;
  /** A line that is not about one step, e.g. a purge or what is left. */
  note(line: string): void;
  stop(): void;
}

/** A line per event: for logs and CI, where a redrawn bar would be noise. */
export function lineProgress(write: (line: string) => void): ClassProgress {
  return {
    start: (stack, steps) => write(`${stack}: started (${steps} steps)`),
    step: (stack, action) => write(`${stack}: ${action}`),
    done: (stack, result) => write(`${stack}: ${result}`),
    note: write,
    stop: () => undefined,
  };
}

/** One bar per running stack on stderr (stdout stays free for the table), for an instructor at a terminal. */
export function multibarProgress(): ClassProgress {
  const bars = new MultiBar(
    { format: '{stack} {bar} {value}/{total} {action}', stream: process.stderr, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const byStack = new Map<string, SingleBar>();
  return {
    start: (stack, steps) => byStack.set(stack, bars.create(steps, 0, { stack: stack.padEnd(20), action: 'waiting' })),
    step: (stack, action) => byStack.get(stack)?.increment(1, { action }),
    done: (stack, result) => {
      const bar = byStack.get(stack);
      bar?.update(bar.getTotal(), { action: result });
    },
    note: (line) => bars.log(`${line}\n`),
    stop: () => bars.stop(),
  };
}
