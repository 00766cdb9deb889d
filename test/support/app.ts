// A real shiftnote app on its own seeded test database, with tokens for each role.
import pg from 'pg';
import { AuditWriter, createAuditPool, llmAuditHooks } from '../../src/audit';
import { committedMigrations } from '../../src/db/migrate';
import { createReadiness } from '../../src/services/readiness';
import type { ChatCompleter } from '../../src/clinical';
import { createPrisma, type Db } from '../../src/db/client';
import { createApp, type AppServices } from '../../src/http/app';
import { DEFAULTS } from '../../src/config';
import type { FhirSource } from '../../src/audit';
import { auditReview } from '../../src/services/audit-review';
import { patientSummaryService } from '../../src/services/patient-summary';
import { prewarmService, type PrewarmOptions } from '../../src/services/prewarm';
import { modelKeyOf, type SummaryFlight, type SummaryServiceDeps } from '../../src/services/summary-core';
import { wardBatchService } from '../../src/services/ward-summaries';
import { wardService } from '../../src/services/wards';
import type { Role } from '../../src/access/policy';
import { hs256Verifier, mintToken, type TokenVerifier } from '../../src/http/auth';
import { postgresLimiter } from '../../src/db/rate-limits';
import { createLlmClient, parseLlmConfig } from '../../src/llm';
import { createLogger } from '../../src/log';
import { createMetrics, type Metrics } from '../../src/metrics';
import { seedDemo } from '../../prisma/seed';
import { SingleFlight } from '../../src/services/single-flight';
import { SummaryStore } from '../../src/services/summary-store';
import { WeekMemo } from '../../src/services/week-memo';
import { ReuseMemo } from '../../src/services/reuse-memo';
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
  /** What answers summaries: the given completer, or the real failover client built from `llmYaml`. */
  completer: ChatCompleter | null;
  flights: SingleFlight<SummaryFlight>;
  /** The week memo (null with memo: false). */
  weeks: WeekMemo | null;
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
  /** Per-subject limits per minute, counted in this app's database (shared with a second instance on it). */
  rateLimit?: { perMinute: number };
  prewarmRateLimit?: { perMinute: number };
  /** On-demand prewarm pacing and concurrency (the app's defaults otherwise). */
  prewarm?: { concurrency: number; perMinute: number; instance: string };
  corsOrigins?: string[];
  metricsToken?: string;
  /** LLM config YAML: builds the real failover client (audited through this app's writer) and the summary cache. */
  llmYaml?: string;
  /** Use this existing database instead of a new one (a second "instance" on the same data). */
  database?: TestDatabase;
  instance?: string;
  /** The summary store's claim TTL (its default otherwise). */
  claimTtlMs?: number;
  /** false: no summary cache even with an LLM configured (every read asks the model). Default true. */
  cache?: boolean;
  /** The service's own readiness (database, migrations, audit commits) instead of an always-ready stub. */
  realReadiness?: boolean;
  /** false: no week memo and no re-grounding memo (every read loads, scores and re-grounds). Default true, as the service runs. */
  memo?: boolean;
  /** Audit connection timeouts (the service's defaults otherwise) and how often the writer probes when unavailable. */
  audit?: { lockTimeoutMs?: number; statementTimeoutMs?: number; probeIntervalMs?: number };
}

/** A test app's use cases, built as src/main.ts builds them; the summary deps' flights and knobs default as the service's. */
export function appServices(
  deps: Omit<SummaryServiceDeps, 'flights'> &
    Partial<Pick<SummaryServiceDeps, 'flights'>> & { auditPool: pg.Pool; auditSource?: FhirSource },
  options: { wardConcurrency?: number; prewarm?: Omit<PrewarmOptions, 'days' | 'pace'> } = {},
): AppServices {
  const { auditPool, auditSource, ...rest } = deps;
  const summaryDeps: SummaryServiceDeps = { ...rest, flights: rest.flights ?? new SingleFlight<SummaryFlight>() };
  const wardConcurrency = options.wardConcurrency ?? DEFAULTS.wardConcurrency;
  return {
    summaries: patientSummaryService(summaryDeps),
    wardBatches: wardBatchService(summaryDeps, { concurrency: wardConcurrency }),
    prewarm: prewarmService(
      summaryDeps,
      options.prewarm ?? { concurrency: wardConcurrency, perMinute: DEFAULTS.prewarmPerMinute, instance: 'test-instance' },
    ),
    auditReview: auditReview({ pool: auditPool, audit: deps.audit, source: auditSource }),
    wards: wardService({ db: deps.db, audit: deps.audit }),
  };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const db = createPrisma(database.url, 5);
  const pool: pg.Pool = createAuditPool(database.url, {
    max: 4,
    lockTimeoutMs: options.audit?.lockTimeoutMs ?? 1000,
    statementTimeoutMs: options.audit?.statementTimeoutMs ?? 5000,
  });
  const metrics = createMetrics({ defaultMetrics: false });
  const audit = new AuditWriter(pool, { onCommit: metrics.auditCommitted, probeIntervalMs: options.audit?.probeIntervalMs });
  metrics.watchAuditQueue(audit);
  metrics.watchPool('audit', pool);
  if (options.seed !== false && !options.database) await seedDemo(db);
  const llmConfig = options.llmYaml ? parseLlmConfig(options.llmYaml, {}) : null;
  const llm = llmConfig ? createLlmClient(llmConfig, llmAuditHooks(audit)) : null;
  const store = llm && options.cache !== false ? new SummaryStore(pool, options.instance ?? 'test-instance', options.claimTtlMs) : null;
  const flights = new SingleFlight<SummaryFlight>();
  const weeks = options.memo === false ? null : new WeekMemo();
  const reuses = options.memo === false ? null : new ReuseMemo();
  const logger = createLogger(options.logStream ? 'info' : 'silent', options.logStream);
  const services = appServices(
    {
      db,
      audit,
      auditPool: pool,
      completer: options.completer ?? llm,
      store,
      modelKey: modelKeyOf(llm),
      flights,
      claimWaitMs: 10_000,
      deadlineMs: llmConfig?.routing.deadline_ms,
      weeks,
      reuses,
      now: options.now,
    },
    { prewarm: options.prewarm },
  );
  const app = createApp({
    services,
    logger,
    verifier: options.verifier ?? hs256Verifier(TEST_SECRET),
    defaultDays: DEFAULTS.summaryDefaultDays,
    metrics,
    rateLimiter: options.rateLimit ? postgresLimiter(pool, { ...options.rateLimit, keyPrefix: 'summary' }) : null,
    prewarmRateLimiter: postgresLimiter(pool, { ...(options.prewarmRateLimit ?? { perMinute: 6 }), keyPrefix: 'prewarm' }),
    corsOrigins: options.corsOrigins,
    metricsToken: options.metricsToken,
    readiness: options.realReadiness
      ? createReadiness({
          pool,
          audit,
          expectedMigrations: committedMigrations().length,
          llm: () => llm?.health() ?? { status: 'ok', providers: [], reasons: [] },
          shuttingDown: () => false,
        })
      : { check: async () => ({ ok: true, details: {} }) },
  });
  return {
    app,
    database,
    db,
    pool,
    audit,
    metrics,
    store,
    completer: options.completer ?? llm,
    flights,
    weeks,
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
