import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

/** An incoming id is reused only when it looks like one: it ends up in logs and response headers. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Give each request an id (the caller's `x-request-id` when sane, else a UUID), return it in the
 * response, and log one line per request: method, path, status, duration. No bodies, no query
 * strings, no headers (they may carry the API key). Successes are logged at `debug` (the access
 * log costs a quarter of a request's CPU under load, and /metrics already counts them); client
 * errors at `info`, server errors at `error`.
 */
export function requestLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const id = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('x-request-id', id);
    try {
      await next();
    } finally {
      const ms = performance.now() - started;
      const entry = { reqId: id, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 1000) / 1000 };
      // Requests turned away under overload are counted in OverloadLog's summary instead.
      if (ctx.state.turnedAway === true) logger.debug(entry, 'request turned away');
      // 501 answers a method no route has (PROPFIND, TRACE...): the client's doing, not a failure.
      else if (ctx.status >= 500 && ctx.status !== 501) logger.error(entry, 'request failed');
      else if (ctx.status >= 400) logger.info(entry, 'request rejected');
      else logger.debug(entry, 'request');
    }
  };
}
