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
/** How often a waiter looks again at a claim it is waiting on (its owner may have died without a word). */
const CLAIM_RECHECK_MS = 1000;

/** A stored row's summary, or null when absent or not in the current shape (then it is regenerated). */
function parseStored(value: unknown): StoredSummary | null {
  const parsed = value == null ? null : StoredSummarySchema.safeParse(value);
  return parsed?.success ? parsed.data : null;
}

const keyOf = (k: SummaryKey) => `${k.patientId}:${k.fingerprint}`;

/**
 * When an existing claim row (`summary_claim`) is free to take: it expired, or its owner's database session is gone
 * (a SIGKILLed instance's connections close with it). A live owner's claim holds however late its renewals run.
 */
const CLAIM_IS_FREE = `(summary_claim.expires_at < now() OR (summary_claim.owner_pid IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM pg_stat_activity a WHERE a.pid = summary_claim.owner_pid AND a.backend_start = summary_claim.owner_started)))`;

/** The database session that vouches for this instance's claims while it lives. */
interface OwnerSession {
  pid: number;
  /** backend_start as PostgreSQL's text, microseconds and all (a JS Date would drop them, and never match again). */
  started: string;
}

export class SummaryStore {
  private listener: pg.PoolClient | null = null;
  private listening: Promise<void> | null = null;
  private session: OwnerSession | null = null;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly instance: string,
    /**
     * How long a claim holds unless renewed (its owner renews it every third of this while generating). A dead
     * owner's claim is free as soon as its database session is gone; this bounds a frozen one's. Default 15 s.
     */
    private readonly claimTtlMs = 15_000,
  ) {}

  /** Callers waiting for another instance to complete a key (observability and tests). */
  waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /** A summary_cache row's summary read elsewhere (beside a patient's data version), parsed; else null. */
  static parse(value: unknown): StoredSummary | null {
    return parseStored(value);
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
    const owner = await this.owner();
    const { rows } = await this.pool.query<{ summary: unknown; claimed: boolean }>(
      `WITH hit AS (
         SELECT summary FROM summary_cache WHERE patient_id = $1::uuid AND fingerprint = $2::text
       ), claimed AS (
         INSERT INTO summary_claim (patient_id, fingerprint, claimed_by, expires_at, owner_pid, owner_started)
         SELECT $1::uuid, $2::text, $3::text, now() + $4::int * interval '1 millisecond', $5::int, $6::timestamptz
          WHERE NOT EXISTS (SELECT 1 FROM hit)
         ON CONFLICT (patient_id, fingerprint) DO UPDATE
           SET claimed_by = EXCLUDED.claimed_by, expires_at = EXCLUDED.expires_at,
               owner_pid = EXCLUDED.owner_pid, owner_started = EXCLUDED.owner_started
           WHERE ${CLAIM_IS_FREE}
         RETURNING 1
       )
       SELECT (SELECT summary FROM hit) AS summary, EXISTS (SELECT 1 FROM claimed) AS claimed`,
      [key.patientId, key.fingerprint, this.instance, this.claimTtlMs, owner.pid, owner.started],
    );
    return { summary: parseStored(rows[0].summary), claimed: rows[0].claimed };
  }

  /** True when this instance now holds the claim (none existed, or the previous one was free: expired or orphaned). */
  async claim(key: SummaryKey): Promise<boolean> {
    const owner = await this.owner();
    const { rowCount } = await this.pool.query(
      `INSERT INTO summary_claim (patient_id, fingerprint, claimed_by, expires_at, owner_pid, owner_started)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond', $5::int, $6::timestamptz)
       ON CONFLICT (patient_id, fingerprint) DO UPDATE
         SET claimed_by = EXCLUDED.claimed_by, expires_at = EXCLUDED.expires_at,
             owner_pid = EXCLUDED.owner_pid, owner_started = EXCLUDED.owner_started
         WHERE ${CLAIM_IS_FREE}`,
      [key.patientId, key.fingerprint, this.instance, this.claimTtlMs, owner.pid, owner.started],
    );
    return rowCount === 1;
  }

  /** Keeps this instance's claim on `key` alive until the returned function is called (renewed every third of the TTL). */
  holdClaim(key: SummaryKey): () => void {
    // The owner session is re-stated: if the LISTEN connection was replaced, the claim now rests on the new one.
    const renew = () =>
      void this.owner()
        .then((owner) =>
          this.pool.query(
            `UPDATE summary_claim SET expires_at = now() + $4::int * interval '1 millisecond', owner_pid = $5::int, owner_started = $6::timestamptz
              WHERE patient_id = $1::uuid AND fingerprint = $2::text AND claimed_by = $3::text`,
            [key.patientId, key.fingerprint, this.instance, this.claimTtlMs, owner.pid, owner.started],
          ),
        )
        .catch(() => undefined); // a missed renewal only risks a second model call elsewhere
    const timer = setInterval(renew, Math.max(50, Math.floor(this.claimTtlMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Milliseconds until another instance's claim on `key` lapses (0 if it is free now), or null when there is none. */
  async claimExpiresInMs(key: SummaryKey): Promise<number | null> {
    const { rows } = await this.pool.query<{ left: number }>(
      `SELECT CASE WHEN ${CLAIM_IS_FREE} THEN 0 ELSE greatest(0, extract(epoch FROM expires_at - now()) * 1000)::int END AS left
         FROM summary_claim WHERE patient_id = $1::uuid AND fingerprint = $2::text`,
      [key.patientId, key.fingerprint],
    );
    return rows.length ? rows[0].left : null;
  }

  /**
   * Waits while another instance holds a live claim on `key`: until it completes (notified), its claim lapses (its
   * owner died and stopped renewing it), `timeoutMs` passes or the signal aborts. The caller re-reads the cache.
   */
  async waitForClaim(key: SummaryKey, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      const expiresIn = await this.claimExpiresInMs(key);
      if (left <= 0 || expiresIn === null || expiresIn === 0 || signal?.aborted) return;
      // Until notified, or a little past the expiry (a renewal that lands meanwhile moves it on, and we wait again),
      // looking again each second: the owner's session may have gone with it.
      await this.waitFor(key, Math.min(left, expiresIn + 25, CLAIM_RECHECK_MS), signal);
      if ((await this.get(key)) !== null) return;
    }
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
      void this.get(key).then(
        (hit) => hit && done(),
        () => undefined,
      );
    });
  }

  /**
   * Deletes cache rows older than the given age (stale fingerprints are never read again) and lapsed claims, a
   * bounded batch per statement so no delete holds locks for long.
   */
  async prune(olderThanMs: number, batch = 5000): Promise<{ summaries: number; claims: number }> {
    let summaries = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        `DELETE FROM summary_cache WHERE (patient_id, fingerprint) IN (
           SELECT patient_id, fingerprint FROM summary_cache WHERE created_at < now() - $1::bigint * interval '1 millisecond' LIMIT $2)`,
        [olderThanMs, batch],
      );
      summaries += rowCount ?? 0;
      if ((rowCount ?? 0) < batch) break;
    }
    const { rowCount: claims } = await this.pool.query(`DELETE FROM summary_claim WHERE ${CLAIM_IS_FREE}`);
    return { summaries, claims: claims ?? 0 };
  }

  /** Prunes every `everyMs` until stopped (each instance does; deleting twice is harmless). */
  schedulePrune(o: { everyMs: number; olderThanMs: number }, onError: (err: unknown) => void): { stop(): void } {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.prune(o.olderThanMs).then(
        () => void (running = false),
        (err) => {
          running = false;
          onError(err);
        },
      );
    }, o.everyMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    this.listening = null;
    this.session = null;
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
    if (listener) listener.release(true);
  }

  /** This instance's owner session (its LISTEN connection), connecting it first if need be. */
  private async owner(): Promise<OwnerSession> {
    if (!this.session) await this.listen();
    if (!this.session) throw new Error('summary store: no owner session');
    return this.session;
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
          this.session = null;
        }
        client.release(true);
      });
      await client.query(`LISTEN ${CHANNEL}`);
      const { rows } = await client.query<OwnerSession>(
        'SELECT pid, backend_start::text AS started FROM pg_stat_activity WHERE pid = pg_backend_pid()',
      );
      this.listener = client;
      this.session = rows[0];
    })().catch((err) => {
      this.listening = null;
      throw err;
    });
    return this.listening;
  }
}
