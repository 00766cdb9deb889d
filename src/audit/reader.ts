// Reads audit rows back exactly as the writer hashed them: filtered pages (newest first) and keyset scans.
import type pg from 'pg';
import type { AuditRecord } from './chain';
import type { AttemptResult, FhirExportRow } from './fhir';
import type { AuditAction } from './types';

/**
 * Every column of `alias` (default: the bare table) in its hashed form. recorded_at goes back through the writer's
 * own to_char format (UTC, microseconds), seq as text (bigint), and uuids come back lower-case as the writer stored them.
 */
export function recordColumns(alias = ''): string {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  return `${c('id')}, ${c('seq')}::text AS seq,
  to_char(${c('recorded_at')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "recordedAt",
  ${c('action')}, ${c('outcome')}, ${c('actor_id')} AS "actorId", ${c('actor_roles')} AS "actorRoles", ${c('patient_id')} AS "patientId",
  ${c('purpose_of_use')} AS "purposeOfUse", ${c('request_id')} AS "requestId", ${c('target')}, ${c('details')}, ${c('prev_hash')} AS "prevHash", ${c('hash')}`;
}

// Sort by the qualified `audit_event.seq`: a bare `seq` would mean the text alias (and sort "10" before "9").
export const RECORD_COLUMNS = recordColumns();

export interface AuditFilter {
  patientId?: string;
  actorId?: string;
  action?: AuditAction;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** WHERE conditions for a filter; parameters are numbered from `params.length + 1`. */
function conditions(filter: AuditFilter, params: unknown[], alias = ''): string[] {
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(`${alias ? `${alias}.` : ''}${sql.replace('?', `$${params.length}`)}`);
  };
  if (filter.patientId) add('patient_id = ?', filter.patientId);
  if (filter.actorId) add('actor_id = ?', filter.actorId);
  if (filter.action) add('action = ?', filter.action);
  if (filter.from) add('recorded_at >= ?', filter.from);
  if (filter.to) add('recorded_at < ?', filter.to);
  return where;
}

export interface AuditPage {
  events: AuditRecord[];
  /** seq of the last event when more (older) events match, else null. */
  nextBeforeSeq: string | null;
}

