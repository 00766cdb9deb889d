// Wiring: config, database, audit, LLM client, HTTP server; graceful shutdown on SIGTERM/SIGINT.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { AuditWriter, llmAuditHooks } from './audit';
import { ConfigError, loadConfig, type Config } from './config';
import { createPrisma } from './db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { migrateDeploy } from './db/migrate';
import { createApp } from './http/app';
import { hs256Verifier, jwksVerifier, mintToken, type TokenVerifier } from './http/auth';
import { createLlmClient, loadLlmConfig } from './llm';
import { createLogger, type Logger } from './log';
import { projectRoot } from './paths';
import { seedDemo } from '../prisma/seed';

const DEV_SECRET_FILE = path.join('.data', 'dev-auth-secret');

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

async function countMigrations(): Promise<number> {
  const dir = path.join(projectRoot, 'prisma', 'migrations');
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).length;
}

export async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
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

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.warn({ dir: config.embeddedPg.dir, port: config.embeddedPg.port }, 'DATABASE_URL is unset: starting EMBEDDED PostgreSQL (dev/demo only, not for patient data)');
    embedded = await startEmbeddedPostgres(config.embeddedPg.dir, config.embeddedPg.port, (m) => logger.warn(m));
    databaseUrl = embedded.url;
  }
  await migrateDeploy(databaseUrl);
  const expectedMigrations = await countMigrations();

  const db = createPrisma(databaseUrl, config.databasePoolSize);
  const auditPool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 3000 });
  auditPool.on('error', (err) => logger.warn({ code: (err as { code?: string }).code }, 'idle audit connection failed'));
  const audit = new AuditWriter(auditPool);

  if (config.seedDemo) {
    const seeded = await seedDemo(db);
    if (seeded) logger.info({ wards: seeded.wards, patients: seeded.patients }, 'seeded the demo wards');
  }

  const llmConfig = loadLlmConfig(config.llmConfigPath, process.env, logger);
  const llm = llmConfig.providers.length > 0 ? createLlmClient(llmConfig, llmAuditHooks(audit), { logger }) : null;
  if (!llm) logger.warn('no LLM provider enabled: summaries come from the deterministic fallback summarizer');

  const { verifier, devSecret: secret } = verifierFor(config);
  let shuttingDown = false;
  const app = createApp({
    db,
    audit,
    auditPool,
    completer: llm,
    logger,
    verifier,
    defaultDays: config.summaryDefaultDays,
    readiness: {
      async check() {
        if (shuttingDown) return { ok: false, details: { shuttingDown: true } };
        try {
          const { rows } = await auditPool.query<{ applied: number }>(
            'SELECT count(*)::int AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
          );
          const migrated = rows[0].applied >= expectedMigrations;
          return {
            ok: migrated,
            details: { database: 'ok', migrations: migrated ? 'applied' : 'pending', llm: llm?.enabledProviders() ?? [] },
          };
        } catch {
          return { ok: false, details: { database: 'unreachable' } };
        }
      },
    },
  });

  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const readyMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  logger.info({ port, readyMs: Math.round(readyMs), embedded: Boolean(embedded), llmProviders: llm?.enabledProviders().map((p) => p.name) ?? [] }, 'shiftnote listening');

  if (secret) await printDevBanner(url, secret, db, readyMs, logger);

  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    // Stop accepting; finish in-flight requests; idle keep-alive sockets close now.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await audit.close();
    await llm?.close();
    await db.$disconnect();
    await auditPool.end();
    await embedded?.stop();
    logger.info('shutdown complete');
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

async function printDevBanner(url: string, secret: string, db: ReturnType<typeof createPrisma>, readyMs: number, logger: Logger): Promise<void> {
  const clinician = await mintToken(secret, { sub: 'dev-clinician', roles: ['clinician'] });
  const compliance = await mintToken(secret, { sub: 'dev-compliance', roles: ['compliance'] });
  const patient = await db.patient.findFirst({ orderBy: [{ ward: { code: 'asc' } }, { bed: 'asc' }], select: { id: true } });
  const lines = [
    '',
    `shiftnote is ready at ${url}  (${(readyMs / 1000).toFixed(1)} s from start)`,
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
