import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { ClientError } from './errors';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The key a client presented: `x-api-key`, or `Authorization: Bearer <key>`. */
function presentedKey(header: (name: string) => string): string | undefined {
  const direct = header('x-api-key');
  if (direct) return direct;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header('authorization'));
  return match?.[1];
}

/**
 * Require the API key when one is configured. Both sides are hashed first so the comparison is
 * constant-time and independent of the presented key's length. Without a configured key, open.
 */
export function requireApiKey(apiKey: string | undefined): Middleware {
  if (!apiKey) return (_ctx, next) => next();
  const expected = digest(apiKey);
  return (ctx, next) => {
    const presented = presentedKey((name) => ctx.get(name));
    if (presented === undefined) {
      throw new ClientError(401, 'an API key is required: send it as x-api-key or Authorization: Bearer <key>', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    if (!timingSafeEqual(digest(presented), expected)) {
      throw new ClientError(401, 'the API key is not valid', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    return next();
  };
}
