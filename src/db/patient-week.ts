// Loads what the clinical domain needs about patients' windows in ONE query (one round trip per request).
import { Prisma } from '../generated/prisma/client';
import type { AdministrationStatus, Consciousness, PatientWeek } from '../clinical/types';
import type { Db } from './client';

export interface LoadedWeek {
  wardId: string;
  bed: string;
  week: PatientWeek;
  /** With `recentSummaries`: the patient's newest cached summaries (unparsed), so a cache hit costs no extra query. */
  recentSummaries: { fingerprint: string; summary: unknown }[];
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
  // Compact arrays (column order below) keep the JSON small for a whole ward.
  observations: [string, string, number | null, number | null, number, boolean | null, number | null, number | null, number | null, Consciousness | null, number | null][];
  medications: [string, string, string][];
  administrations: [string, string, string, AdministrationStatus][];
  notes: [string, string, string, string, string][];
  recent: [string, unknown][];
}

function loadRows(db: Db, where: Prisma.Sql, window: { from: Date; to: Date }, { recentSummaries = 0 }: LoadOptions): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    SELECT p.id, p.ward_id, p.bed, p.mrn, p.given_name, p.family_name,
           to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
           p.hypercapnic_respiratory_failure AS hypercapnic,
           COALESCE((SELECT json_agg(json_build_array(o.id, o.taken_at, o.respiratory_rate, o.spo2, o.spo2_scale, o.on_oxygen,
                                                      o.systolic_bp, o.diastolic_bp, o.heart_rate, o.consciousness, o.temperature_c)
                                     ORDER BY o.taken_at)
                       FROM vital_sign_observation o
                      WHERE o.patient_id = p.id AND o.taken_at BETWEEN ${window.from} AND ${window.to}), '[]') AS observations,
           COALESCE((SELECT json_agg(json_build_array(m.id, m.drug, m.drug_class) ORDER BY m.started_at, m.id)
                       FROM medication_order m WHERE m.patient_id = p.id), '[]') AS medications,
           COALESCE((SELECT json_agg(json_build_array(a.id, a.order_id, a.due_at, a.status) ORDER BY a.due_at, a.id)
                       FROM medication_administration a
                      WHERE a.patient_id = p.id AND a.due_at BETWEEN ${window.from} AND ${window.to}), '[]') AS administrations,
           COALESCE((SELECT json_agg(json_build_array(n.id, n.authored_at, n.author_role, n.category, n.text) ORDER BY n.authored_at, n.id)
                       FROM care_note n
                      WHERE n.patient_id = p.id AND n.authored_at BETWEEN ${window.from} AND ${window.to}), '[]') AS notes,
           COALESCE((SELECT json_agg(json_build_array(c.fingerprint, c.summary))
                       FROM (SELECT fingerprint, summary FROM summary_cache
                              WHERE patient_id = p.id ORDER BY created_at DESC LIMIT ${recentSummaries}) c), '[]') AS recent
      FROM patient p
     WHERE ${where}
     ORDER BY p.bed`;
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
    notes: row.notes.map(([id, authoredAt, authorRole, category, text]) => ({ id, authoredAt: new Date(authoredAt), authorRole, category, text })),
    identifiers: { givenName: row.given_name, familyName: row.family_name, mrn: row.mrn, birthDate: row.birth_date, bed: row.bed },
  };
  return { wardId: row.ward_id, bed: row.bed, week, recentSummaries: row.recent.map(([fingerprint, summary]) => ({ fingerprint, summary })) };
}

export async function loadPatientWeek(db: Db, patientId: string, window: { from: Date; to: Date }, options: LoadOptions = {}): Promise<LoadedWeek | null> {
  const rows = await loadRows(db, Prisma.sql`p.id = ${patientId}::uuid`, window, options);
  return rows.length ? toLoadedWeek(rows[0], window) : null;
}

/** Every patient of a ward, ordered by bed. */
export async function loadWardWeeks(db: Db, wardId: string, window: { from: Date; to: Date }, options: LoadOptions = {}): Promise<LoadedWeek[]> {
  const rows = await loadRows(db, Prisma.sql`p.ward_id = ${wardId}::uuid`, window, options);
  return rows.map((row) => toLoadedWeek(row, window));
}
