import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { WindowError } from '../../../gesture/src';
import { QueueFullError } from '../batcher';

/** A client mistake: answered with its status and message (4xx). */
export class ClientError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message: string;
  headers?: Record<string, string>;
}

/**
 * Every failure becomes `{"error": "<message>"}`. Client errors (http-errors with `expose`, bad
 * windows) show their message; anything else is logged with its stack and answered with a generic
 * 500, so no internals leak. Unmatched routes become a JSON 404.
 */
export function errorMapper(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: `no route for ${ctx.method} ${ctx.path}` };
      }
    } catch (caught) {
      const err = caught as HttpLikeError;
      let status = 500;
      let message = 'internal server error';
      if (caught instanceof WindowError) {
        status = 400;
        message = caught.message;
      } else if (caught instanceof QueueFullError) {
        status = 503;
        message = 'the server is busy, retry shortly';
        ctx.set('Retry-After', '1');
      } else if (err && typeof err === 'object') {
        const code = err.status ?? err.statusCode;
        if (typeof code === 'number' && code >= 400 && code < 500 && err.expose !== false) {
          status = code;
          message = err.message;
          for (const [name, value] of Object.entries(err.headers ?? {})) ctx.set(name, value);
        }
      }
      if (status >= 500 && !(caught instanceof QueueFullError)) {
        logger.error({ reqId: ctx.state.requestId, err: caught }, 'unhandled error');
      }
      ctx.status = status;
      ctx.body = { error: message };
    }
  };
}
