import { parse as parseMediaType } from 'content-type';
import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { ClientError } from './errors';

const isJsonType = (type: string): boolean => type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));

/**
 * Whether a Content-Type header announces a UTF-8 JSON body. No header counts as JSON: the Open
 * Inference Protocol's own clients (Python `tritonclient.http`, KServe's REST client) send none.
 * Media types and parameter names are case-insensitive and charset values too (RFC 9110 8.3.1,
 * 8.3.2), so `application/json; charset=UTF-8` is accepted.
 */
function checkContentType(header: string): void {
  // The exact header every wand sends needs no parsing.
  if (header === '' || header === 'application/json') return;
  let mediaType: ReturnType<typeof parseMediaType>;
  try {
    mediaType = parseMediaType(header);
  } catch {
    throw new ClientError(415, 'Content-Type must be application/json');
  }
  if (!isJsonType(mediaType.type)) throw new ClientError(415, 'Content-Type must be application/json');
  const charset = mediaType.parameters.charset?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ClientError(415, 'the JSON body must be UTF-8');
  }
}

/**
 * Length of the JSON part when the body uses the Open Inference Protocol's binary tensor data
 * extension (tritonclient's default): the JSON header, then raw tensor bytes.
 */
function jsonLength(header: string, bodyLength: number): number {
  if (header === '') return bodyLength;
  const length = Number(header);
  if (!/^\d{1,10}$/.test(header) || length > bodyLength) {
    throw new ClientError(400, `Inference-Header-Content-Length must be a whole number of bytes up to the body's ${bodyLength}`);
  }
  return length;
}

/**
 * Read a JSON request body into `ctx.state.body`: `application/json`, `+json` or no Content-Type,
 * no content encodings, at most `limit` bytes (413 past it), and valid JSON (400 otherwise). With
 * `Inference-Header-Content-Length`, only that many bytes are JSON; the rest goes to
 * `ctx.state.binary` for the protocol's binary tensor data.
 */
export function jsonBody(limit: number): Middleware {
  return async (ctx, next) => {
    checkContentType(ctx.get('content-type'));
    const encoding = ctx.get('content-encoding').toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      throw new ClientError(415, `Content-Encoding ${encoding.slice(0, 40)} is not supported`);
    }
    let raw: Buffer;
    try {
      raw = await getRawBody(ctx.req, { length: ctx.get('content-length') || undefined, limit });
    } catch (err) {
      // Do not keep draining an oversized upload on a kept-alive connection.
      if ((err as { status?: number }).status === 413) ctx.set('Connection', 'close');
      throw err;
    }
    const json = jsonLength(ctx.get('inference-header-content-length'), raw.length);
    if (json < raw.length) ctx.state.binary = raw.subarray(json);
    try {
      ctx.state.body = JSON.parse(raw.toString('utf8', 0, json)) as unknown;
    } catch {
      throw new ClientError(400, 'the body is not valid JSON');
    }
    return next();
  };
}
