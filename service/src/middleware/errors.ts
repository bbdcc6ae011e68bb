import type { Context, Middleware } from 'koa';
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

/** The message for a status the router set without a body: unmatched route, method not allowed or unknown. */
function routingMessage(ctx: Context): string | undefined {
  switch (ctx.status) {
    case 404:
      return `no route for ${ctx.method} ${ctx.path}`;
    case 405:
      return `method ${ctx.method} is not allowed on ${ctx.path}; allowed: ${ctx.response.get('Allow')}`;
    case 501:
      return `method ${ctx.method} is not implemented by this server`;
    default:
      return undefined;
  }
}

/**
 * Every failure becomes `{"error": "<message>"}`. Client errors (http-errors with `expose`, bad
 * windows) show their message; anything else is logged with its stack and answered with a generic
 * 500, so no internals leak. Unmatched routes (404), methods a route lacks (405, with `Allow`) and
 * methods no route has (501, e.g. PROPFIND, TRACE) get a JSON body too. A full inference queue is
 * a 503 with Retry-After, counted by `onQueueFull` (for the overload summary), not logged per request.
 */
export function errorMapper(logger: Logger, onQueueFull: () => void): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      const routing = ctx.body === undefined || ctx.body === null ? routingMessage(ctx) : undefined;
      if (routing !== undefined) {
        const status = ctx.status;
        ctx.body = { error: routing };
        ctx.status = status;
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
        ctx.state.turnedAway = true;
        onQueueFull();
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
