// Shared summary cache in PostgreSQL, with claims so that several instances make one model call per fingerprint.
import type pg from 'pg';
import { SentenceSchema } from '../clinical';
import { z } from 'zod';

export const StoredSummarySchema = z.object({
  sentences: z.array(SentenceSchema),
  provider: z.string(),
  model: z.string(),
  generatedAt: z.string(),
});
export type StoredSummary = z.infer<typeof StoredSummarySchema>;

export interface SummaryKey {
  patientId: string;
  fingerprint: string;
}

const CHANNEL = 'shiftnote_summary_ready';

/** A stored row's summary, or null when absent or not in the current shape (then it is regenerated). */
function parseStored(value: unknown): StoredSummary | null {
  const parsed = value == null ? null : StoredSummarySchema.safeParse(value);
  return parsed?.success ? parsed.data : null;
}

const keyOf = (k: SummaryKey) => `${k.patientId}:${k.fingerprint}`;

export class SummaryStore {
  private listener: pg.PoolClient | null = null;
  private listening: Promise<void> | null = null;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly instance: string,
    /** How long a claim holds before another instance may take over (a crashed or stuck generator). */
    private readonly claimTtlMs: number,
  ) {}

  /** Callers waiting for another instance to complete a key (observability and tests). */
  waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /** The row for `fingerprint` among rows read elsewhere (the week loader's recent summaries), parsed; else null. */
  static pick(rows: { fingerprint: string; summary: unknown }[], fingerprint: string): StoredSummary | null {
    return parseStored(rows.find((r) => r.fingerprint === fingerprint)?.summary);
  }

  async get(key: SummaryKey): Promise<StoredSummary | null> {
    const { rows } = await this.pool.query<{ summary: unknown }>(
      'SELECT summary FROM summary_cache WHERE patient_id = $1::uuid AND fingerprint = $2::text',
      [key.patientId, key.fingerprint],
    );
    return parseStored(rows[0]?.summary);
  }

  /**
   * The stored summary for `key`, or — when there is none — an attempt to claim it, in one statement: the miss
   * path of a read costs one round trip before the model call instead of two.
   */
  async getOrClaim(key: SummaryKey): Promise<{ summary: StoredSummary | null; claimed: boolean }> {
    const { rows } = await this.pool.query<{ summary: unknown; claimed: boolean }>(
      `WITH hit AS (
         SELECT summary FROM summary_cache WHERE patient_id = $1::uuid AND fingerprint = $2::text
       ), claimed AS (
         INSERT INTO summary_claim (patient_id, fingerprint, claimed_by, expires_at)
         SELECT $1::uuid, $2::text, $3::text, now() + $4::int * interval '1 millisecond'
          WHERE NOT EXISTS (SELECT 1 FROM hit)
         ON CONFLICT (patient_id, fingerprint) DO UPDATE
           SET claimed_by = EXCLUDED.claimed_by, expires_at = EXCLUDED.expires_at
           WHERE summary_claim.expires_at < now()
         RETURNING 1
       )
       SELECT (SELECT summary FROM hit) AS summary, EXISTS (SELECT 1 FROM claimed) AS claimed`,
      [key.patientId, key.fingerprint, this.instance, this.claimTtlMs],
    );
    return { summary: parseStored(rows[0].summary), claimed: rows[0].claimed };
  }

  /** True when this instance now holds the claim (none existed, or the previous one expired). */
  async claim(key: SummaryKey): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO summary_claim (patient_id, fingerprint, claimed_by, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
       ON CONFLICT (patient_id, fingerprint) DO UPDATE
         SET claimed_by = EXCLUDED.claimed_by, expires_at = EXCLUDED.expires_at
         WHERE summary_claim.expires_at < now()`,
      [key.patientId, key.fingerprint, this.instance, this.claimTtlMs],
    );
    return rowCount === 1;
  }

  /** Stores the summary (if any), drops the claim and wakes waiting instances, in one statement. */
  async complete(key: SummaryKey, summary: StoredSummary | null): Promise<void> {
    await this.pool.query(
      `WITH stored AS (
         INSERT INTO summary_cache (patient_id, fingerprint, summary)
         SELECT $1, $2, $3::jsonb WHERE $3::jsonb IS NOT NULL
         ON CONFLICT (patient_id, fingerprint) DO NOTHING
       ), released AS (
         DELETE FROM summary_claim WHERE patient_id = $1 AND fingerprint = $2 AND claimed_by = $4
       )
       SELECT pg_notify('${CHANNEL}', $5)`,
      [key.patientId, key.fingerprint, summary === null ? null : JSON.stringify(summary), this.instance, keyOf(key)],
    );
  }

  /**
   * Resolves when another instance completes this key, or after `timeoutMs` (its claim may have died with it),
   * or when the signal aborts. The caller re-reads the cache either way.
   */
  async waitFor(key: SummaryKey, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.listen();
    const id = keyOf(key);
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
      // The claim may have completed between our claim attempt and LISTEN: check once after subscribing.
      void this.get(key).then((hit) => hit && done(), () => undefined);
    });
  }

  /** Deletes cache rows older than the given age (stale fingerprints are never read again). */
  async prune(olderThanMs: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM summary_cache WHERE created_at < now() - $1 * interval '1 millisecond'`,
      [olderThanMs],
    );
    await this.pool.query('DELETE FROM summary_claim WHERE expires_at < now()');
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    this.listening = null;
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
    if (listener) listener.release(true);
  }

  private listen(): Promise<void> {
    this.listening ??= (async () => {
      const client = await this.pool.connect();
      client.on('notification', (msg) => {
        if (msg.channel !== CHANNEL || !msg.payload) return;
        for (const wake of [...(this.waiters.get(msg.payload) ?? [])]) wake();
      });
      client.on('error', () => {
        // Waiters fall back to their timeouts; the next wait reconnects.
        if (this.listener === client) {
          this.listener = null;
          this.listening = null;
        }
        client.release(true);
      });
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
    })().catch((err) => {
      this.listening = null;
      throw err;
    });
    return this.listening;
  }
}
