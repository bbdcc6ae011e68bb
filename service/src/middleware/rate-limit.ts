import type { Middleware } from 'koa';
import { LRUCache } from 'lru-cache';
import { clientAddress } from '../client-address';
import { ClientError } from './errors';

export interface RateLimitOptions {
  /** Requests per client per window; 0 = no limit. */
  max: number;
  windowSeconds: number;
  /** Most clients tracked at once: the store's memory bound. */
  maxClients: number;
}

interface ClientWindow {
  count: number;
  /** Date.now() at which this client's window ends. */
  resetAt: number;
}

export interface RateLimiter {
  middleware: Middleware;
  /** Clients currently tracked (bounded by maxClients). */
  trackedClients: () => number;
}

/**
 * Fixed-window limit per client: the normalised address (`clientAddress`: `ip:port` forms and
 * IPv4-mapped IPv6 are one client, IPv6 counts per /64, X-Forwarded-For only behind a trusted
 * proxy). The store is an LRU of at most `maxClients` windows that expire with their window, so a
 * flood of distinct addresses costs bounded memory: past the bound, the least recently seen client
 * is forgotten (and starts a fresh window if it returns). Over the limit: 429 with Retry-After
 * (whole seconds, at least 1); `onLimited` is told, for the overload summary.
 */
export function rateLimit({ max, windowSeconds, maxClients }: RateLimitOptions, trustProxy: boolean, onLimited: () => void): RateLimiter {
  if (max === 0) return { middleware: (_ctx, next) => next(), trackedClients: () => 0 };
  const windowMs = windowSeconds * 1000;
  const windows = new LRUCache<string, ClientWindow>({ max: maxClients, ttl: windowMs });
  const limit = String(max);
  const middleware: Middleware = (ctx, next) => {
    const client = clientAddress(ctx.req, trustProxy);
    const now = Date.now();
    let window = windows.get(client);
    if (window === undefined || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      windows.set(client, window);
    }
    window.count++;
    if (window.count > max) {
      onLimited();
      ctx.state.turnedAway = true;
      const retryAfter = String(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
      throw new ClientError(429, `rate limit exceeded: at most ${max} requests per ${windowSeconds} s, retry in ${retryAfter} s`, {
        'Retry-After': retryAfter,
        'RateLimit-Limit': limit,
        'RateLimit-Remaining': '0',
      });
    }
    ctx.set('RateLimit-Limit', limit);
    ctx.set('RateLimit-Remaining', String(max - window.count));
    return next();
  };
  return { middleware, trackedClients: () => windows.size };
}
