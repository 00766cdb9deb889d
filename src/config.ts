// The service's one configuration: the environment, validated with zod at start-up.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths';

/** Defaults the service and the apps built without an environment (tests, benches) share: the one place they are set. */
export const DEFAULTS = {
  summaryDefaultDays: 7,
  /** Summaries of one ward batch (and of one prewarm) in flight at once. */
  wardConcurrency: 4,
  /** Prewarm summaries started per minute (provider rate limits). */
  prewarmPerMinute: 120,
} as const;

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  MIGRATE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  MIGRATE_ON_START: bool.default(true),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_PG_DIR: z.string().min(1).optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  LLM_CONFIG: z.string().min(1).optional(),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: bool.optional(),
  SUMMARY_DEFAULT_DAYS: z.coerce.number().int().min(1).max(14).default(DEFAULTS.summaryDefaultDays),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
  SERVICE_INSTANCE: z.string().min(1).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'each origin must be scheme://host[:port], comma-separated')))
    .optional(),
  WARD_SUMMARY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(DEFAULTS.wardConcurrency),
  PREWARM_TIMES: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d(,([01]\d|2[0-3]):[0-5]\d)*)$/, 'comma-separated HH:MM times, or "off"')
    .default('07:00,19:00'),
  PREWARM_TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/London')
    .default('Europe/London'),
  PREWARM_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(DEFAULTS.prewarmPerMinute),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(100000).default(60),
  PREWARM_REQUESTS_PER_MINUTE: z.coerce.number().int().min(0).max(10000).default(6),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SHUTDOWN_READINESS_DELAY_MS: z.coerce.number().int().min(0).max(60000).default(0),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(5000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300000).default(10000),
  SUMMARY_CACHE_RETENTION_HOURS: z.coerce.number().int().min(1).max(8760).default(48),
  AUDIT_LOCK_TIMEOUT_MS: z.coerce.number().int().min(10).max(60000).default(1000),
  AUDIT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300000).default(5000),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  /** undefined → embedded PostgreSQL in `embeddedPg.dir` (dev/demo only). */
  databaseUrl: string | undefined;
  /** Owner connection for migrations when the service's own role may only read and append (docs/audit.md, the grant). */
  migrateDatabaseUrl: string | undefined;
  migrateOnStart: boolean;
  databasePoolSize: number;
  embeddedPg: { dir: string; port: number };
  llmConfigPath: string;
  auth: { mode: 'hs256'; secret: string } | { mode: 'jwks'; jwksUrl: string } | { mode: 'dev' };
  authIssuer: string | undefined;
  authAudience: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  seedDemo: boolean;
  summaryDefaultDays: number;
  shutdownTimeoutMs: number;
  instance: string;
  otlpEndpoint: string | undefined;
  /** Most model calls in flight for one ward batch. */
  wardConcurrency: number;
  /** Shift starts ("HH:MM") to prewarm at, in `prewarmTimeZone`; empty → no scheduled prewarm. */
  prewarmTimes: string[];
  prewarmTimeZone: string;
  prewarmPerMinute: number;
  /** Browser origins allowed by CORS; empty → no CORS headers. */
  corsOrigins: string[];
  /** Summary reads per token subject per minute, per instance; 0 = unlimited. */
  rateLimitPerMinute: number;
  /** On-demand prewarms per token subject per minute, per instance; 0 = unlimited. */
  prewarmRequestsPerMinute: number;
  metricsToken: string | undefined;
  /** After SIGTERM, how long /readyz answers 503 before the listener closes (load balancer catch-up). */
  shutdownReadinessDelayMs: number;
  /** Longest a client may take to send its request headers, and its whole request (body included): then 408. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  /** Cached summaries older than this are pruned (every 15 minutes). */
  summaryCacheRetentionHours: number;
  /** Timeouts on the audit connection: past them a commit fails (503, /readyz not ready) instead of waiting. */
  audit: { lockTimeoutMs: number; statementTimeoutMs: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; every problem is reported at once. Empty strings count as unset. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(environment).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.AUTH_JWT_SECRET && e.AUTH_JWKS_URL) {
    throw new ConfigError(['AUTH_JWT_SECRET and AUTH_JWKS_URL: set one, not both']);
  }
  if (e.NODE_ENV === 'production' && !e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL) {
    throw new ConfigError(['AUTH_JWT_SECRET or AUTH_JWKS_URL is required when NODE_ENV=production']);
  }
  if (e.AUTH_JWKS_URL && (!e.AUTH_ISSUER || !e.AUTH_AUDIENCE)) {
    // An IdP signs tokens for many applications: without both checks, any of them would be accepted here.
    throw new ConfigError(['AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH_JWKS_URL']);
  }
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(['HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)']);
  }
  if (e.NODE_ENV === 'production' && !e.DATABASE_URL) {
    throw new ConfigError(['DATABASE_URL is required when NODE_ENV=production (embedded PostgreSQL is for dev/demo only)']);
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    migrateDatabaseUrl: e.MIGRATE_DATABASE_URL,
    migrateOnStart: e.MIGRATE_ON_START,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    // Defaults live in the checkout whatever the working directory; a path given relative is the caller's (cwd).
    embeddedPg: { dir: path.resolve(e.EMBEDDED_PG_DIR ?? path.join(projectRoot, '.data', 'postgres')), port: e.EMBEDDED_PG_PORT },
    llmConfigPath: path.resolve(e.LLM_CONFIG ?? path.join(projectRoot, 'config', 'llm.yaml')),
    auth: e.AUTH_JWT_SECRET
      ? { mode: 'hs256', secret: e.AUTH_JWT_SECRET }
      : e.AUTH_JWKS_URL
        ? { mode: 'jwks', jwksUrl: e.AUTH_JWKS_URL }
        : { mode: 'dev' },
    authIssuer: e.AUTH_ISSUER,
    authAudience: e.AUTH_AUDIENCE,
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO ?? e.DATABASE_URL === undefined,
    summaryDefaultDays: e.SUMMARY_DEFAULT_DAYS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    instance: e.SERVICE_INSTANCE ?? `${os.hostname()}:${process.pid}`,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    wardConcurrency: e.WARD_SUMMARY_CONCURRENCY,
    prewarmTimes: e.PREWARM_TIMES === 'off' ? [] : e.PREWARM_TIMES.split(','),
    prewarmTimeZone: e.PREWARM_TIMEZONE,
    prewarmPerMinute: e.PREWARM_PER_MINUTE,
    corsOrigins: e.CORS_ORIGINS ?? [],
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    prewarmRequestsPerMinute: e.PREWARM_REQUESTS_PER_MINUTE,
    metricsToken: e.METRICS_TOKEN,
    shutdownReadinessDelayMs: e.SHUTDOWN_READINESS_DELAY_MS,
    http: { headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS },
    summaryCacheRetentionHours: e.SUMMARY_CACHE_RETENTION_HOURS,
    audit: { lockTimeoutMs: e.AUDIT_LOCK_TIMEOUT_MS, statementTimeoutMs: e.AUDIT_STATEMENT_TIMEOUT_MS },
  };
}
