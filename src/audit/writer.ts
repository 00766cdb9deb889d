// Write-ahead audit writer: group commit onto the hash chain; a caller resolves only after COMMIT, or fails fast
// while commits cannot happen (the database or the chain head's lock out of reach), recovering by itself.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { canonicalJson, chainHash, type AuditRecord } from './chain';
import type { AuditEventInput } from './types';
import { detached, timed } from '../timing';

interface Pending {
  input: AuditEventInput;
  resolve(record: AuditRecord): void;
  reject(err: unknown): void;
  /** From appendLater: nobody waits on it, so a commit that could not happen is retried instead of failing it. */
  later: boolean;
}

/**
 * A commit could not happen: the database is unreachable, or the chain head stayed locked past `lock_timeout` (a
 * long transaction, ALTER TABLE, VACUUM FULL), or the statement ran past `statement_timeout`. Nothing was appended.
 */
export class AuditUnavailableError extends Error {
  readonly code = 'audit_unavailable';
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`audit trail unavailable: ${reason}`, options);
  }
}

// Why a commit could not happen at all (as opposed to a row the database refused).
const CANNOT_COMMIT_CODES = new Map([
  ['55P03', 'the chain head is locked'],
  ['57014', 'the commit timed out'],
  ['57P01', 'the database is shutting down'],
  ['57P02', 'the database is shutting down'],
  ['57P03', 'the database is starting'],
  ['53300', 'no database connection is free'],
  ['ECONNREFUSED', 'the database is unreachable'],
  ['ECONNRESET', 'the database connection was lost'],
  ['ETIMEDOUT', 'the database is unreachable'],
  ['EHOSTUNREACH', 'the database is unreachable'],
  ['ENOTFOUND', 'the database is unreachable'],
  ['EPIPE', 'the database connection was lost'],
]);
const CANNOT_COMMIT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i;

/** The reason a commit cannot happen, or null when `err` is about the rows themselves. */
export function cannotCommit(err: unknown): string | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  if (typeof e.code === 'string') {
    const known = CANNOT_COMMIT_CODES.get(e.code);
    if (known) return known;
    if (/^08/.test(e.code)) return 'the database connection failed';
  }
  return typeof e.message === 'string' && CANNOT_COMMIT_MESSAGES.test(e.message) ? 'the database is unreachable' : null;
}

export interface AuditWriterStats {
  /** Events waiting for the next commit. */
  queueDepth(): number;
  /** False while commits cannot happen: appends fail at once, readiness says not ready. */
  available(): boolean;
}

export interface AuditWriterOptions {
  /** Most rows in one transaction. */
  maxBatch?: number;
  /** Called after each commit with the batch size and its commit latency. */
  onCommit?(rows: number, seconds: number): void;
  /** Longest a row from `appendLater` waits for another commit to ride with before it is committed alone. */
  laterMs?: number;
  /** While unavailable, how often one probe checks whether commits can happen again. Default 1000 ms. */
  probeIntervalMs?: number;
  /** Most appendLater rows kept for a retry while unavailable; beyond it the oldest fail. Default 10,000. */
  maxRetained?: number;
  /** Told when commits stop being possible (with why) and when they are again. */
  onAvailability?(available: boolean, reason: string | null): void;
}

/**
 * The JSON value exactly as jsonb will hand it back (toJSON applied, undefined dropped), so the hash
 * taken here is the hash verification recomputes from the stored row.
 */
function asStored<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type Fields = Omit<AuditRecord, 'hash' | 'prevHash' | 'seq' | 'recordedAt'>;

// Stand-ins for the two values the database decides (per process; a value can only contain them by chance).
const RECORDED_AT = JSON.stringify(`\u0000recordedAt:${randomUUID()}`);
const SEQ = JSON.stringify(`\u0000seq:${randomUUID()}`);

/**
 * The row's canonical JSON (chain.ts) cut around `recordedAt` and `seq`: audit_append() splices in the database
 * clock and the next seq, checks the whole is canonical, stores the fields it reads out of it and hashes it with the
 * previous row's hash (see its migrations).
 */
function canonicalPieces(fields: Fields): { head: string; middle: string; tail: string } {
  const text = canonicalJson({ ...fields, recordedAt: JSON.parse(RECORDED_AT) as string, seq: JSON.parse(SEQ) as string });
  const [head, rest, ...more] = text.split(RECORDED_AT);
  const [middle, tail, ...more2] = (rest ?? '').split(SEQ);
  if (more.length > 0 || more2.length > 0 || tail === undefined) throw new Error('audit row could not be cut for hashing');
  return { head, middle, tail };
}

