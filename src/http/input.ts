// Text no request may carry: a NUL or a lone UTF-16 surrogate, in the path, the query, a header or a token's subject.
// PostgreSQL cannot store either (a 500 where it reached a query), and neither has any honest use in this API.
import type { RequestHandler } from 'express';
import { badRequest } from './errors';

// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `value` (a string, or strings nested in arrays and objects) holds a NUL or a lone surrogate. */
export function holdsNonText(value: unknown): boolean {
  if (typeof value === 'string') return NOT_TEXT.test(value);
  if (Array.isArray(value)) return value.some(holdsNonText);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => NOT_TEXT.test(k) || holdsNonText(v));
  return false;
}

/** Refuses such a request with a 400 before any route sees it; an undecodable %-escape in the path too. */
export function refuseNonText(): RequestHandler {
  return (req, _res, next) => {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return next(badRequest('malformed request: the path is not valid UTF-8'));
    }
    if (NOT_TEXT.test(path) || holdsNonText(req.query)) return next(badRequest('the path or query holds a character that is not allowed'));
    if (holdsNonText(req.headers)) return next(badRequest('a header holds a character that is not allowed'));
    next();
  };
}
