// Loads what the clinical domain needs about patients' windows in ONE query (one round trip per request).
import type { AdministrationStatus, Consciousness, PatientWeek } from '../clinical/types';
import type { Db } from './client';

export interface LoadedWeek {
  wardId: string;
  bed: string;
  week: PatientWeek;
  /** With `recentSummaries`: the patient's newest cached summaries (unparsed), so a cache hit costs no extra query. */
  recentSummaries: { fingerprint: string; summary: unknown }[];
  /** The patient's data version when loaded (database triggers give it a new one on any change to its rows). */
  dataVersion: string;
  /** The earliest observation, dose or note time after the window's end (epoch ms), or null: when a row will enter. */
  nextRowAt: number | null;
}

export interface LoadOptions {
  /** Also read up to this many of the patient's newest summary_cache rows in the same query (default 0). */
  recentSummaries?: number;
}

interface Row {
  id: string;
  ward_id: string;
  bed: string;
  mrn: string;
  given_name: string;
  family_name: string;
  birth_date: string;
  hypercapnic: boolean;
  data_version: string;
  next_row_at: Date | null;
  // Compact arrays (column order below) keep the JSON small for a whole ward.
  observations: [
    string,
    string,
    number | null,
    number | null,
    number,
    boolean | null,
    number | null,
    number | null,
    number | null,
    Consciousness | null,
    number | null,
  ][];
  medications: [string, string, string][];
  administrations: [string, string, string, AdministrationStatus][];
  notes: [string, string, string, string, string][];
  recent: [string, unknown][];
}

/** Which patients a week query reads: $1 is a patient id, a ward id, or an array of patient ids. */
export type WeekFilter = 'patient' | 'ward' | 'patients';
const FILTERS: Record<WeekFilter, string> = {
  patient: 'p.id = $1::uuid',
  ward: 'p.ward_id = $1::uuid',
  patients: 'p.id = ANY($1::uuid[])',
};

/**
 * The week loader's one statement (exported for bench:service's EXPLAIN). Parameters: $1 the filter's value, $2 and $3
 * the window (timestamptz), $4 how many recent summary_cache rows to bring along.
 */
export function weekSql(filter: WeekFilter): string {
  return `
    SELECT p.id, p.ward_id, p.bed, p.mrn, p.given_name, p.family_name,
           to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
           p.hypercapnic_respiratory_failure AS hypercapnic,
           p.data_version::text AS data_version,
           (SELECT min(t) FROM (
              SELECT min(o.taken_at) AS t FROM vital_sign_observation o WHERE o.patient_id = p.id AND o.taken_at > $3::timestamptz
              UNION ALL SELECT min(a.due_at) FROM medication_administration a WHERE a.patient_id = p.id AND a.due_at > $3::timestamptz
              UNION ALL SELECT min(n.authored_at) FROM care_note n WHERE n.patient_id = p.id AND n.authored_at > $3::timestamptz) later) AS next_row_at,
           COALESCE((SELECT json_agg(json_build_array(o.id, o.taken_at, o.respiratory_rate, o.spo2, o.spo2_scale, o.on_oxygen,
                                                      o.systolic_bp, o.diastolic_bp, o.heart_rate, o.consciousness, o.temperature_c)
                                     ORDER BY o.taken_at)
                       FROM vital_sign_observation o
                      WHERE o.patient_id = p.id AND o.taken_at BETWEEN $2::timestamptz AND $3::timestamptz), '[]') AS observations,
           COALESCE((SELECT json_agg(json_build_array(m.id, m.drug, m.drug_class) ORDER BY m.started_at, m.id)
                       FROM medication_order m WHERE m.patient_id = p.id), '[]') AS medications,
           COALESCE((SELECT json_agg(json_build_array(a.id, a.order_id, a.due_at, a.status) ORDER BY a.due_at, a.id)
                       FROM medication_administration a
                      WHERE a.patient_id = p.id AND a.due_at BETWEEN $2::timestamptz AND $3::timestamptz), '[]') AS administrations,
           COALESCE((SELECT json_agg(json_build_array(n.id, n.authored_at, n.author_role, n.category, n.text) ORDER BY n.authored_at, n.id)
                       FROM care_note n
                      WHERE n.patient_id = p.id AND n.authored_at BETWEEN $2::timestamptz AND $3::timestamptz), '[]') AS notes,
           COALESCE((SELECT json_agg(json_build_array(c.fingerprint, c.summary))
                       FROM (SELECT fingerprint, summary FROM summary_cache
                              WHERE patient_id = p.id ORDER BY created_at DESC LIMIT $4::int) c), '[]') AS recent
      FROM patient p
     WHERE ${FILTERS[filter]}
     ORDER BY p.bed`;
}

const SQL: Record<WeekFilter, string> = { patient: weekSql('patient'), ward: weekSql('ward'), patients: weekSql('patients') };

function loadRows(
  db: Db,
  filter: WeekFilter,
  value: string | string[],
  window: { from: Date; to: Date },
  { recentSummaries = 0 }: LoadOptions,
): Promise<Row[]> {
  // Parameterised (never interpolated): the text is one of three fixed statements.
  return db.$queryRawUnsafe<Row[]>(SQL[filter], value, window.from, window.to, recentSummaries);
}

