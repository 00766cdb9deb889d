// Per-subject token bucket for expensive routes. In memory: with N instances each enforces its own share.
import type { RequestHandler } from 'express';
import { tooManyRequests } from './errors';

export interface RateLimitOptions {
  /** Sustained requests per minute per token subject; 0 turns the limit off. */
  perMinute: number;
  /** Bucket size: requests a subject may make at once after being idle. Default `perMinute`. */
  burst?: number;
  /** Milliseconds clock; tests inject one. */
  clock?: () => number;
  /** Buckets kept before idle (full) ones are swept, bounding memory under many subjects. */
  maxSubjects?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const allow: RequestHandler = (_req, _res, next) => next();

/** Must run after authentication: the key is the token's `sub`. */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  if (options.perMinute <= 0) return allow;
  const clock = options.clock ?? Date.now;
  const burst = options.burst ?? options.perMinute;
  const perMs = options.perMinute / 60_000;
  const maxSubjects = options.maxSubjects ?? 10_000;
  const buckets = new Map<string, Bucket>();

  const sweep = (now: number) => {
    for (const [key, b] of buckets) if (b.tokens + (now - b.at) * perMs >= burst) buckets.delete(key);
  };

  return (req, _res, next) => {
    const key = req.principal?.sub ?? `ip:${req.socket.remoteAddress ?? 'unknown'}`;
    const now = clock();
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= maxSubjects) sweep(now);
      bucket = { tokens: burst, at: now };
      buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    next(tooManyRequests(Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))));
  };
}
