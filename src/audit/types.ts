// What callers hand the audit store: the facts of one event; the store adds id, seq, time and hash.
import type { Json } from './chain';

// patient.list: a clinician was shown patients' identifiers (name, date of birth, MRN) in a ward listing, one row per patient.
export const AUDIT_ACTIONS = [
  'summary.read',
  'patient.list',
  'llm.request',
  'llm.response',
  'audit.read',
  'audit.export',
  'audit.verify',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** FHIR audit-event-outcome codes: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export type AuditOutcome = 'success' | 'minor_failure' | 'serious_failure' | 'major_failure';

/** HL7 v3 PurposeOfUse: TREAT for care, HOPERAT for compliance operations. */
export type PurposeOfUse = 'TREAT' | 'HOPERAT';

export interface AuditEventInput {
  /** Pre-assigned id (e.g. the id that leaves as X-Audit-Event-Id); generated when absent. */
  id?: string;
  action: AuditAction;
  outcome: AuditOutcome;
  actorId: string;
  actorRoles: string[];
  patientId?: string | null;
  purposeOfUse: PurposeOfUse;
  requestId: string;
  target?: Json;
  /** Never content: hashes, sizes, counts, status, latency, attempt numbers. */
  details: { [key: string]: Json };
}