/** Newest first. Keyset on seq: rows committed meanwhile have higher seqs, so pages never shift. */
export async function listAuditEvents(pool: pg.Pool, filter: AuditFilter, page: { beforeSeq?: string; limit: number }): Promise<AuditPage> {
  const params: unknown[] = [];
  const where = conditions(filter, params);
  if (page.beforeSeq) {
    params.push(page.beforeSeq);
    where.push(`seq < $${params.length}::bigint`);
  }
  params.push(page.limit + 1);
  const { rows } = await pool.query<AuditRecord>(
    `SELECT ${RECORD_COLUMNS} FROM audit_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY audit_event.seq DESC LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > page.limit;
  const events = more ? rows.slice(0, page.limit) : rows;
  return { events, nextBeforeSeq: more ? events[events.length - 1].seq : null };
}

export async function getAuditEvent(pool: pg.Pool, id: string): Promise<AuditRecord | null> {
  const { rows } = await pool.query<AuditRecord>(`SELECT ${RECORD_COLUMNS} FROM audit_event WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export interface ScanOptions {
  /** Exclusive lower bound; default: the start of the chain. */
  afterSeq?: string;
  /** Inclusive upper bound: a snapshot of the chain, so a scan never chases rows appended during it. */
  untilSeq?: string;
  /** Rows per query: memory stays bounded whatever the table size. */
  batchSize?: number;
}

// Below any seq the writer assigns, so rows a tamperer inserted with seq ≤ 0 are still seen.
const MIN_SEQ = '-9223372036854775808';

/** Oldest first, in batches, one short query per batch (no connection held between batches). */
export async function* scanAuditEvents(pool: pg.Pool, filter: AuditFilter, options: ScanOptions = {}): AsyncGenerator<AuditRecord[]> {
  const batchSize = options.batchSize ?? 1000;
  let after = options.afterSeq ?? MIN_SEQ;
  for (;;) {
    const params: unknown[] = [];
    const where = conditions(filter, params);
    params.push(after);
    where.push(`seq > $${params.length}::bigint`);
    if (options.untilSeq !== undefined) {
      params.push(options.untilSeq);
      where.push(`seq <= $${params.length}::bigint`);
    }
    params.push(batchSize);
    const { rows } = await pool.query<AuditRecord>(
      `SELECT ${RECORD_COLUMNS} FROM audit_event WHERE ${where.join(' AND ')} ORDER BY audit_event.seq LIMIT $${params.length}`,
      params,
    );
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1].seq;
  }
}

/**
 * The `llm.response` row answering the `llm.request` row `q` (LEFT JOIN LATERAL … r ON true), found through the
 * (patient_id, seq) index: the first later row of the same patient naming q in details.requestEventId, up to `$until`.
 */
export const attemptResultJoin = (until: string) => `LEFT JOIN LATERAL (
    SELECT r.id, r.seq::text AS seq, r.outcome, r.details,
           to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "recordedAt"
      FROM audit_event r
     WHERE q.action = 'llm.request' AND r.patient_id = q.patient_id AND r.seq > q.seq AND r.seq <= ${until}
       AND r.action = 'llm.response' AND r.details->>'requestEventId' = q.id::text
     ORDER BY r.seq LIMIT 1
  ) r ON true`;

const MAX_SEQ = '9223372036854775807';

/**
 * As scanAuditEvents, for the FHIR export: `llm.response` rows are left out and each `llm.request` row carries the
 * response row answering it (committed by `untilSeq`), so one outbound request is one event.
 */
export async function* scanFoldedAuditEvents(
  pool: pg.Pool,
  filter: AuditFilter,
  options: ScanOptions = {},
): AsyncGenerator<FhirExportRow[]> {
  const batchSize = options.batchSize ?? 1000;
  let after = options.afterSeq ?? MIN_SEQ;
  const until = options.untilSeq ?? MAX_SEQ;
  for (;;) {
    const params: unknown[] = [];
    const where = conditions(filter, params, 'q');
    params.push(after);
    where.push(`q.seq > $${params.length}::bigint`);
    params.push(until);
    const untilParam = `$${params.length}::bigint`;
    where.push(`q.seq <= ${untilParam}`, `q.action <> 'llm.response'`);
    params.push(batchSize);
    const { rows } = await pool.query<AuditRecord & { result: AttemptResult | null }>(
      `SELECT ${recordColumns('q')},
              CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object('id', r.id, 'seq', r.seq, 'recordedAt', r."recordedAt", 'outcome', r.outcome, 'details', r.details) END AS result
         FROM audit_event q ${attemptResultJoin(untilParam)}
        WHERE ${where.join(' AND ')} ORDER BY q.seq LIMIT $${params.length}`,
      params,
    );
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1].seq;
  }
}

/**
 * The seq range a time window can touch, found once through the recorded_at index: later batch
 * queries then walk a bounded stretch of the seq index instead of filtering the whole table.
 * Exact even if the DB clock ever stepped back: every matching row lies between the two seqs.
 */
export async function seqBounds(
  pool: pg.Pool,
  window: { from?: Date; to?: Date },
): Promise<{ afterSeq?: string; untilSeq?: string } | null> {
  if (!window.from && !window.to) return {};
  const { rows } = await pool.query<{ first: string | null; last: string | null }>(
    `SELECT (SELECT min(seq)::text FROM audit_event WHERE recorded_at >= coalesce($1, '-infinity'::timestamptz)) AS first,
            (SELECT max(seq)::text FROM audit_event WHERE recorded_at < coalesce($2, 'infinity'::timestamptz)) AS last`,
    [window.from ?? null, window.to ?? null],
  );
  const { first, last } = rows[0];
  if (first === null || last === null || BigInt(first) > BigInt(last)) return null;
  return { afterSeq: (BigInt(first) - 1n).toString(), untilSeq: last };
}

/** The chain head as it is now: every row up to its seq is committed. */
export async function readChainHead(pool: pg.Pool): Promise<{ seq: string; hash: string }> {
  const { rows } = await pool.query<{ seq: string; hash: string }>('SELECT seq::text AS seq, hash FROM audit_chain_head WHERE id = 1');
  if (rows.length !== 1) throw new Error('audit chain head is missing: migrations not applied');
  return rows[0];
}
