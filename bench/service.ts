// Benchmark: shiftnote as a service — HTTP → auth → Postgres reads → audit commits → fake model → grounding.
// Run: npx tsx bench/service.ts [--profile]. Loopback only, bounded in time (watchdog), exits by itself, and leaves
// nothing behind: its database is dropped and every child (service instances, fake model, Portkey) is killed.
//
// Environment (all optional): DATABASE_URL (admin connection; default postgresql://postgres@127.0.0.1:5432/postgres),
// BENCH_MEASURE_MS (per row, default 6000), BENCH_WARMUP_MS (default 1500), BENCH_CLONES (synthetic patients, default 4000).
import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import { weekSql } from '../src/db/patient-week';
import { mintToken } from '../src/http/auth';
import { createBenchDatabase, migrate, seed, type SeedInfo } from './lib/database';
import { startFakeModel, type FakeModel } from './lib/fake-model';
import { percentile, runLoad, sortedCopy, type LoadResult } from './lib/load';
import { startPgCounter, type RoundTrip } from './lib/pg-counter';
import { portkeyRouteHeaders, startPortkey, type Portkey } from './lib/portkey';
import { killAll, onShutdown, processCpuUs, shutdown, sleep, tempDir } from './lib/proc';
import { formatProfile, summariseProfile } from './lib/profile';
import { buildService, startService, type Build, type Service } from './lib/service';

const ADMIN_URL = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 6000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1500);
const CLONES = Number(process.env.BENCH_CLONES ?? 4000);
const PROFILE = process.argv.includes('--profile');
const CONCURRENCIES = [1, 16, 64];
const TIME_LIMIT_MS = (PROFILE ? 8 : 6) * 60_000;
/** Model delay for (b): uniform in [MODEL_MIN, MODEL_MAX] ms. */
const MODEL_MIN = 300;
const MODEL_MAX = 500;
/** Window covering all seeded data (7 days ending at the hour of seeding): fingerprints cannot drift during the run. */
const DAYS = 14;
const CACHED_WARDS = 4;

interface Row {
  scenario: string;
  concurrency: number;
  n: number;
  p50: number;
  p99: number;
  rps: number;
  /** (b): per-request service latency minus the fake model's hold time of that request's upstream call(s). */
  overheadP50?: number;
  overheadP99?: number;
  svcCpuMs: number;
  dbCpuMs: number;
  note: string;
  /** From the service's own Server-Timing: p50 and p99 of each phase over the row's responses. */
  breakdown?: Map<string, { p50: number; p99: number }>;
}

/** Phases of Server-Timing (src/timing.ts), then two derived per response: outside and total − model. */
const PHASES = ['db-wait', 'db', 'audit', 'model', 'build', 'app', 'total'] as const;
const BREAKDOWN = [...PHASES, 'outside', 'total−model'] as const;

function breakdownOf(latencies: number[], timings: (Record<string, number> | null)[]): Row['breakdown'] {
  const values = new Map<string, number[]>(BREAKDOWN.map((k) => [k, []]));
  timings.forEach((t, i) => {
    if (!t || t.total === undefined) return;
    for (const k of PHASES) values.get(k)!.push(t[k] ?? 0);
    // The client's latency beyond the service's own total: loopback, the kernel, the event loop before the request
    // was read, and writing the body after its headers.
    values.get('outside')!.push(latencies[i] - t.total);
    values.get('total−model')!.push(latencies[i] - (t.model ?? 0));
  });
  if (!values.get('total')!.length) return undefined;
  return new Map(
    [...values].map(([k, v]) => {
      const sorted = sortedCopy(v);
      return [k, { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }];
    }),
  );
}

const rows: Row[] = [];
const notes: string[] = [];
let monitor: pg.Client;
let dbName = '';

// ---------------------------------------------------------------------------------------------------------------
// Measurement helpers

/** CPU (µs) of this bench database's server backends, by pid. */
async function backendCpu(): Promise<Map<number, number>> {
  const { rows: r } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
  return new Map(r.map(({ pid }) => [pid, processCpuUs(pid)]));
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, us] of after) {
    const b = before.get(pid);
    if (b !== undefined && Number.isFinite(b) && Number.isFinite(us)) sum += us - b;
  }
  return sum;
}

interface Sample {
  latencies: number[];
  seconds: number;
  svcCpuUs: number;
  dbCpuUs: number;
  sources: Map<string, number>;
  errors: number;
  requestIds: string[];
  overheads: number[];
  unmatched: number;
  /** Each response's Server-Timing phases, aligned with `latencies` (targets with keepServerTiming). */
  timings: (Record<string, number> | null)[];
}

