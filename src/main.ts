// Wiring: config, database, audit, LLM client, HTTP server; graceful shutdown on SIGTERM/SIGINT.
// First import: tracing must be running before express, pg and undici load.
import { telemetry } from './instrument';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AuditWriter, createAuditPool, llmAuditHooks } from './audit';
import { ConfigError, loadConfig, type Config } from './config';
import { createPrisma } from './db/client';
import { postgresLimiter } from './db/rate-limits';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { committedMigrations, migrateIfNeeded } from './db/migrate';
import { createApp } from './http/app';
import { hs256Verifier, jwksVerifier, mintToken, type TokenVerifier } from './http/auth';
import { createHttpServer } from './http/server';
import { createLlmClient, LlmConfigError, loadLlmConfig, type LlmConfig } from './llm';
import { createLogger, type Logger } from './log';
import { createMetrics } from './metrics';
import { seedDemo } from '../prisma/seed';
import { auditReview } from './services/audit-review';
import { patientSummaryService } from './services/patient-summary';
import { prewarmService, schedulePrewarm } from './services/prewarm';
import { SingleFlight } from './services/single-flight';
import { modelKeyOf, type SummaryFlight, type SummaryServiceDeps } from './services/summary-core';
import { wardBatchService } from './services/ward-summaries';
import { wardService } from './services/wards';
import { SummaryStore } from './services/summary-store';
import { WeekMemo } from './services/week-memo';
import { ReuseMemo } from './services/reuse-memo';
import { createReadiness } from './services/readiness';
import { projectRoot } from './paths';

// In the checkout, not the working directory: `npm start` from anywhere, and `npm run token`, find the same one.
const DEV_SECRET_FILE = path.join(projectRoot, '.data', 'dev-auth-secret');

