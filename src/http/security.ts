// Security headers (helmet) and strict CORS, set in one place for every response.
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/** API defaults: nothing may be loaded, framed or cached; /docs relaxes its own CSP for its inline style. */
export function securityHeaders(): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
    (_req, res, next) => {
      // Patient data must not sit in browser or proxy caches.
      res.setHeader('Cache-Control', 'no-store');
      next();
    },
  ];
}

const ALLOWED_HEADERS = 'Authorization, Content-Type, If-None-Match, X-Request-Id';
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After, ETag, WWW-Authenticate';

/**
 * CORS for the configured origins only: others get no CORS headers (the browser then blocks them).
 * Preflights from allowed origins are answered here, before authentication, as browsers send them without a token.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.headers.origin;
    if (!origin || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
