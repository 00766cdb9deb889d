// Audit writer benchmark: rows/s and append→commit latency at 1, 16 and 64 concurrent writers, on a throwaway database.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { AuditWriter, verifyChain, type AuditEventInput } from '../src/audit';
import { migrateDeploy } from '../src/db/migrate';

const env = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .default('postgresql://postgres@127.0.0.1:5432/postgres'),
    BENCH_SECONDS: z.coerce.number().positive().max(60).default(3),
    BENCH_CONCURRENCY: z
      .string()
      .regex(/^\d+(,\d+)*$/)
      .default('1,16,64')
      .transform((s) => s.split(',').map(Number)),
    /** Connections in the writer's pool; main.ts uses 4. */
    BENCH_POOL: z.coerce.number().int().min(1).max(64).default(4),
  })
  .parse(process.env);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A realistic llm.request row: the largest kind the service writes. */
function event(worker: number, n: number): AuditEventInput {
  return {
    action: 'llm.request',
    outcome: 'success',
    actorId: `clinician-${worker}`,
    actorRoles: ['clinician'],
    patientId: randomUUID(),
    purposeOfUse: 'TREAT',
    requestId: `bench-${worker}-${n}`,
    target: { provider: 'openai', type: 'openai', model: 'gpt-4o-mini', host: 'api.openai.com', baa: true },
    details: {
      attempt: 1,
      providerAttempt: 1,
      hedge: false,
      requestBytes: 4096,
      requestSha256: randomBytes(32).toString('hex'),
      dataCategories: ['vital signs', 'NEWS2', 'medication adherence', 'care note excerpts'],
      promptVersion: 'v1',
      windowDays: 7,
      purpose: 'treatment: shift summary',
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

interface Result {
  writers: number;
  rows: number;
  rowsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  commits: number;
  rowsPerCommit: number;
}

/** Closed loop: each writer appends, waits for its commit, appends again, until the time is up. */
async function run(pool: pg.Pool, writers: number, seconds: number): Promise<Result> {
  let commits = 0;
  const writer = new AuditWriter(pool, { onCommit: () => void (commits += 1) });
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let n = 0; process.hrtime.bigint() < deadline; n++) {
        const t0 = process.hrtime.bigint();
        await writer.append(event(w, n));
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  await writer.close();
  latencies.sort((a, b) => a - b);
  return {
    writers,
    rows: latencies.length,
    rowsPerSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    commits,
    rowsPerCommit: latencies.length / commits,
  };
}

function table(results: Result[]): string {
  const head = ['writers', 'rows', 'rows/s', 'p50 ms', 'p99 ms', 'max ms', 'commits', 'rows/commit'];
  const rows = results.map((r) => [
    String(r.writers),
    String(r.rows),
    r.rowsPerSecond.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.max.toFixed(2),
    String(r.commits),
    r.rowsPerCommit.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const name = `bench_audit_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(env.DATABASE_URL, name);
  let pool: pg.Pool | undefined;
  try {
    await migrateDeploy(url);
    pool = new pg.Pool({ connectionString: url, max: env.BENCH_POOL });
    const settings = await pool.query<{ sc: string; v: string }>(
      `SELECT current_setting('synchronous_commit') AS sc, current_setting('server_version') AS v`,
    );
    process.stdout.write(
      `audit writer benchmark: PostgreSQL ${settings.rows[0].v}, synchronous_commit=${settings.rows[0].sc}, pool ${env.BENCH_POOL}, ${env.BENCH_SECONDS} s per level, closed loop\n\n`,
    );
    const results: Result[] = [];
    for (const writers of env.BENCH_CONCURRENCY) results.push(await run(pool, writers, env.BENCH_SECONDS));
    process.stdout.write(`${table(results)}\n\nlatency = append() call to resolve (row committed)\n`);
    const started = process.hrtime.bigint();
    const verified = await verifyChain(pool);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(
      `chain verify: ok=${verified.ok} checked=${verified.checked} in ${ms.toFixed(0)} ms (${((verified.checked / ms) * 1000).toFixed(0)} rows/s)\n`,
    );
    if (!verified.ok) process.exitCode = 1;
  } finally {
    await pool?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
