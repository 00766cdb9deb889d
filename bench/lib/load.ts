// Closed-loop load with autocannon's programmatic API, keeping every request's latency (µs precision) and
// what the response said (status, X-Request-Id, summary source), so results can be checked and joined.
import autocannon from 'autocannon';
import type { EventEmitter } from 'node:events';

export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  headers: Record<string, string>;
  /** The path of the next request (called once per request). */
  nextPath: () => string;
  /** Keep X-Request-Id of every response (to join with audit rows). */
  keepRequestIds?: boolean;
  /** Keep every response's Server-Timing phases (ms by name), in completion order like `latenciesMs`. */
  keepServerTiming?: boolean;
}

export interface LoadResult {
  /** Completed responses, in completion order. */
  latenciesMs: number[];
  statuses: Map<number, number>;
  /** Responses by summary `source` ("llm", "cache", "fallback", or "-" when not found in the body). */
  sources: Map<string, number>;
  requestIds: string[];
  /** With keepServerTiming: each response's phases (null when it sent none). */
  serverTimings: (Record<string, number> | null)[];
  errors: number;
  timeouts: number;
  seconds: number;
}

const SOURCE = /"source":"(llm|cache|fallback)"/;

/** `db;dur=1.2, model;dur=401.5` → { db: 1.2, model: 401.5 }. */
export function parseServerTiming(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const metric of value.split(',')) {
    const [name, ...params] = metric.trim().split(';');
    const dur = params.map((p) => p.trim()).find((p) => p.startsWith('dur='));
    if (name && dur) out[name] = Number(dur.slice(4));
  }
  return out;
}

export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const statuses = new Map<number, number>();
  const sources = new Map<string, number>();
  const requestIds: string[] = [];
  const serverTimings: (Record<string, number> | null)[] = [];
  // autocannon calls onResponse and then, synchronously, emits 'response' with the latency on the same client.
  let pending: { status: number; requestId?: string; timing?: Record<string, number> | null } | null = null;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: o.url,
        connections: o.connections,
        pipelining: 1,
        duration: o.durationMs / 1000,
        timeout: 30,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({ ...req, method: 'GET', path: o.nextPath(), headers: o.headers }),
            onResponse: (status, body, _ctx, headers) => {
              const m = SOURCE.exec(body.length > 4096 ? body.slice(0, 4096) : body);
              const source = status === 200 ? (m?.[1] ?? '-') : `http ${status}`;
              sources.set(source, (sources.get(source) ?? 0) + 1);
              // Header names keep the server's case here ("X-Request-Id").
              let rid: string | string[] | undefined;
              let st: string | string[] | undefined;
              if (o.keepRequestIds || o.keepServerTiming) {
                for (const k in headers) {
                  const name = k.toLowerCase();
                  if (name === 'x-request-id') rid = headers[k];
                  else if (name === 'server-timing') st = headers[k];
                }
              }
              pending = {
                status,
                requestId: o.keepRequestIds && typeof rid === 'string' ? rid : undefined,
                timing: o.keepServerTiming ? (typeof st === 'string' ? parseServerTiming(st) : null) : undefined,
              };
            },
          },
        ],
        setupClient: (client: EventEmitter) => {
          client.on('response', (status: number, _bytes: number, responseTime: number) => {
            latenciesMs.push(responseTime);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (pending?.requestId !== undefined) requestIds.push(pending.requestId);
            else if (o.keepRequestIds) requestIds.push('');
            if (o.keepServerTiming) serverTimings.push(pending?.timing ?? null);
            pending = null;
          });
        },
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          latenciesMs,
          statuses,
          sources,
          requestIds,
          serverTimings,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds: Number(process.hrtime.bigint() - started) / 1e9,
        });
      },
    );
  });
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))];
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}
