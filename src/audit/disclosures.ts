// Accounting of disclosures (45 CFR 164.528): one entry per outbound LLM attempt for a patient.
import type pg from 'pg';
import type { Json } from './chain';
import { disclosureDescription } from './fhir';
import { attemptResultJoin } from './reader';

export interface Disclosure {
  auditEventId: string;
  seq: string;
  /** When the attempt was recorded (committed before the request left). */
  date: string;
  recipient: { provider: string | null; host: string | null; model: string | null; baa: Json };
  description: string;
  purpose: string;
  requestedBy: string;
  attempt: Json;
  /** From the llm.response row answering this attempt; null when none was recorded (e.g. a crash mid-call). */
  outcome: string | null;
  responseEventId: string | null;
  httpStatus: Json;
}

interface Row {
  id: string;
  seq: string;
  recordedAt: string;
  actorId: string;
  target: Json;
  details: Json;
  responseId: string | null;
  responseOutcome: string | null;
  responseDetails: Json;
}

type JsonObject = { [key: string]: Json };
const obj = (v: Json): JsonObject => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const str = (v: Json | undefined): string | null => (typeof v === 'string' ? v : null);

function toDisclosure(row: Row): Disclosure {
  const target = obj(row.target);
  const d = obj(row.details);
  return {
    auditEventId: row.id,
    seq: row.seq,
    date: row.recordedAt,
    recipient: { provider: str(target.provider), host: str(target.host), model: str(target.model), baa: target.baa ?? null },
    description: disclosureDescription(d),
    purpose: str(d.purpose) ?? 'treatment: shift summary',
    requestedBy: row.actorId,
    attempt: d.attempt ?? null,
    outcome: row.responseOutcome,
    responseEventId: row.responseId,
    httpStatus: obj(row.responseDetails).status ?? null,
  };
}

/** Oldest first, keyset batches; the response row is found through details.requestEventId. */
export async function* scanDisclosures(
  pool: pg.Pool,
  patientId: string,
  window: { from?: Date; to?: Date },
  batchSize = 500,
): AsyncGenerator<Disclosure[]> {
  let after = '0';
  for (;;) {
    const { rows } = await pool.query<Row>(
      `SELECT q.id, q.seq::text AS seq,
              to_char(q.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "recordedAt",
              q.actor_id AS "actorId", q.target, q.details,
              r.id AS "responseId", r.outcome AS "responseOutcome", r.details AS "responseDetails"
         FROM audit_event q ${attemptResultJoin("'9223372036854775807'::bigint")}
        WHERE q.patient_id = $1 AND q.action = 'llm.request' AND q.seq > $2::bigint
          AND q.recorded_at >= coalesce($3, '-infinity'::timestamptz) AND q.recorded_at < coalesce($4, 'infinity'::timestamptz)
        ORDER BY q.seq LIMIT $5`,
      [patientId, after, window.from ?? null, window.to ?? null, batchSize],
    );
    if (rows.length > 0) yield rows.map(toDisclosure);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1].seq;
  }
}