const emptySample = (): Sample => ({
  latencies: [],
  seconds: 0,
  svcCpuUs: 0,
  dbCpuUs: 0,
  sources: new Map(),
  errors: 0,
  requestIds: [],
  overheads: [],
  unmatched: 0,
  timings: [],
});

interface Target {
  service: Service;
  token: string;
  nextPath: () => string;
  /** Before each run (warm-up or measured): e.g. empty the cache so that every request misses. */
  before?: () => Promise<void>;
  keepRequestIds?: boolean;
  /** Keep each response's Server-Timing: the row gets a breakdown of where its time went. */
  keepServerTiming?: boolean;
}

async function run(t: Target, concurrency: number, ms: number, into: Sample | null): Promise<LoadResult> {
  await t.before?.();
  const svc0 = t.service.cpuUs();
  const db0 = await backendCpu();
  const result = await runLoad({
    url: t.service.url,
    connections: concurrency,
    durationMs: ms,
    headers: { authorization: `Bearer ${t.token}` },
    nextPath: t.nextPath,
    keepRequestIds: t.keepRequestIds,
    keepServerTiming: t.keepServerTiming,
  });
  const svc1 = t.service.cpuUs();
  const db1 = await backendCpu();
  // autocannon abandons in-flight requests when time is up: let the service finish them before the next run.
  await quiesce(t.service);
  if (into) {
    into.latencies.push(...result.latenciesMs);
    into.seconds += result.seconds;
    into.svcCpuUs += svc1 - svc0;
    into.dbCpuUs += cpuDelta(db0, db1);
    for (const [k, v] of result.sources) into.sources.set(k, (into.sources.get(k) ?? 0) + v);
    into.errors += result.errors + result.timeouts;
    into.requestIds.push(...result.requestIds);
    into.timings.push(...result.serverTimings);
  }
  return result;
}

/** Waits until the service has been (nearly) idle for 200 ms, at most 10 s. */
async function quiesce(service: Service): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = service.cpuUs();
  let idleFor = 0;
  while (Date.now() < deadline && idleFor < 200) {
    await sleep(50);
    const now = service.cpuUs();
    idleFor = now - last < 5_000 ? idleFor + 50 : 0; // < 10% of a core
    last = now;
  }
}

