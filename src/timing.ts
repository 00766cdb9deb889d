// Where a request's time goes, measured as it runs: phases kept per request (AsyncLocalStorage) and sent back as a
// `Server-Timing` header. Durations only — never an id, a name or any text of the request.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

/**
 * The phases, highest priority first. At each instant a request's time goes to the highest-priority phase it has
 * work in flight in (a ward's patients overlap), else to `app`: the phases never add up to more than the total.
 * - audit: waiting for audit rows to commit (summary.read, llm.request: the latter inside a model call);
 * - model: outbound model calls (a claim renewal's statement meanwhile is not charged to db);
 * - dbWait: waiting for a free database connection (any pool);
 * - db: database statements, from the connection in hand to the answer;
 * - build: serialising the answer.
 */
export const PHASE_NAMES = ['audit', 'model', 'dbWait', 'db', 'build'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export interface Phases {
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
  readonly ms: Record<PhaseName, number>;
  readonly active: Record<PhaseName, number>;
  current: PhaseName | null;
  since: number;
}

const storage = new AsyncLocalStorage<Phases>();

export const now = () => performance.now();

const zeros = (): Record<PhaseName, number> => ({ audit: 0, model: 0, dbWait: 0, db: 0, build: 0 });

/** Runs `fn` with a fresh set of phases for one request. */
export function withPhases<T>(fn: () => T, startedAt = now()): T {
  return storage.run({ startedAt, ms: zeros(), active: zeros(), current: null, since: startedAt }, fn);
}

/** The current request's phases, or undefined outside a request (prewarm, background commits). */
export function currentPhases(): Phases | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` outside any request: work that serves many requests at once (an audit group commit, a timer) must not be
 * charged to whichever request happened to start it.
 */
export function detached<T>(fn: () => T): T {
  return storage.exit(fn);
}

function switchTo(p: Phases, at: number): void {
  if (p.current) p.ms[p.current] += at - p.since;
  p.since = at;
  p.current = PHASE_NAMES.find((name) => p.active[name] > 0) ?? null;
}

/** Marks the start of work in `phase`; returns the function that marks its end (idempotent). */
export function enter(p: Phases, phase: PhaseName): () => void {
  switchTo(p, now());
  p.active[phase]++;
  switchTo(p, now());
  let done = false;
  return () => {
    if (done) return;
    done = true;
    switchTo(p, now());
    p.active[phase]--;
    switchTo(p, now());
  };
}

/** Charges the time `work` takes to `phase` of the current request (if any); returns its value. */
export async function timed<T>(phase: PhaseName, work: Promise<T> | (() => Promise<T>)): Promise<T> {
  const p = storage.getStore();
  const end = p ? enter(p, phase) : undefined;
  try {
    return await (typeof work === 'function' ? work() : work);
  } finally {
    end?.();
  }
}

/** Like `timed`, for synchronous work. */
export function timedSync<T>(phase: PhaseName, work: () => T): T {
  const p = storage.getStore();
  const end = p ? enter(p, phase) : undefined;
  try {
    return work();
  } finally {
    end?.();
  }
}

const fixed = (ms: number) => Math.max(0, ms).toFixed(2);

/**
 * The `Server-Timing` value for the phases so far: db-wait, db, audit, model, build, app (everything else: auth,
 * facts, grounding, queueing on the event loop) and total, in milliseconds. Durations only (RFC 8673's `dur`).
 */
export function serverTiming(p: Phases, at = now()): string {
  const ms = { ...p.ms };
  if (p.current) ms[p.current] += at - p.since;
  const total = at - p.startedAt;
  const app = total - PHASE_NAMES.reduce((sum, name) => sum + ms[name], 0);
  return [
    `db-wait;dur=${fixed(ms.dbWait)}`,
    `db;dur=${fixed(ms.db)}`,
    `audit;dur=${fixed(ms.audit)}`,
    `model;dur=${fixed(ms.model)}`,
    `build;dur=${fixed(ms.build)}`,
    `app;dur=${fixed(app)}`,
    `total;dur=${fixed(total)}`,
  ].join(', ');
}

/** The statement being dispatched by pool.query right now: pg-pool calls connect() synchronously inside query(). */
let dispatching: { connected?: () => void } | null = null;

/**
 * Charges a pool's work to the request that asked for it: the wait for a connection to `dbWait`, the statement
 * with the connection in hand to `db`. The request is the one current when the statement was issued (a queued
 * connection is handed over from another request's release, whose context would be the wrong one).
 */
export function instrumentPool<P extends pg.Pool>(pool: P): P {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as { connect: unknown }).connect = (...args: unknown[]) => {
    const p = storage.getStore();
    if (!p) return connect(...args);
    const statement = dispatching;
    const waited = enter(p, 'dbWait');
    const acquired = () => {
      waited();
      statement?.connected?.();
    };
    const cb = args[0];
    if (typeof cb === 'function') {
      return connect((err: unknown, client: unknown, release: unknown) => {
        if (err) waited();
        else acquired();
        (cb as (...a: unknown[]) => void)(err, client, release);
      });
    }
    return (connect() as Promise<pg.PoolClient>).then(
      (client) => (acquired(), client),
      (err: unknown) => {
        waited();
        throw err;
      },
    );
  };
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    const p = storage.getStore();
    if (!p) return query(...args);
    let ran: (() => void) | undefined;
    const statement = { connected: () => void (ran = enter(p, 'db')) };
    const finished = () => ran?.();
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...result: unknown[]) => {
        finished();
        (last as (...a: unknown[]) => void)(...result);
      };
    }
    const outer = dispatching;
    dispatching = statement;
    let result: unknown;
    try {
      result = query(...args);
    } finally {
      dispatching = outer;
    }
    if (typeof last !== 'function' && result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(finished, finished);
    }
    return result;
  };
  return pool;
}
