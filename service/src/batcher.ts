/**
 * Same-tick request coalescing: rows enqueued during one event-loop turn (every request parsed in
 * the same poll phase) go through the model as one batch, flushed on setImmediate, so there is no
 * added delay. Under load this turns many small session runs into few larger ones (REFERENCE 3).
 */

/** Runs `rows` rows of `inputSize` values; returns `rows * classes` probabilities. */
export type BatchRunner = (rows: number, input: Float32Array) => Promise<Float32Array>;

interface Pending {
  input: Float32Array;
  resolve: (probabilities: Float32Array) => void;
  reject: (err: Error) => void;
}

export interface BatcherOptions {
  inputSize: number;
  classes: number;
  /** Most rows in one run; a bigger queue is split into several runs. */
  maxBatch: number;
  /** Most rows waiting; beyond it `enqueue` rejects with QueueFullError. */
  maxQueue: number;
  /** Called after every run with its size and duration, for metrics. */
  onRun?: (rows: number, seconds: number) => void;
}

/** The queue is full: the caller should answer 503 and ask the client to retry. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

export class InferenceBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly run: BatchRunner,
    private readonly options: BatcherOptions,
  ) {}

  /** Rows waiting or running; zero when idle. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Classify rows (each `inputSize` values); resolves to one probability row per input row. */
  enqueue(rows: readonly Float32Array[]): Promise<Float32Array[]> {
    if (this.queue.length + rows.length > this.options.maxQueue) {
      return Promise.reject(new QueueFullError('the inference queue is full'));
    }
    const results = rows.map(
      (input) => new Promise<Float32Array>((resolve, reject) => this.queue.push({ input, resolve, reject })),
    );
    this.schedule();
    return Promise.all(results);
  }

  /** Resolves once nothing is queued or running (used by graceful shutdown). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      await this.runOne(batch);
    }
    this.running = false;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private async runOne(batch: Pending[]): Promise<void> {
    const { inputSize, classes } = this.options;
    const input = new Float32Array(batch.length * inputSize);
    batch.forEach((p, i) => input.set(p.input, i * inputSize));
    const started = process.hrtime.bigint();
    try {
      const output = await this.run(batch.length, input);
      this.options.onRun?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
      batch.forEach((p, i) => p.resolve(output.slice(i * classes, (i + 1) * classes)));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const p of batch) p.reject(error);
    }
  }
}
