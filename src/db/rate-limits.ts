// Request limits kept in PostgreSQL, so every instance behind a load balancer draws on the same counters.
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimitOptions {
  /** Requests per subject per minute; 0 = unlimited (no limiter). */
  perMinute: number;
  /** Separates independent limits sharing the table (summaries, prewarm). */
  keyPrefix: string;
}

/**
 * A fixed one-minute window per subject in the `rate_limit` table (its migration creates it: the service's role
 * creates no tables). While PostgreSQL cannot be reached, an in-memory limiter of the same size stands in, so
 * the limit still holds per instance instead of failing every request.
 */
export function postgresLimiter(pool: pg.Pool, { perMinute, keyPrefix }: LimitOptions): RateLimiterAbstract | null {
  if (perMinute <= 0) return null;
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limit',
    tableCreated: true,
    keyPrefix,
    points: perMinute,
    duration: 60,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: perMinute, duration: 60 }),
  });
}
