// Write-ahead audit writer: group commit onto the hash chain; a caller resolves only after COMMIT.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { canonicalJson, chainHash, type AuditRecord } from './chain';
import type { AuditEventInput } from './types';

interface Pending {
  input: AuditEventInput;
  resolve(record: AuditRecord): void;
  reject(err: unknown): void;
}

export interface AuditWriterStats {
  /** Events waiting for the next commit. */
  queueDepth(): number;
}

export interface AuditWriterOptions {
  /** Most rows in one transaction. */
  maxBatch?: number;
  /** Called after each commit with the batch size and its commit latency. */
  onCommit?(rows: number, seconds: number): void;
  /** Longest a row from `appendLater` waits for another commit to ride with before it is committed alone. */
  laterMs?: number;
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
 * clock and the next seq and hashes the whole with the previous row's hash (see its migration).
 */
function canonicalPieces(fields: Fields): { head: string; middle: string; tail: string } {
  const text = canonicalJson({ ...fields, recordedAt: JSON.parse(RECORDED_AT), seq: JSON.parse(SEQ) });
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

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: AuditWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  queueDepth(): number {
    return this.queue.length;
  }

  /** Resolves with the stored row once its transaction has committed; rejects if it did not. */
  append(input: AuditEventInput): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new Error('audit writer is closed'));
    return new Promise<AuditRecord>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.flushSoon();
    });
  }

  /**
   * Starts a commit at the end of this turn of the event loop (setImmediate: after the code that is running
   * now and its promise callbacks, before any timer), so rows appended together (a ward's reads) share it.
   */
  private flushSoon(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.flushing && this.queue.length > 0) void this.flush();
    });
  }

  /**
   * Queues a row that no caller has to wait for (an LLM attempt's result): it joins the next commit instead of
   * costing one of its own, and is committed by itself after `laterMs` (default 20 ms) if no other row comes.
   * The promise settles as for `append`.
   */
  appendLater(input: AuditEventInput): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new Error('audit writer is closed'));
    return new Promise<AuditRecord>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.flushing && !this.later) {
        this.later = setTimeout(() => {
          this.later = null;
          if (!this.flushing && this.queue.length > 0) void this.flush();
        }, this.options.laterMs ?? 20);
      }
    });
  }

  /** Stops taking events and waits until everything queued has been committed or failed. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.flushing && this.queue.length > 0) void this.flush();
    await this.idle;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    if (this.later) {
      clearTimeout(this.later);
      this.later = null;
    }
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const records = await this.commit(batch.map((p) => p.input));
          batch.forEach((p, i) => p.resolve(records[i]));
        } catch (err) {
          batch.forEach((p) => p.reject(err));
        }
      }
    } finally {
      this.flushing = false;
      this.markIdle();
    }
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
    const { rows: appended } = await this.pool.query<{ id: string; seq: string; recorded_at: string; prev_hash: string; hash: string }>(
      'SELECT id, seq::text AS seq, recorded_at, prev_hash, hash FROM audit_append($1::jsonb)',
      [JSON.stringify(rows.map(({ fields, pieces }) => ({ ...fields, ...pieces })))],
    );
    this.options.onCommit?.(appended.length, Number(process.hrtime.bigint() - started) / 1e9);
    return rows.map(({ fields }, i) => {
      const stored = appended[i];
      const unhashed = { ...fields, seq: stored.seq, recordedAt: stored.recorded_at, prevHash: stored.prev_hash };
      // The database hashed what this process would have: checked on every row, so the two can never drift apart.
      if (stored.id !== fields.id || chainHash(unhashed) !== stored.hash) throw new Error('audit row hash differs from the chain definition');
      return { ...unhashed, hash: stored.hash };
    });
  }
}