const benchStart = Date.now();
function progress(message: string): void {
  process.stderr.write(`[${((Date.now() - benchStart) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

function toRow(scenario: string, concurrency: number, s: Sample): Row {
  const sorted = sortedCopy(s.latencies);
  const n = sorted.length;
  const src = [...s.sources.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => (v === n ? k : `${k} ${v}`))
    .join(', ');
  const parts = [`source: ${src || '-'}`];
  if (s.errors) parts.push(`${s.errors} socket errors/timeouts`);
  if (s.unmatched) parts.push(`${s.unmatched} without model hold`);
  const row: Row = {
    scenario,
    concurrency,
    n,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    rps: n / s.seconds,
    svcCpuMs: s.svcCpuUs / 1000 / Math.max(1, n),
    dbCpuMs: s.dbCpuUs / 1000 / Math.max(1, n),
    note: parts.join('; '),
  };
  if (s.timings.length) row.breakdown = breakdownOf(s.latencies, s.timings);
  if (s.overheads.length) {
    const ov = sortedCopy(s.overheads);
    row.overheadP50 = percentile(ov, 0.5);
    row.overheadP99 = percentile(ov, 0.99);
  }
  return row;
}

/** Measures several targets at one concurrency, alternating in two slices so background load falls on each alike. */
async function measure(targets: { scenario: string; target: Target }[], concurrency: number, ms = MEASURE_MS): Promise<Row[]> {
  progress(`${targets.map((t) => t.scenario).join(' + ')}, c=${concurrency}`);
  for (const { target } of targets) await run(target, concurrency, WARMUP_MS, null);
  const samples = targets.map(() => emptySample());
  const slices = targets.length > 1 ? 2 : 1;
  for (let i = 0; i < slices; i++) {
    for (const [k, { target }] of targets.entries()) await run(target, concurrency, ms / slices, samples[k]);
  }
  return targets.map(({ scenario }, k) => toRow(scenario, concurrency, samples[k]));
}

function rotating(ids: string[], path: (id: string) => string): { next: () => string; rewind: () => void } {
  let i = 0;
  return { next: () => path(ids[i++ % ids.length]), rewind: () => void (i = 0) };
}

async function get(service: Service, token: string, path: string): Promise<{ status: number; body: string; ms: number }> {
  const t0 = process.hrtime.bigint();
  const res = await request(service.url + path, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.body.text();
  return { status: res.statusCode, body, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

/**
 * The service's event-loop delay since the previous scrape (prom-client's monitorEventLoopDelay histogram is reset
 * at each scrape) and its cumulative garbage-collection time, from its own /metrics.
 */
async function runtimeStats(service: Service): Promise<{ lagP99Ms: number; lagMaxMs: number; gcMs: number }> {
  const text = await (await request(`${service.url}/metrics`)).body.text();
  const seconds = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN);
  const gc = [...text.matchAll(/^nodejs_gc_duration_seconds_sum\{[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    lagP99Ms: seconds('nodejs_eventloop_lag_p99_seconds') * 1000,
    lagMaxMs: seconds('nodejs_eventloop_lag_max_seconds') * 1000,
    gcMs: gc * 1000,
  };
}

const summaryPath = (id: string) => `/v1/patients/${id}/summary?days=${DAYS}`;
const wardPath = (id: string) => `/v1/wards/${id}/summaries?days=${DAYS}`;

// ---------------------------------------------------------------------------------------------------------------
// Output

const f = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? '' : x.toFixed(d));

function printTable(): void {
  const head = [
    'scenario',
    'conc',
    'n',
    'p50 ms',
    'p99 ms',
    'req/s',
    'tot−model p50',
    'tot−model p99',
    'svc CPU ms/req',
    'db CPU ms/req',
    'notes',
  ];
  const body = rows.map((r) => [
    r.scenario,
    String(r.concurrency),
    String(r.n),
    f(r.p50),
    f(r.p99),
    f(r.rps, 0),
    f(r.overheadP50),
    f(r.overheadP99),
    f(r.svcCpuMs),
    f(r.dbCpuMs),
    r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

function printBreakdown(): void {
  const with_ = rows.filter((r) => r.breakdown);
  if (!with_.length) return;
  console.log(
    "\nWhere each request's time went, from the service's own Server-Timing (ms; p50 / p99 of each phase over the row's requests, so the p99s do not add up):",
  );
  console.log(
    '  db-wait = waiting for a database connection; db = statements; audit = waiting for audit commits (summary.read, llm.request); model = the model call;',
  );
  console.log(
    "  build = serialising the answer; app = the rest of the service's time (auth, facts, grounding, event-loop queueing); total = arrival to headers;",
  );
  console.log(
    '  outside = client latency − total (loopback, kernel, event loop before the request is read, writing the body); total−model = client latency − model.',
  );
  const head = ['scenario', 'conc', ...BREAKDOWN];
  const body = with_.map((r) => [
    r.scenario,
    String(r.concurrency),
    ...BREAKDOWN.map((k) => `${f(r.breakdown!.get(k)!.p50)} / ${f(r.breakdown!.get(k)!.p99)}`),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

function goal(
  label: string,
  scenario: string,
  concurrency: number,
  pick: (r: Row) => number | undefined,
  op: '<=' | '>=',
  limit: number,
  unit: string,
): string {
  const r = rows.find((x) => x.scenario.startsWith(scenario) && x.concurrency === concurrency);
  const v = r ? pick(r) : undefined;
  if (v === undefined || !Number.isFinite(v)) return `  n/a   ${label}: not measured`;
  const ok = op === '<=' ? v <= limit : v >= limit;
  return `  ${ok ? 'PASS' : 'MISS'}  ${label}: ${v.toFixed(unit === 'req/s' ? 0 : 2)} ${unit} (goal ${op === '<=' ? '≤' : '≥'} ${limit} ${unit})`;
}

function printGoals(): void {
  console.log('\nGoals (issue 16; latency at c=1 or behind the 400 ms model, throughput at c=64; same run):');
  console.log(goal('(b) model 400±100 ms, c=64 total−model p50', '(b)', 64, (r) => r.overheadP50, '<=', 5, 'ms'));
  console.log(goal('(b) model 400±100 ms, c=64 total−model p99', '(b)', 64, (r) => r.overheadP99, '<=', 30, 'ms'));
  console.log(goal('(d) cached ward of 30, compact view, c=1 p50', '(d) ward 30 cached, compact', 1, (r) => r.p50, '<=', 12, 'ms'));
  console.log(goal('(c) cached single summary, c=1 p50', '(c) cached', 1, (r) => r.p50, '<=', 1.5, 'ms'));
  console.log(goal('(c) cached single summary, c=64 throughput', '(c) cached', 64, (r) => r.rps, '>=', 1500, 'req/s'));
  const a = rows.find((r) => r.scenario.startsWith('(a)') && r.concurrency === 64);
  const e = rows.find((r) => r.scenario.startsWith('(e)') && r.concurrency === 64);
  if (a && e) {
    const ratio = a.rps / e.rps;
    console.log(
      `  ${ratio >= 2 ? 'PASS' : 'MISS'}  (a) uncached, model 0 ms, c=64 throughput vs (e) via Portkey: ${f(a.rps, 0)} vs ${f(e.rps, 0)} req/s = ${f(ratio)}× (goal ≥ 2×)`,
    );
  } else console.log('  n/a   (a) vs (e) throughput: not measured');
}

// ---------------------------------------------------------------------------------------------------------------
// Round trips and EXPLAIN

/** The week loader's own statement for one patient ($1 patient, $2–$3 window, $4 recent summaries). */
const WEEK_SQL = weekSql('patient');

async function explainWeekLoader(url: string, patientId: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const to = new Date();
    const from = new Date(to.getTime() - 7 * 86_400_000);
    await c.query(WEEK_SQL, [patientId, from, to, 4]); // warm the cache, as the service's steady state is
    const { rows: plan } = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${WEEK_SQL}`, [
      patientId,
      from,
      to,
      4,
    ]);
    const lines = plan.map((r) => r['QUERY PLAN']);
    console.log(
      `\nEXPLAIN (ANALYZE, BUFFERS, COSTS OFF) of the week loader (src/db/patient-week.ts) for one patient, days=7, ${await tableSizes(c)}:`,
    );
    for (const l of lines) console.log(`  ${l}`);
    const scans = lines
      .filter((l) => /Scan/.test(l))
      .map((l) =>
        l
          .trim()
          .replace(/^->\s*/, '')
          .replace(/\s*\(actual.*$/, ''),
      );
    const seq = scans.filter((s) => /Seq Scan/.test(s));
    console.log(`  → ${scans.length} scans, ${seq.length ? `SEQUENTIAL: ${seq.join('; ')}` : 'all by index'}: ${scans.join(' | ')}`);
  } finally {
    await c.end();
  }
}

