import type { StageTime } from '../train-types';

/** Wall time per pipeline stage, for the report's "Time per stage" table. */
export class StageClock {
  readonly times: StageTime[] = [];
  private readonly started = Date.now();
  private last = this.started;

  /** Close the stage running since the previous one ended. */
  end(stage: string, steps?: number): void {
    const now = Date.now();
    this.times.push({ stage, seconds: (now - this.last) / 1000, ...(steps ? { steps } : {}) });
    this.last = now;
  }

  /** A figure measured inside another stage (e.g. fitting time summed over folds), listed without closing a stage. */
  record(time: StageTime): void {
    this.times.push(time);
  }

  total(stage: string): void {
    this.times.push({ stage, seconds: (Date.now() - this.started) / 1000 });
  }
}