/**
 * Rows that queue while a commit is in flight go together in the next transaction: no timer, so a
 * lone writer commits at once (at the end of the current event-loop turn) and many writers share one COMMIT.
 * audit_append() locks the chain head for its statement, so seq stays gap-free and ordered across instances.
 * Rows nobody waits for (`appendLater`) ride with the next commit, or go alone after `laterMs`.
 *
 * When a commit cannot happen (`cannotCommit`: lock or statement timeout on the audit connection, database
 * unreachable), the writer turns unavailable: its waiting callers and every later `append` fail at once with
 * AuditUnavailableError, `appendLater` rows are kept (bounded) and retried, and a probe — audit_append of an empty
 * batch, which takes the head lock and appends nothing — runs every `probeIntervalMs` until commits work again.
 */
export class AuditWriter implements AuditWriterStats {
  private queue: Pending[] = [];
  private flushing = false;
  private closed = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;
  private readonly maxBatch: number;
  private later: NodeJS.Timeout | null = null;
  private scheduled = false;
  private unavailable: string | null = null;
  private probe: NodeJS.Timeout | null = null;
  private settledWaiters: (() => void)[] = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: AuditWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  queueDepth(): number {
    return this.queue.length;
  }

  available(): boolean {
    return this.unavailable === null;
  }

  /** Why commits cannot happen now, or null. */
  unavailableReason(): string | null {
    return this.unavailable;
  }

