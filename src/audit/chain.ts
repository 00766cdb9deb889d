// The audit hash chain: canonical JSON of a row and its SHA-256 link to the previous row.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A stored audit row, as hashed and as returned by the review API. */
export interface AuditRecord {
  id: string;
  seq: string;
  /** Database clock, UTC, microseconds: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  recordedAt: string;
  action: string;
  outcome: string;
  actorId: string;
  actorRoles: string[];
  patientId: string | null;
  purposeOfUse: string;
  requestId: string;
  target: Json;
  details: Json;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash = SHA-256(prevHash ‖ canonical JSON of every field but the hash itself). */
export function chainHash(row: Omit<AuditRecord, 'hash'>): string {
  const { prevHash, ...fields } = row;
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}
