// Finding a patient for compliance by the MRN a person typed (or by id): one normalisation, applied to both sides.
import type pg from 'pg';

/**
 * How a typed MRN is compared: Unicode NFKC (full-width digits and letters become ASCII), upper case, and every
 * space and hyphen-like dash removed — "syn 010-7919" finds SYN0107919. Nothing else is ignored: what remains
 * must be letters and digits.
 */
export function normalizeMrn(typed: string): string {
  return typed.normalize('NFKC').toUpperCase().replace(MRN_SEPARATORS, '');
}

// Whitespace (incl. NBSP and other Unicode spaces) and the dashes people and word processors type.
const MRN_SEPARATORS = /[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
export const MRN_PATTERN = /^[A-Z0-9]{1,64}$/;

// The same normalisation in SQL, for stored MRNs that are not in canonical form.
// (The ASCII hyphen last in the bracket, where it is a literal.)
const STORED_NORMALIZED = `upper(regexp_replace(normalize(mrn, NFKC), '[[:space:]\u00a0\u2000-\u200b\u202f\u205f\u3000\u2010-\u2015\u2212\ufe58\ufe63\uff0d-]', '', 'g'))`;

export interface PatientRef {
  id: string;
  mrn: string;
}

export type MrnLookup = { found: PatientRef } | { found: null; ambiguous: boolean };

/**
 * The patient whose MRN equals `mrn` once both are normalised. The unique index answers when the stored MRN is
 * already canonical; otherwise one scan. Two patients equal under normalisation → ambiguous (nobody is picked).
 */
export async function findPatientByMrn(pool: pg.Pool, mrn: string): Promise<MrnLookup> {
  const canonical = normalizeMrn(mrn);
  const exact = await pool.query<PatientRef>('SELECT id, mrn FROM patient WHERE mrn = $1', [canonical]);
  const rows = exact.rows.length
    ? exact.rows
    : (await pool.query<PatientRef>(`SELECT id, mrn FROM patient WHERE ${STORED_NORMALIZED} = $1 LIMIT 2`, [canonical])).rows;
  if (rows.length === 1) return { found: rows[0] };
  return { found: null, ambiguous: rows.length > 1 };
}

export async function findPatientById(pool: pg.Pool, id: string): Promise<PatientRef | null> {
  const { rows } = await pool.query<PatientRef>('SELECT id, mrn FROM patient WHERE id = $1', [id]);
  return rows[0] ?? null;
}
