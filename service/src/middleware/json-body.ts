import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { ClientError } from './errors';

/**
 * Read a JSON request body into `ctx.state.body`: only `application/json` (or `+json`), no content
 * encodings, at most `limit` bytes (413 past it), and valid JSON (400 otherwise).
 */
export function jsonBody(limit: number): Middleware {
  return async (ctx, next) => {
    // The exact header every wand and client sends needs no media-type parsing (done twice otherwise).
    if (ctx.get('content-type') !== 'application/json') {
      if (!ctx.is('application/json', '+json')) {
        throw new ClientError(415, 'Content-Type must be application/json');
      }
      const charset = ctx.request.charset;
      if (charset && charset !== 'utf-8' && charset !== 'utf8') {
        throw new ClientError(415, 'the JSON body must be UTF-8');
      }
    }
    const encoding = ctx.get('content-encoding').toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      throw new ClientError(415, `Content-Encoding ${encoding.slice(0, 40)} is not supported`);
    }
    let text: string;
    try {
      text = (await getRawBody(ctx.req, { length: ctx.get('content-length') || undefined, limit })).toString('utf8');
    } catch (err) {
      // Do not keep draining an oversized upload on a kept-alive connection.
      if ((err as { status?: number }).status === 413) ctx.set('Connection', 'close');
      throw err;
    }
    try {
      ctx.state.body = JSON.parse(text) as unknown;
    } catch {
      throw new ClientError(400, 'the body is not valid JSON');
    }
    return next();
  };
}
