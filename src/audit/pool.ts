// The audit connection pool: every statement on it has a lock and a statement timeout, so a commit never waits forever.
import pg from 'pg';
import { instrumentPool } from '../timing';

export interface AuditPoolOptions {
  max: number;
  /** Longest an append waits for the chain head's lock (another session's long transaction, ALTER TABLE, VACUUM FULL). */
  lockTimeoutMs: number;
  /** Longest any statement on the pool runs. */
  statementTimeoutMs: number;
}

export function createAuditPool(connectionString: string, o: AuditPoolOptions): pg.Pool {
  // Instrumented: a request's waits for a connection here and its statements (cache, claims, rate limit) show in
  // its Server-Timing; group commits run detached and show as the waiters' `audit` phase instead.
  return instrumentPool(
    new pg.Pool({
      connectionString,
      max: o.max,
      connectionTimeoutMillis: 3000,
      // Set by the server for the session: a lock wait or a statement past them is cancelled (55P03 / 57014).
      lock_timeout: o.lockTimeoutMs,
      statement_timeout: o.statementTimeoutMs,
      // The client's own bound, for a server that cannot even answer (a frozen host, a dropped network).
      query_timeout: o.statementTimeoutMs + 2000,
    }),
  );
}