  /**
   * Resolves with the stored row once its transaction has committed; rejects if it did not — at once, with
   * AuditUnavailableError, while commits cannot happen.
   */
  append(input: AuditEventInput): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new Error('audit writer is closed'));
    if (this.unavailable !== null) return Promise.reject(new AuditUnavailableError(this.unavailable));
    // The caller's wait for the commit is its request's `audit` phase (Server-Timing).
    return timed(
      'audit',
      new Promise<AuditRecord>((resolve, reject) => {
        this.queue.push({ input, resolve, reject, later: false });
        this.flushSoon();
      }),
    );
  }

  /** Resolves once nothing is queued or committing (tests, and before reading rows appended with appendLater). */
  settled(): Promise<void> {
    if (this.queue.length === 0 && !this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /**
   * Starts a commit at the end of this turn of the event loop (setImmediate: after the code that is running
   * now and its promise callbacks, before any timer), so rows appended together (a ward's reads) share it.
   */
  private flushSoon(): void {
    if (this.flushing || this.scheduled || this.unavailable !== null) return;
    this.scheduled = true;
    // A group commit serves every request in it: charged to none of them (their waits are their `audit` phase).
    detached(() =>
      setImmediate(() => {
        this.scheduled = false;
        if (!this.flushing && this.queue.length > 0) void this.flush();
      }),
    );
  }

  /**
   * Queues a row that no caller has to wait for (an LLM attempt's result): it joins the next commit instead of
   * costing one of its own, and is committed by itself after `laterMs` (default 20 ms) if no other row comes.
   * Its id is fixed now, so a retry after a commit that could not happen appends the same row. The promise
   * resolves once committed; it rejects only for a row the database refuses, or when it could not be kept.
   */
  appendLater(input: AuditEventInput): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new Error('audit writer is closed'));
    const fixed = { ...input, id: input.id ?? randomUUID() };
    return new Promise<AuditRecord>((resolve, reject) => {
      this.queue.push({ input: fixed, resolve, reject, later: true });
      this.dropBeyondRetained();
      if (this.unavailable !== null) return; // the probe flushes it once commits work again
      if (!this.flushing && !this.later) {
        this.later = detached(() =>
          setTimeout(() => {
            this.later = null;
            if (!this.flushing && this.queue.length > 0) void this.flush();
          }, this.options.laterMs ?? 20),
        );
      }
    });
  }

  /** Stops taking events and waits until everything queued has been committed or failed (one last try each). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.probe) clearTimeout(this.probe);
    this.probe = null;
    if (!this.flushing && this.queue.length > 0) void this.flush();
    await this.idle;
  }

  private dropBeyondRetained(): void {
    const max = this.options.maxRetained ?? 10_000;
    if (this.queue.length <= max) return;
    const dropped = this.queue.splice(0, this.queue.length - max);
    for (const p of dropped) p.reject(new AuditUnavailableError(this.unavailable ?? 'too many rows waiting'));
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    if (this.later) {
      clearTimeout(this.later);
      this.later = null;
    }
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    try {
      while (this.queue.length > 0 && (this.unavailable === null || this.closed)) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const records = await this.commit(batch.map((p) => p.input));
          batch.forEach((p, i) => p.resolve(records[i]));
        } catch (err) {
          const reason = cannotCommit(err);
          if (reason === null || this.closed) {
            batch.forEach((p) => p.reject(err));
            continue;
          }
          // Nothing was appended. Callers waiting fail now; rows nobody waits for go back to the front for a retry.
          const failure = new AuditUnavailableError(reason, { cause: err });
          batch.filter((p) => !p.later).forEach((p) => p.reject(failure));
          this.queue.unshift(...batch.filter((p) => p.later));
          this.becomeUnavailable(reason);
        }
      }
      if (this.unavailable !== null && !this.closed)
        for (const p of this.queue.filter((q) => !q.later)) p.reject(new AuditUnavailableError(this.unavailable));
      if (this.unavailable !== null && !this.closed) this.queue = this.queue.filter((q) => q.later);
    } finally {
      this.flushing = false;
      this.markIdle();
      if (this.queue.length === 0 || this.unavailable !== null) for (const wake of this.settledWaiters.splice(0)) wake();
    }
  }

  private becomeUnavailable(reason: string): void {
    const was = this.unavailable;
    this.unavailable = reason;
    if (was === null) this.options.onAvailability?.(false, reason);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.probe || this.closed) return;
    this.probe = setTimeout(() => void this.runProbe(), this.options.probeIntervalMs ?? 1000);
    this.probe.unref();
  }

  /** audit_append of an empty batch: takes the chain head's lock under the same timeouts, appends nothing. */
  private async runProbe(): Promise<void> {
    this.probe = null;
    if (this.closed) return;
    try {
      await this.pool.query(`SELECT count(*) FROM audit_append('[]'::jsonb)`);
    } catch (err) {
      const reason = cannotCommit(err) ?? (err as Error).message;
      this.unavailable = reason;
      this.scheduleProbe();
      return;
    }
    this.unavailable = null;
    this.options.onAvailability?.(true, null);
    if (this.queue.length > 0 && !this.flushing) void this.flush();
  }

  /** One statement, one round trip: audit_append() locks the chain head, hashes, inserts and commits on return. */
  private async commit(inputs: AuditEventInput[]): Promise<AuditRecord[]> {
    const started = process.hrtime.bigint();
    const rows = inputs.map((input) => {
      const fields: Fields = {
        // uuid columns read back lower-case: hash them that way too, or verification would fail.
        id: (input.id ?? randomUUID()).toLowerCase(),
        action: input.action,
        outcome: input.outcome,
        actorId: input.actorId,
        actorRoles: input.actorRoles,
        patientId: input.patientId?.toLowerCase() ?? null,
        purposeOfUse: input.purposeOfUse,
        requestId: input.requestId,
        target: asStored(input.target ?? null),
        details: asStored(input.details),
      };
      return { fields, pieces: canonicalPieces(fields) };
    });
    // Only the pieces: audit_append() reads every stored field back out of the text it hashes.
    const { rows: appended } = await this.pool.query<{ id: string; seq: string; recorded_at: string; prev_hash: string; hash: string }>(
      'SELECT id, seq::text AS seq, recorded_at, prev_hash, hash FROM audit_append($1::jsonb)',
      [JSON.stringify(rows.map(({ pieces }) => pieces))],
    );
    this.options.onCommit?.(appended.length, Number(process.hrtime.bigint() - started) / 1e9);
    return rows.map(({ fields }, i) => {
      const stored = appended[i];
      const unhashed = { ...fields, seq: stored.seq, recordedAt: stored.recorded_at, prevHash: stored.prev_hash };
      // The database hashed what this process would have: checked on every row, so the two can never drift apart.
      if (stored.id !== fields.id || chainHash(unhashed) !== stored.hash)
        throw new Error('audit row hash differs from the chain definition');
      return { ...unhashed, hash: stored.hash };
    });
  }
}
