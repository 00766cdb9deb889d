// A real shiftnote app on its own seeded test database, with tokens for each role.
import pg from 'pg';
import { AuditWriter, llmAuditHooks } from '../../src/audit';
import type { ChatCompleter } from '../../src/clinical';
import { createPrisma, type Db } from '../../src/db/client';
import { createApp } from '../../src/http/app';
import { hs256Verifier, mintToken, type Role, type TokenVerifier } from '../../src/http/auth';
import type { RateLimitOptions } from '../../src/http/rate-limit';
import { createLlmClient, parseLlmConfig } from '../../src/llm';
import { createLogger } from '../../src/log';
import { createMetrics, type Metrics } from '../../src/metrics';
import { seedDemo } from '../../prisma/seed';
import { SingleFlight } from '../../src/services/single-flight';
import { SummaryStore } from '../../src/services/summary-store';
import { createTestDatabase, type TestDatabase } from './db';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: TestDatabase;
  db: Db;
  pool: pg.Pool;
  audit: AuditWriter;
  metrics: Metrics;
  /** The summary cache, when an LLM is configured. */
  store: SummaryStore | null;
  flights: SingleFlight<import('../../src/clinical').SummaryWithSentences>;
  token(roles: Role[], opts?: { sub?: string; wardIds?: string[] }): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  completer?: ChatCompleter | null;
  seed?: boolean;
  now?: () => Date;
  logStream?: { write(line: string): void };
  /** Default: HS256 with TEST_SECRET (what `token()` mints). */
  verifier?: TokenVerifier;
  rateLimit?: RateLimitOptions;
  corsOrigins?: string[];
  metricsToken?: string;
  /** LLM config YAML: builds the real failover client (audited through this app's writer) and the summary cache. */
  llmYaml?: string;
  /** Use this existing database instead of a new one (a second "instance" on the same data). */
  database?: TestDatabase;
  instance?: string;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const db = createPrisma(database.url, 5);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const metrics = createMetrics({ defaultMetrics: false });
  const audit = new AuditWriter(pool, { onCommit: metrics.auditCommitted });
  metrics.watchAuditQueue(audit);
  metrics.watchPool('audit', pool);
  if (options.seed !== false && !options.database) await seedDemo(db);
  const llmConfig = options.llmYaml ? parseLlmConfig(options.llmYaml, {}) : null;
  const llm = llmConfig ? createLlmClient(llmConfig, llmAuditHooks(audit)) : null;
  const store = llm ? new SummaryStore(pool, options.instance ?? 'test-instance', 15_000) : null;
  const flights = new SingleFlight<import('../../src/clinical').SummaryWithSentences>();
  const logger = createLogger(options.logStream ? 'info' : 'silent', options.logStream as never);
  const app = createApp({
    db,
    audit,
    auditPool: pool,
    completer: options.completer ?? llm,
    store,
    modelKey: llm ? llm.enabledProviders().map((p) => `${p.name}:${p.model}`).join(',') : 'none',
    flights,
    claimWaitMs: 10_000,
    logger,
    verifier: options.verifier ?? hs256Verifier(TEST_SECRET),
    defaultDays: 7,
    now: options.now,
    metrics,
    rateLimit: options.rateLimit,
    corsOrigins: options.corsOrigins,
    metricsToken: options.metricsToken,
    readiness: { check: async () => ({ ok: true, details: {} }) },
  });
  return {
    app,
    database,
    db,
    pool,
    audit,
    metrics,
    store,
    flights,
    token: (roles, opts = {}) => mintToken(TEST_SECRET, { sub: opts.sub ?? `test-${roles.join('-')}`, roles, wardIds: opts.wardIds }),
    async close() {
      await store?.close();
      await llm?.close();
      await audit.close();
      await db.$disconnect();
      await pool.end();
      if (!options.database) await database.drop();
    },
  };
}