/** Dev mode: one random secret per data directory, so `npm run token` can mint for this server. */
export function devSecret(): string {
  if (fs.existsSync(DEV_SECRET_FILE)) return fs.readFileSync(DEV_SECRET_FILE, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  fs.mkdirSync(path.dirname(DEV_SECRET_FILE), { recursive: true });
  fs.writeFileSync(DEV_SECRET_FILE, secret, { mode: 0o600 });
  return secret;
}

function verifierFor(config: Config): { verifier: TokenVerifier; devSecret?: string } {
  const opts = { issuer: config.authIssuer, audience: config.authAudience };
  if (config.auth.mode === 'hs256') return { verifier: hs256Verifier(config.auth.secret, opts) };
  if (config.auth.mode === 'jwks') return { verifier: jwksVerifier(config.auth.jwksUrl, opts) };
  const secret = devSecret();
  return { verifier: hs256Verifier(secret, opts), devSecret: secret };
}

export async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  // Signals are taken from the start: one that arrives while starting up (the embedded database half-started,
  // the banner half-printed) is kept and acted on once there is something to drain, never the default kill.
  let stopOn: ((signal: string) => void) | null = null;
  let signalled: string | null = null;
  const onSignal = (signal: string) => (stopOn ? stopOn(signal) : (signalled ??= signal));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`shiftnote: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  // Before anything starts: a provider without a BAA in production, or a failover order that leaves one, stops here.
  let llmConfig: LlmConfig;
  try {
    llmConfig = loadLlmConfig(config.llmConfigPath, process.env, logger);
  } catch (err) {
    if (err instanceof LlmConfigError) {
      process.stderr.write(`shiftnote: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.warn(
      { dir: config.embeddedPg.dir, port: config.embeddedPg.port },
      'DATABASE_URL is unset: starting EMBEDDED PostgreSQL (dev/demo only, not for patient data)',
    );
    embedded = await startEmbeddedPostgres(config.embeddedPg.dir, config.embeddedPg.port, (m) => logger.warn(m));
    databaseUrl = embedded.url;
  }
  if (config.migrateOnStart) {
    const applied = await migrateIfNeeded(embedded ? databaseUrl : (config.migrateDatabaseUrl ?? databaseUrl));
    if (applied.length) logger.info({ migrations: applied }, 'applied database migrations');
  }
  const expectedMigrations = committedMigrations().length;

  const metrics = createMetrics();
  const db = createPrisma(databaseUrl, config.databasePoolSize);
  // Audit reads and exports, the summary cache and its LISTEN connection, rate limits; Prisma keeps its own pool for reads.
  const auditPool = createAuditPool(databaseUrl, { max: 8, ...config.audit });
  auditPool.on('error', (err) => logger.warn({ code: (err as { code?: string }).code }, 'idle audit connection failed'));
  // The writer's own connections (one commit at a time, plus its probe while commits cannot happen): a commit never
  // queues behind a cache or claim statement, a rate-limit check or a compliance export on the shared audit pool.
  const commitPool = createAuditPool(databaseUrl, { max: 2, ...config.audit });
  commitPool.on('error', (err) => logger.warn({ code: (err as { code?: string }).code }, 'idle audit commit connection failed'));
  const audit = new AuditWriter(commitPool, {
    onCommit: metrics.auditCommitted,
    onAvailability: (available, reason) =>
      available
        ? logger.info('audit commits work again')
        : logger.error({ reason }, 'audit rows cannot be committed: summaries answer 503 until they can'),
  });
  metrics.watchAuditQueue(audit);
  metrics.watchPool('audit', auditPool);
  metrics.watchPool('audit_commit', commitPool);

  if (config.seedDemo) {
    const seeded = await seedDemo(db);
    if (seeded) logger.info({ wards: seeded.wards, patients: seeded.patients }, 'seeded the demo wards');
  }

  const onResponseRowError = (err: unknown) =>
    logger.error({ err: { name: (err as Error).name, code: (err as { code?: unknown }).code } }, 'llm.response audit row failed');
  const llm =
    llmConfig.providers.length > 0
      ? createLlmClient(llmConfig, llmAuditHooks(audit, onResponseRowError), { logger, metrics: metrics.registry })
      : null;
  if (!llm) logger.warn('no LLM provider enabled: summaries come from the deterministic fallback summarizer');

  // The shared summary cache; claims keep instances from calling the model twice for one fingerprint (renewed while
  // generating, so a dead instance's claim lapses within seconds), and old rows are pruned.
  const store = new SummaryStore(auditPool, config.instance);
  const pruning = store.schedulePrune({ everyMs: 15 * 60_000, olderThanMs: config.summaryCacheRetentionHours * 3_600_000 }, (err) =>
    logger.warn({ err: { name: (err as Error).name, code: (err as { code?: unknown }).code } }, 'summary cache pruning failed'),
  );
  const summaryDeps: SummaryServiceDeps = {
    db,
    audit,
    completer: llm,
    store,
    modelKey: modelKeyOf(llm),
    flights: new SingleFlight<SummaryFlight>(),
    claimWaitMs: llmConfig.routing.deadline_ms + 1_000,
    deadlineMs: llmConfig.routing.deadline_ms,
    // Scored weeks kept while each patient's data version (database triggers) is unchanged.
    weeks: new WeekMemo(),
    // Stored summaries' re-grounding, kept while their facts (and "hours ago") are unchanged.
    reuses: new ReuseMemo(),
  };
  const prewarm = { concurrency: config.wardConcurrency, perMinute: config.prewarmPerMinute, instance: config.instance };
  // The use cases, each router given only the one(s) it calls.
  const services = {
    summaries: patientSummaryService(summaryDeps),
    wardBatches: wardBatchService(summaryDeps, { concurrency: config.wardConcurrency }),
    prewarm: prewarmService(summaryDeps, prewarm),
    auditReview: auditReview({ pool: auditPool, audit, source: { name: 'shiftnote', site: config.instance } }),
    wards: wardService({ db, audit }),
  };

  const { verifier, devSecret: secret } = verifierFor(config);
  let shuttingDown = false;
  const app = createApp({
    services,
    logger,
    verifier,
    defaultDays: config.summaryDefaultDays,
    metrics,
    corsOrigins: config.corsOrigins,
    rateLimiter: postgresLimiter(auditPool, { perMinute: config.rateLimitPerMinute, keyPrefix: 'summary' }),
    prewarmRateLimiter: postgresLimiter(auditPool, { perMinute: config.prewarmRequestsPerMinute, keyPrefix: 'prewarm' }),
    metricsToken: config.metricsToken,
    readiness: createReadiness({
      pool: auditPool,
      audit,
      expectedMigrations,
      llm: () => llm?.health() ?? { status: 'ok', providers: [], reasons: [] },
      shuttingDown: () => shuttingDown,
    }),
  });

  const server = createHttpServer(app, config.http);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
    server.listen(config.port, config.host);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const readyMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  logger.info(
    { port, readyMs: Math.round(readyMs), embedded: Boolean(embedded), llmProviders: llm?.enabledProviders().map((p) => p.name) ?? [] },
    'shiftnote listening',
  );

  if (secret) await printDevBanner(url, secret, db, readyMs, logger);
  const prewarmSchedule =
    llm && config.prewarmTimes.length > 0
      ? schedulePrewarm(
          summaryDeps,
          { ...prewarm, days: config.summaryDefaultDays, times: config.prewarmTimes, timeZone: config.prewarmTimeZone },
          logger,
        )
      : null;

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    // Readiness is already false; give the load balancer time to notice before the listener closes.
    await new Promise((resolve) => setTimeout(resolve, config.shutdownReadinessDelayMs));
    // Stop accepting; finish in-flight requests, closing each connection as its response ends.
    await server.drain();
    prewarmSchedule?.stop();
    pruning.stop();
    await store.close();
    await audit.close();
    await llm?.close();
    await db.$disconnect();
    await auditPool.end();
    await commitPool.end();
    await telemetry.shutdown();
    await embedded?.stop();
    logger.info('shutdown complete');
    clearTimeout(force);
    process.exit(0);
  };
  stopOn = (signal) => void shutdown(signal);
  if (signalled) stopOn(signalled);
}

async function printDevBanner(
  url: string,
  secret: string,
  db: ReturnType<typeof createPrisma>,
  readyMs: number,
  logger: Logger,
): Promise<void> {
  const clinician = await mintToken(secret, { sub: 'dev-clinician', roles: ['clinician'] });
  const compliance = await mintToken(secret, { sub: 'dev-compliance', roles: ['compliance'] });
  const patient = await db.patient.findFirst({ orderBy: [{ ward: { code: 'asc' } }, { bed: 'asc' }], select: { id: true } });
  const lines = [
    '',
    `shiftnote is ready at ${url}  (${(readyMs / 1000).toFixed(1)} s from start)`,
    `Ward board: ${url}/board  ·  Audit review: ${url}/audit  (paste a token below)`,
    'DEV MODE: random signing secret in .data/dev-auth-secret; tokens below are valid for 12 h.',
    '',
    `Clinician token:\n  ${clinician}`,
    `Compliance token:\n  ${compliance}`,
    '',
    patient
      ? `Try it:\n  curl -s -H "Authorization: Bearer ${clinician}" ${url}/v1/patients/${patient.id}/summary`
      : 'No patients in this database (set SEED_DEMO=true to seed the demo wards).',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  logger.debug('printed dev banner');
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`shiftnote failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
