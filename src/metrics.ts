// Prometheus metrics: one registry per process, handed to everything that reports (HTTP, audit, pools, LLM client).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What pg.Pool exposes about itself. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface Metrics {
  registry: Registry;
  /** `route` is the documented route pattern or 'unmatched': never a raw URL, so no patient id becomes a label. */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  summaryServed(source: string): void;
  /** AuditWriter's `onCommit`. */
  auditCommitted: (rows: number, seconds: number) => void;
  watchAuditQueue(source: { queueDepth(): number }): void;
  watchPool(name: string, pool: PoolStats): void;
}

// Fuzzed or exotic methods would otherwise each become a label value.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'shiftnote_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const summarySource = new Counter({
    name: 'shiftnote_summary_source_total',
    help: 'Summaries served, by source (llm, fallback, cache)',
    labelNames: ['source'],
    registers: [registry],
  });
  const auditCommit = new Histogram({
    name: 'shiftnote_audit_commit_duration_seconds',
    help: 'Audit group-commit latency (BEGIN to COMMIT), per transaction',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const auditRows = new Counter({
    name: 'shiftnote_audit_events_committed_total',
    help: 'Audit events committed',
    registers: [registry],
  });

  // Gauges below are read at scrape time from their sources, so they cost nothing between scrapes.
  const queues: { queueDepth(): number }[] = [];
  new Gauge({
    name: 'shiftnote_audit_queue_depth',
    help: 'Audit events waiting for the next commit',
    registers: [registry],
    collect() {
      this.set(queues.reduce((n, q) => n + q.queueDepth(), 0));
    },
  });
  const pools = new Map<string, PoolStats>();
  const poolGauge = (name: string, help: string, read: (p: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        for (const [pool, stats] of pools) this.set({ pool }, read(stats));
      },
    });
  poolGauge('shiftnote_db_pool_connections', 'Open connections in a pg pool', (p) => p.totalCount);
  poolGauge('shiftnote_db_pool_idle_connections', 'Idle connections in a pg pool', (p) => p.idleCount);
  poolGauge('shiftnote_db_pool_waiting_clients', 'Callers waiting for a pg pool connection', (p) => p.waitingCount);

  return {
    registry,
    httpRequest(method, route, status, seconds) {
      httpDuration.observe({ method: KNOWN_METHODS.has(method) ? method : 'OTHER', route, status: String(status) }, seconds);
    },
    summaryServed(source) {
      summarySource.inc({ source });
    },
    auditCommitted(rows, seconds) {
      auditCommit.observe(seconds);
      auditRows.inc(rows);
    },
    watchAuditQueue(source) {
      queues.push(source);
    },
    watchPool(name, pool) {
      pools.set(name, pool);
    },
  };
}
