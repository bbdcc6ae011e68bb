import type { Middleware } from 'koa';
import helmet from 'koa-helmet';

/**
 * Helmet's safe defaults, tightened for an API that serves no HTML: nothing may be loaded or
 * framed, and answers (predictions, metrics) are not cached by intermediaries.
 */
export function securityHeaders(): Middleware {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  });
  return (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    return headers(ctx, next);
  };
}