function toLoadedWeek(row: Row, window: { from: Date; to: Date }): LoadedWeek {
  const week: PatientWeek = {
    patientId: row.id,
    window,
    hypercapnicRespiratoryFailure: row.hypercapnic,
    observations: row.observations.map(([id, takenAt, rr, spo2, scale, onOxygen, sbp, dbp, hr, acvpu, temp]) => ({
      id,
      takenAt: new Date(takenAt),
      respiratoryRate: rr,
      spo2,
      spo2Scale: scale === 2 ? 2 : 1,
      onOxygen,
      systolicBp: sbp,
      diastolicBp: dbp,
      heartRate: hr,
      consciousness: acvpu,
      temperatureC: temp === null ? null : Number(temp),
    })),
    medications: row.medications.map(([orderId, drug, drugClass]) => ({ orderId, drug, drugClass })),
    administrations: row.administrations.map(([id, orderId, dueAt, status]) => ({ id, orderId, dueAt: new Date(dueAt), status })),
    notes: row.notes.map(([id, authoredAt, authorRole, category, text]) => ({
      id,
      authoredAt: new Date(authoredAt),
      authorRole,
      category,
      text,
    })),
    identifiers: { givenName: row.given_name, familyName: row.family_name, mrn: row.mrn, birthDate: row.birth_date, bed: row.bed },
  };
  return {
    wardId: row.ward_id,
    bed: row.bed,
    week,
    recentSummaries: row.recent.map(([fingerprint, summary]) => ({ fingerprint, summary })),
    dataVersion: row.data_version,
    nextRowAt: row.next_row_at === null ? null : new Date(row.next_row_at).getTime(),
  };
}

export async function loadPatientWeek(
  db: Db,
  patientId: string,
  window: { from: Date; to: Date },
  options: LoadOptions = {},
): Promise<LoadedWeek | null> {
  const rows = await loadRows(db, 'patient', patientId, window, options);
  return rows.length ? toLoadedWeek(rows[0], window) : null;
}

/** Every patient of a ward, ordered by bed. */
export async function loadWardWeeks(
  db: Db,
  wardId: string,
  window: { from: Date; to: Date },
  options: LoadOptions = {},
): Promise<LoadedWeek[]> {
  const rows = await loadRows(db, 'ward', wardId, window, options);
  return rows.map((row) => toLoadedWeek(row, window));
}

/** The given patients' weeks (those that exist), ordered by bed. */
export async function loadPatientWeeks(
  db: Db,
  patientIds: string[],
  window: { from: Date; to: Date },
  options: LoadOptions = {},
): Promise<LoadedWeek[]> {
  if (patientIds.length === 0) return [];
  const rows = await loadRows(db, 'patients', patientIds, window, options);
  return rows.map((row) => toLoadedWeek(row, window));
}

/** A patient's data version, and the summary_cache row for a fingerprint when one is asked for. */
export interface PatientVersion {
  id: string;
  version: string;
  /** The cached summary (unparsed) for the fingerprint asked about, or null. */
  summary: unknown;
}

/** The patient's data version and the cached summary of `fingerprint` (null: no such patient): two index lookups. */
export async function patientDataVersion(db: Db, patientId: string, fingerprint: string | null): Promise<PatientVersion | null> {
  const rows = await db.$queryRawUnsafe<PatientVersion[]>(
    `SELECT p.id::text AS id, p.data_version::text AS version,
            (SELECT c.summary FROM summary_cache c WHERE c.patient_id = p.id AND c.fingerprint = $2::text) AS summary
       FROM patient p WHERE p.id = $1::uuid`,
    patientId,
    fingerprint,
  );
  return rows[0] ?? null;
}

/** Every patient of a ward with its data version (and the cached summary of the fingerprint `fingerprintOf` gives), by bed. */
export async function wardDataVersions(
  db: Db,
  wardId: string,
  fingerprintOf: (patientId: string) => string | null,
): Promise<PatientVersion[]> {
  const patients = await db.$queryRawUnsafe<{ id: string; version: string }[]>(
    'SELECT id::text AS id, data_version::text AS version FROM patient WHERE ward_id = $1::uuid ORDER BY bed',
    wardId,
  );
  const asked = patients.flatMap((p) => {
    const fingerprint = fingerprintOf(p.id);
    return fingerprint ? [{ id: p.id, fingerprint }] : [];
  });
  if (asked.length === 0) return patients.map((p) => ({ ...p, summary: null }));
  const summaries = await db.$queryRawUnsafe<{ id: string; summary: unknown }[]>(
    `SELECT c.patient_id::text AS id, c.summary FROM unnest($1::uuid[], $2::text[]) AS f(patient_id, fingerprint)
       JOIN summary_cache c ON c.patient_id = f.patient_id AND c.fingerprint = f.fingerprint`,
    asked.map((a) => a.id),
    asked.map((a) => a.fingerprint),
  );
  const byId = new Map(summaries.map((r) => [r.id, r.summary]));
  return patients.map((p) => ({ ...p, summary: byId.get(p.id) ?? null }));
}
