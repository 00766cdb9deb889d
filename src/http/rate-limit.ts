// Per-subject request limit for expensive routes: 429 with Retry-After once a subject's window is used up.
import type { RequestHandler } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { tooManyRequests } from './errors';

const allow: RequestHandler = (_req, _res, next) => next();

/** Must run after authentication: the key is the token's `sub`. No limiter → no limit. */
export function rateLimit(limiter: RateLimiterAbstract | null | undefined): RequestHandler {
  if (!limiter) return allow;
  return (req, _res, next) => {
    const key = req.principal?.sub ?? `ip:${req.socket.remoteAddress ?? 'unknown'}`;
    limiter.consume(key).then(
      () => next(),
      (rejection: unknown) => {
        // A RateLimiterRes is "over the limit"; anything else is the store failing (its insurance limiter also failed).
        if (rejection instanceof RateLimiterRes) next(tooManyRequests(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
        else next(rejection);
      },
    );
  };
}
