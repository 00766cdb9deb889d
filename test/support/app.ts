// A real shiftnote app on its own seeded test database, with tokens for each role.
import pg from 'pg';
import { AuditWriter } from '../../src/audit';
import type { ChatCompleter } from '../../src/clinical';
import { createPrisma, type Db } from '../../src/db/client';
import { createApp } from '../../src/http/app';
import { hs256Verifier, mintToken, type Role } from '../../src/http/auth';
import { createLogger } from '../../src/log';
import { seedDemo } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from './db';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: TestDatabase;
  db: Db;
  pool: pg.Pool;
  audit: AuditWriter;
  token(roles: Role[], opts?: { sub?: string; wardIds?: string[] }): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  completer?: ChatCompleter | null;
  seed?: boolean;
  now?: () => Date;
  logStream?: { write(line: string): void };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const db = createPrisma(database.url, 5);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const audit = new AuditWriter(pool);
  if (options.seed !== false) await seedDemo(db);
  const logger = createLogger(options.logStream ? 'info' : 'silent', options.logStream as never);
  const app = createApp({
    db,
    audit,
    auditPool: pool,
    completer: options.completer ?? null,
    logger,
    verifier: hs256Verifier(TEST_SECRET),
    defaultDays: 7,
    now: options.now,
    readiness: { check: async () => ({ ok: true, details: {} }) },
  });
  return {
    app,
    database,
    db,
    pool,
    audit,
    token: (roles, opts = {}) => mintToken(TEST_SECRET, { sub: opts.sub ?? `test-${roles.join('-')}`, roles, wardIds: opts.wardIds }),
    async close() {
      await audit.close();
      await db.$disconnect();
      await pool.end();
      await database.drop();
    },
  };
}
