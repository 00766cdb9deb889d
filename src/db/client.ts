// Prisma client factory: Prisma 7 talks to PostgreSQL through the pg driver adapter, on a pool of our own.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { instrumentPool } from '../timing';

export type Db = PrismaClient;

export function createPrisma(databaseUrl: string, poolSize: number): PrismaClient {
  // Our pool (rather than the adapter's) so its connection waits and statements show in Server-Timing.
  const pool = instrumentPool(
    new pg.Pool({
      connectionString: databaseUrl,
      max: poolSize,
      // Fail fast when the database is down: the HTTP layer answers 503 instead of hanging.
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30000,
    }),
  );
  // The pool's own errors (an idle connection the server closed) are the adapter's to log; never crash on them.
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