async function tableSizes(c: pg.Client): Promise<string> {
  const { rows: r } = await c.query<{ relname: string; n: string }>(
    `SELECT relname, n_live_tup::text AS n FROM pg_stat_user_tables
      WHERE relname IN ('patient', 'vital_sign_observation', 'medication_administration', 'care_note') ORDER BY relname`,
  );
  return r.map((x) => `${x.relname} ${x.n} rows`).join(', ');
}

function describeTrips(trips: RoundTrip[]): string[] {
  return trips.map(
    (t, i) => `    ${String(i + 1).padStart(2)}. [conn ${t.connection}] ${t.sql.length > 150 ? `${t.sql.slice(0, 147)}...` : t.sql}`,
  );
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const t0 = Date.now();
  const load0 = loadavg()[0];
  const dir = tempDir('shiftnote-bench-service-');

  // Build and database (in parallel).
  progress('building the service and creating the database');
  const buildPromise = buildService(join(dir, 'build'));
  const db = await createBenchDatabase(ADMIN_URL);
  dbName = db.name;
  onShutdown(() => db.drop());
  monitor = new pg.Client({ connectionString: ADMIN_URL });
  await monitor.connect();
  onShutdown(() => monitor.end());
  await migrate(db.url);
  progress(`migrated ${db.name}; seeding the demo + ${CLONES} clones`);
  const seedStart = Date.now();
  const seeded: SeedInfo = await seed(db.url, CLONES);
  const seedMs = Date.now() - seedStart;
  const build: Build = await buildPromise;
  if (build.note) notes.push(build.note);

  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  onShutdown(() => admin.end());
  // Uncached as after new data: the summaries gone and each patient's data version new, so the service's week memo
  // (src/services/week-memo.ts) cannot spare the week's load and scoring either.
  const clearCache = async (patientIds?: string[]) => {
    if (patientIds) {
      await admin.query('DELETE FROM summary_cache WHERE patient_id = ANY($1::uuid[])', [patientIds]);
      await admin.query(`UPDATE patient SET data_version = nextval('patient_data_version_seq') WHERE id = ANY($1::uuid[])`, [patientIds]);
    } else {
      await admin.query('DELETE FROM summary_cache');
      await admin.query(`UPDATE patient SET data_version = nextval('patient_data_version_seq')`);
    }
  };

  // Fake model, Portkey, the round-trip counter.
  progress('starting the fake model, Portkey and the round-trip counter');
  const fake: FakeModel = await startFakeModel();
  await fake.setDelay(0);
  const portkey = await startPortkey(dir, portkeyRouteHeaders(`${fake.url}/v1`));
  let portkeyReason = '';
  if ('reason' in portkey) portkeyReason = portkey.reason;
  else {
    const res = await fetch(`http://127.0.0.1:${portkey.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key' },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'ping' }] }),
    });
    const text = await res.text();
    if (res.status !== 200) portkeyReason = `routed request answered ${res.status}: ${text.slice(0, 160)}`;
  }
  const counter = await startPgCounter({ host: new URL(ADMIN_URL).hostname || '127.0.0.1', port: Number(new URL(ADMIN_URL).port || 5432) });
  onShutdown(() => counter.close());

  const llmYaml = (baseUrl: string) =>
    [
      'providers:',
      '  - name: fake',
      '    type: openai',
      `    base_url: ${baseUrl}`,
      '    api_key: bench-key',
      '    model: fake-model',
      '    weight: 100',
      // NODE_ENV=production refuses a provider without a BAA; this one is a loopback fake.
      '    baa: true',
      '',
    ].join('\n');
  writeFileSync(join(dir, 'llm-direct.yaml'), llmYaml(fake.url));
  if (!portkeyReason) writeFileSync(join(dir, 'llm-portkey.yaml'), llmYaml(`http://127.0.0.1:${(portkey as Portkey).port}`));

  const secret = randomBytes(32).toString('base64url');
  const env = (name: string, url: string, llm: string): Record<string, string> => ({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    AUTH_JWT_SECRET: secret,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    PREWARM_TIMES: 'off',
    SEED_DEMO: 'false',
    LLM_CONFIG: join(dir, llm),
    SERVICE_INSTANCE: name,
    OTEL_SDK_DISABLED: 'true',
  });
  const token = await mintToken(secret, { sub: 'bench-clinician', roles: ['clinician'] });

  // Instances: direct (a–d), through Portkey (e), and through the round-trip counter (its own, so the proxy
  // never sits in a measured path). Started one after another: each runs `migrate deploy` on start.
  progress('starting service instances (direct, via Portkey, via the round-trip counter)');
  const svc = await startService('direct', build, env('bench-direct', db.url, 'llm-direct.yaml'));
  onShutdown(() => svc.stop());
  const svcPortkey = portkeyReason ? null : await startService('portkey', build, env('bench-portkey', db.url, 'llm-portkey.yaml'));
  if (svcPortkey) onShutdown(() => svcPortkey.stop());
  const svcCount = await startService('counted', build, env('bench-counted', db.urlVia(counter.port), 'llm-direct.yaml'));
  onShutdown(() => svcCount.stop());

  // Sanity: a summary comes from the model (not the fallback) on each instance.
  for (const [s, id] of [
    [svc, seeded.patientIds[0]],
    [svcPortkey, seeded.patientIds[1]],
  ] as const) {
    if (!s) continue;
    const r = await get(s, token, summaryPath(id));
    const source = /"source":"(\w+)"/.exec(r.body)?.[1];
    if (r.status !== 200 || source !== 'llm')
      throw new Error(`sanity check on ${s.name}: ${r.status} source=${source}: ${r.body.slice(0, 200)}`);
  }

  console.log(
    `\nshiftnote service benchmark — node ${process.version}, ${cpus().length} CPUs, loadavg at start ${load0.toFixed(1)}; ` +
      `service ${build.kind}, NODE_ENV=production, LOG_LEVEL=warn, rate limit off, OTel off; started in ${svc.startMs} ms (incl. migrate deploy)`,
  );
  console.log(
    `database ${db.name}: demo ${seeded.demoPatients} patients + ${CLONES} clones in ${seeded.benchWards.length} wards of 30 (seeded in ${(seedMs / 1000).toFixed(1)} s); ` +
      `every request days=${DAYS} (covers all seeded data, so fingerprints cannot drift during the run)`,
  );

  // ---- Round trips of one request, counted on the wire (instance "counted").
  const countTrips = async (path: string, before?: () => Promise<void>) => {
    await before?.();
    await sleep(50);
    counter.reset();
    const r = await get(svcCount, token, path);
    await sleep(150);
    const snap = counter.snapshot();
    return { ...snap, status: r.status, source: /"source":"(\w+)"/.exec(r.body)?.[1] ?? '-' };
  };
  progress('counting round trips');
  // Warm the counted instance's pools and statement caches first (one uncached + one cached request).
  await countTrips(summaryPath(seeded.patientIds[5]));
  await countTrips(summaryPath(seeded.patientIds[5]));
  const uncachedTrips = [];
  for (const id of seeded.patientIds.slice(10, 13)) uncachedTrips.push(await countTrips(summaryPath(id)));
  const cachedTrips = await countTrips(summaryPath(seeded.patientIds[10]));
  const countWard = seeded.benchWards[seeded.benchWards.length - 1];
  const wardUncached = await countTrips(wardPath(countWard.id), () => clearCache(countWard.patientIds));
  const wardCached = await countTrips(wardPath(countWard.id));
  await svcCount.stop();

  // ---- (0) the floor: GET /healthz through the same HTTP stack (no database, no model) on this machine, now.
  const floor: Target = { service: svc, token, nextPath: () => '/healthz' };
  for (const c of [1, 64]) rows.push(...(await measure([{ scenario: '(0) GET /healthz (floor)', target: floor }], c, MEASURE_MS / 2)));

  // ---- (a) uncached, model 0 ms, and (e) the same through Portkey, interleaved.
  const allIds = seeded.patientIds;
  const uncachedDirect = rotating(allIds, summaryPath);
  const uncachedPortkey = rotating(allIds, summaryPath);
  const a: Target = {
    service: svc,
    token,
    nextPath: uncachedDirect.next,
    before: async () => (await clearCache(), uncachedDirect.rewind()),
  };
  const e: Target | null = svcPortkey
    ? { service: svcPortkey, token, nextPath: uncachedPortkey.next, before: async () => (await clearCache(), uncachedPortkey.rewind()) }
    : null;
  await fake.setDelay(0);
  for (const c of CONCURRENCIES) {
    const targets = [{ scenario: '(a) uncached, model 0 ms', target: a }];
    if (e) targets.push({ scenario: '(e) uncached via Portkey, 0 ms', target: e });
    rows.push(...(await measure(targets, c)));
  }

  // ---- (b) uncached, model 400 ± 100 ms: per request, total minus the fake's hold time of its upstream call.
  await fake.setDelay(MODEL_MIN, MODEL_MAX);
  const uncachedB = rotating(allIds, summaryPath);
  const b: Target = {
    service: svc,
    token,
    nextPath: uncachedB.next,
    before: async () => (await clearCache(), uncachedB.rewind(), await fake.reset()),
    keepRequestIds: true,
    keepServerTiming: true,
  };
  for (const c of CONCURRENCIES) {
    progress(`(b) model ${MODEL_MIN}–${MODEL_MAX} ms, c=${c}`);
    await run(b, c, WARMUP_MS, null);
    const s = emptySample();
    const ms = c === 1 ? MEASURE_MS * 1.5 : MEASURE_MS;
    const rt0 = await runtimeStats(svc);
    const started = Date.now();
    await run(b, c, ms, s);
    const rt1 = await runtimeStats(svc);
    notes.push(
      `(b) c=${c}: service event-loop delay p99 ${f(rt1.lagP99Ms, 1)} ms, max ${f(rt1.lagMaxMs, 1)} ms; ` +
        `GC ${f(rt1.gcMs - rt0.gcMs, 0)} ms in ${f((Date.now() - started) / 1000, 1)} s`,
    );
    const holds = await fake.holds();
    const ids = s.requestIds.filter(Boolean);
    const { rows: audit } = await admin.query<{ request_id: string; id: string }>(
      `SELECT request_id, id::text FROM audit_event WHERE action = 'llm.request' AND request_id = ANY($1::text[])`,
      [ids],
    );
    const heldByRequest = new Map<string, number>();
    for (const r of audit) {
      const h = holds.get(r.id);
      if (h !== undefined) heldByRequest.set(r.request_id, (heldByRequest.get(r.request_id) ?? 0) + h);
    }
    s.requestIds.forEach((rid, i) => {
      const held = heldByRequest.get(rid);
      if (held === undefined) s.unmatched++;
      else s.overheads.push(s.latencies[i] - held);
    });
    rows.push(toRow(`(b) uncached, model ${MODEL_MIN}–${MODEL_MAX} ms`, c, s));
  }

  // ---- Prewarm: the first CACHED_WARDS bench wards through the ward route (model 0 ms).
  progress(`prewarming ${CACHED_WARDS} wards`);
  await fake.setDelay(0);
  await clearCache();
  const cachedWards = seeded.benchWards.slice(0, CACHED_WARDS);
  for (const w of cachedWards) {
    const r = await get(svc, token, wardPath(w.id));
    if (r.status !== 200) throw new Error(`prewarm of ward ${w.code}: ${r.status} ${r.body.slice(0, 200)}`);
  }
  const cachedIds = cachedWards.flatMap((w) => w.patientIds);

  // ---- (c) cached summaries.
  const cachedC: Target = { service: svc, token, nextPath: rotating(cachedIds, summaryPath).next, keepServerTiming: true };
  for (const c of CONCURRENCIES) rows.push(...(await measure([{ scenario: '(c) cached', target: cachedC }], c)));

  // ---- (c) cached, compact view (the board's), c=1.
  const cachedCompact: Target = {
    service: svc,
    token,
    nextPath: rotating(cachedIds, (id) => `${summaryPath(id)}&view=compact`).next,
    keepServerTiming: true,
  };
  rows.push(...(await measure([{ scenario: '(c) cached, compact view', target: cachedCompact }], 1)));

  // ---- (d) ward of 30, cached: the full body, and the compact view the board asks for.
  const cachedD: Target = {
    service: svc,
    token,
    nextPath: rotating(
      cachedWards.map((w) => w.id),
      wardPath,
    ).next,
    keepServerTiming: true,
  };
  const cachedDCompact: Target = {
    service: svc,
    token,
    nextPath: rotating(
      cachedWards.map((w) => w.id),
      (id) => `${wardPath(id)}&view=compact`,
    ).next,
    keepServerTiming: true,
  };
  for (const c of CONCURRENCIES) {
    rows.push(...(await measure([{ scenario: '(d) ward 30 cached', target: cachedD }], c)));
    rows.push(...(await measure([{ scenario: '(d) ward 30 cached, compact', target: cachedDCompact }], c)));
  }

  // ---- (d) ward of 30, uncached: concurrency 1, the ward's cache rows deleted before each request (not timed).
  const uncachedWard = seeded.benchWards[CACHED_WARDS];
  const wardLoop = async (label: string, budgetMs: number, maxIterations: number) => {
    progress(label);
    const s = emptySample();
    await get(svc, token, wardPath(uncachedWard.id)); // warm-up
    const deadline = Date.now() + budgetMs;
    for (let i = 0; i < maxIterations && Date.now() < deadline; i++) {
      await clearCache(uncachedWard.patientIds);
      const svc0 = svc.cpuUs();
      const db0 = await backendCpu();
      const r = await get(svc, token, wardPath(uncachedWard.id));
      s.svcCpuUs += svc.cpuUs() - svc0;
      s.dbCpuUs += cpuDelta(db0, await backendCpu());
      s.latencies.push(r.ms);
      s.seconds += r.ms / 1000;
      const llm = (r.body.match(/"source":"llm"/g) ?? []).length;
      const key = r.status === 200 ? `llm ${llm}/30` : `http ${r.status}`;
      s.sources.set(key, (s.sources.get(key) ?? 0) + 1);
    }
    rows.push(toRow(label, 1, s));
  };
  await wardLoop('(d) ward 30 uncached, model 0 ms', MEASURE_MS, 200);
  await fake.setDelay(MODEL_MIN, MODEL_MAX);
  await wardLoop(`(d) ward 30 uncached, model ${MODEL_MIN}–${MODEL_MAX} ms`, 8000, 3);
  await fake.setDelay(0);

  // ---- Report.
  console.log(
    `\nper row: ${WARMUP_MS} ms warm-up, then ${MEASURE_MS} ms measured (b at c=1: ${MEASURE_MS * 1.5} ms); (a)/(e) alternate in two slices; loadavg now ${loadavg()[0].toFixed(1)}\n`,
  );
  printTable();
  printBreakdown();
  printGoals();

  console.log('\nMethod:');
  console.log(
    `  uncached (a, b, e): requests rotate over all ${allIds.length} patients; summary_cache is emptied (DELETE) and every patient given a new data version before every run, so each request misses and loads its week; the source column shows it.`,
  );
  console.log(
    `  (b): the fake model holds each call ${MODEL_MIN}–${MODEL_MAX} ms (uniform) and records the hold per X-Audit-Event-Id; each response's X-Request-Id is joined to its llm.request audit row, and total − hold is computed per request.`,
  );
  console.log(
    `  cached (c, d): ${CACHED_WARDS} bench wards (${cachedIds.length} patients) prewarmed through the ward route; requests rotate over them.`,
  );
  console.log(
    "  (d) uncached: concurrency 1, the ward's summary_cache rows deleted before each request (not timed); the service's WARD_SUMMARY_CONCURRENCY is its default (4).",
  );
  console.log(
    "  (e): shiftnote's openai provider cannot send custom headers, so the Portkey routing headers (x-portkey-provider, x-portkey-custom-host, x-portkey-forward-headers) are added inside the gateway process by its preload — no extra hop.",
  );
  console.log(
    "  svc CPU = the service process (all threads) from /proc; db CPU = this database's server backends from /proc. The bench (autocannon), fake model, Portkey and PostgreSQL share the same 2 cores.",
  );
  if (portkeyReason) console.log(`  (e) skipped: Portkey unavailable (${portkeyReason})`);
  for (const n of notes) console.log(`  note: ${n}`);

  console.log(
    '\nDatabase round trips of one request (counted on the wire by a proxy in front of PostgreSQL: each simple Query or extended-protocol Sync is one round trip):',
  );
  const counts = uncachedTrips.map((t) => t.roundTrips.length);
  console.log(
    `  uncached summary: ${counts.join(', ')} round trips (3 patients; source ${uncachedTrips.map((t) => t.source).join(', ')}); new connections: ${uncachedTrips.map((t) => t.connections).join(', ')}`,
  );
  console.log(describeTrips(uncachedTrips[0].roundTrips).join('\n'));
  console.log(`  cached summary: ${cachedTrips.roundTrips.length} round trips (source ${cachedTrips.source})`);
  console.log(describeTrips(cachedTrips.roundTrips).join('\n'));
  console.log(`  ward of 30, uncached: ${wardUncached.roundTrips.length} round trips; cached: ${wardCached.roundTrips.length} round trips`);

  await explainWeekLoader(db.url, seeded.patientIds[30]);
  progress('done; cleaning up');

  if (PROFILE)
    await profileRuns(
      build,
      env,
      db.url,
      token,
      allIds,
      cachedIds,
      cachedWards.map((w) => w.id),
      clearCache,
      dir,
    );

  console.log(`\ntotal bench time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** `--profile`: one service instance per load under `node --cpu-prof`; summarises where its main thread spends time. */
async function profileRuns(
  build: Build,
  env: (name: string, url: string, llm: string) => Record<string, string>,
  url: string,
  token: string,
  allIds: string[],
  cachedIds: string[],
  cachedWardIds: string[],
  clearCache: () => Promise<void>,
  dir: string,
): Promise<void> {
  const loads: { title: string; ids: string[]; path: (id: string) => string; concurrency: number; uncached: boolean }[] = [
    { title: '(a) uncached, model 0 ms, c=64', ids: allIds, path: summaryPath, concurrency: 64, uncached: true },
    { title: '(c) cached, c=64', ids: cachedIds, path: summaryPath, concurrency: 64, uncached: false },
    { title: '(d) ward 30 cached, c=1', ids: cachedWardIds, path: wardPath, concurrency: 1, uncached: false },
  ];
  for (const [i, l] of loads.entries()) {
    const profDir = join(dir, `prof-${i}`);
    progress(`profiling ${l.title}`);
    const s = await startService(`prof-${i}`, build, env(`bench-prof-${i}`, url, 'llm-direct.yaml'), [
      '--cpu-prof',
      `--cpu-prof-dir=${profDir}`,
    ]);
    onShutdown(() => s.stop());
    const rot = rotating(l.ids, l.path);
    const target: Target = {
      service: s,
      token,
      nextPath: rot.next,
      before: l.uncached ? async () => (await clearCache(), rot.rewind()) : undefined,
    };
    await run(target, l.concurrency, WARMUP_MS, null);
    const sample = emptySample();
    const measuredFrom = Date.now();
    await run(target, l.concurrency, MEASURE_MS, sample);
    const row = toRow(`profiled ${l.title}`, l.concurrency, sample);
    const stopAt = Date.now();
    await s.stop(15_000);
    // The profile ends at exit: keep its last (measured run + stop) milliseconds.
    const lastMs = stopAt - measuredFrom + (Date.now() - stopAt);
    const file = readdirSync(profDir).find((x) => x.endsWith('.cpuprofile'));
    console.log(
      `\nCPU profile ${l.title} (${row.rps.toFixed(0)} req/s under the profiler, ${row.svcCpuMs.toFixed(2)} ms CPU/req; start-up and warm-up excluded):`,
    );
    if (!file) console.log('  no .cpuprofile written');
    else console.log(formatProfile(`  ${file}`, summariseProfile(join(profDir, file), 18, lastMs)));
  }
}

const watchdog = setTimeout(() => {
  process.stderr.write(`bench/service.ts: time limit (${TIME_LIMIT_MS / 60_000} min) reached; stopping — partial results:\n`);
  if (rows.length) {
    printTable();
    printGoals();
  }
  void shutdown().finally(() => process.exit(2));
}, TIME_LIMIT_MS);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: cleaning up\n`);
    void shutdown().finally(() => process.exit(130));
  });
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    clearTimeout(watchdog);
    await shutdown();
    killAll();
    process.exit();
  });
