// Write-ahead audit writer: group commit onto the hash chain; a caller resolves only after COMMIT.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { chainHash, type AuditRecord } from './chain';
import type { AuditEventInput } from './types';

const { escapeLiteral } = pg;

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

const UTC_MICROS = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Opens the transaction and locks the chain head: seq stays gap-free and ordered across instances. */
const LOCK_HEAD = `BEGIN; SELECT seq::text AS seq, hash, ${UTC_MICROS} AS now FROM audit_chain_head WHERE id = 1 FOR UPDATE`;

/**
 * Inserts the hashed rows, advances the head and commits, in one message. The values travel as one escaped
 * JSON literal (the simple-query protocol has no parameters). A data-modifying WITH always runs in full: the
 * INSERT either stores every row or fails the statement, and then COMMIT is skipped.
 */
function appendAndCommit(records: AuditRecord[], seq: bigint, headHash: string): string {
  return `WITH rows AS (
      INSERT INTO audit_event (id, seq, recorded_at, action, outcome, actor_id, actor_roles, patient_id,
                               purpose_of_use, request_id, target, details, prev_hash, hash)
      SELECT id, seq, "recordedAt", action, outcome, "actorId", "actorRoles", "patientId",
             "purposeOfUse", "requestId", target, details, "prevHash", hash
        FROM jsonb_to_recordset(${escapeLiteral(JSON.stringify(records))}::jsonb) AS r(id uuid, seq bigint,
             "recordedAt" timestamptz, action text, outcome text, "actorId" text, "actorRoles" text[], "patientId" uuid,
             "purposeOfUse" text, "requestId" text, target jsonb, details jsonb, "prevHash" text, hash text)
    )
    UPDATE audit_chain_head SET seq = ${seq.toString()}, hash = ${escapeLiteral(headHash)} WHERE id = 1;
    COMMIT`;
}

/**
 * Rows that queue while a commit is in flight go together in the next transaction: no timer, so a
 * lone writer commits at once (at the end of the current event-loop turn) and many writers share one COMMIT. The chain head row is locked for
 * the transaction, so seq stays gap-free and ordered across instances sharing the database.
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

  private async commit(inputs: AuditEventInput[]): Promise<AuditRecord[]> {
    const started = process.hrtime.bigint();
    const client = await this.pool.connect();
    let broken = false;
    try {
      // Two round trips per commit: BEGIN with the head lock, then the rows with COMMIT (simple-query protocol,
      // several statements in one message; if one fails the rest are skipped and the ROLLBACK below runs).
      const [, head] = (await client.query(LOCK_HEAD)) as unknown as [pg.QueryResult, pg.QueryResult<{ seq: string; hash: string; now: string }>];
      if (head.rowCount !== 1) throw new Error('audit chain head is missing: migrations not applied');
      let seq = BigInt(head.rows[0].seq);
      let prevHash = head.rows[0].hash;
      const recordedAt = head.rows[0].now;
      const records = inputs.map((input) => {
        seq += 1n;
        const unhashed: Omit<AuditRecord, 'hash'> = {
          // uuid columns read back lower-case: hash them that way too, or verification would fail.
          id: (input.id ?? randomUUID()).toLowerCase(),
          seq: seq.toString(),
          recordedAt,
          action: input.action,
          outcome: input.outcome,
          actorId: input.actorId,
          actorRoles: input.actorRoles,
          patientId: input.patientId?.toLowerCase() ?? null,
          purposeOfUse: input.purposeOfUse,
          requestId: input.requestId,
          target: asStored(input.target ?? null),
          details: asStored(input.details),
          prevHash,
        };
        const record = { ...unhashed, hash: chainHash(unhashed) };
        prevHash = record.hash;
        return record;
      });
      await client.query(appendAndCommit(records, seq, prevHash));
      this.options.onCommit?.(records.length, Number(process.hrtime.bigint() - started) / 1e9);
      return records;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
