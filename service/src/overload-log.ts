import type { Logger } from 'pino';

/**
 * Why a request was turned away without being served. `waited`: it waited for a slot longer than
 * MAX_WAIT_MS; `connections`: a new connection was dropped at MAX_CONNECTIONS (before any request).
 */
export type ShedReason = 'busy' | 'client' | 'waited' | 'queue' | 'rate-limit' | 'connections';

/** At most one summary line per this long, however many requests are turned away. */
const SUMMARY_INTERVAL_MS = 10_000;

/**
 * Overload is logged as a summary, not a line per request: a flood of 503s/429s would otherwise
 * cost more CPU in logging than in answering (54k error lines in 15 s before). The first turned-away
 * request of a quiet period starts a timer; when it fires, one `warn` line gives the counts by
 * reason over the period. `flush()` writes what is pending (at shutdown).
 */
export class OverloadLog {
  private counts: Partial<Record<ShedReason, number>> = {};
  private since = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = SUMMARY_INTERVAL_MS,
  ) {}

  record(reason: ShedReason): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    if (this.timer !== undefined) return;
    this.since = Date.now();
    this.timer = setTimeout(() => this.flush(), this.intervalMs).unref();
  }

  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const turnedAway = this.counts;
    this.counts = {};
    const total = Object.values(turnedAway).reduce((a, b) => a + b, 0);
    this.logger.warn({ turnedAway, total, seconds: Math.round((Date.now() - this.since) / 100) / 10 }, 'overload: requests turned away');
  }
}
