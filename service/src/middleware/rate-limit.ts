import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ClientError } from './errors';

export interface RateLimitOptions {
  /** Requests per client per window; 0 = no limit. */
  max: number;
  windowSeconds: number;
}

/**
 * Fixed-window limit per client address (ctx.ip, which honours X-Forwarded-For only when the app
 * trusts its proxy). Entries expire with their window, so memory stays bounded by active clients.
 * Over the limit: 429 with Retry-After (whole seconds, at least 1).
 */
export function rateLimit({ max, windowSeconds }: RateLimitOptions): Middleware {
  if (max === 0) return (_ctx, next) => next();
  const limiter = new RateLimiterMemory({ points: max, duration: windowSeconds });
  const limit = String(max);
  return async (ctx, next) => {
    let state: RateLimiterRes;
    try {
      state = await limiter.consume(ctx.ip || 'unknown');
    } catch (rejected) {
      if (!(rejected instanceof RateLimiterRes)) throw rejected;
      const retryAfter = String(Math.max(1, Math.ceil(rejected.msBeforeNext / 1000)));
      throw new ClientError(429, `rate limit exceeded: at most ${max} requests per ${windowSeconds} s, retry in ${retryAfter} s`, {
        'Retry-After': retryAfter,
        'RateLimit-Limit': limit,
        'RateLimit-Remaining': '0',
      });
    }
    ctx.set('RateLimit-Limit', limit);
    ctx.set('RateLimit-Remaining', String(state.remainingPoints));
    return next();
  };
}
