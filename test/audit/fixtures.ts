// Shared audit test fixtures: one realistic row per action, and direct (superuser) database helpers.
import pg from 'pg';
import {
  chainHash,
  GENESIS_HASH,
  llmAuditHooks,
  RECORD_COLUMNS,
  type AuditEventInput,
  type AuditRecord,
  type AuditWriter,
} from '../../src/audit';
import type { AttemptStart } from '../../src/llm';

export const PATIENT = '7d1f3c2e-8a4b-4c5d-9e6f-0a1b2c3d4e5f';
const REQUEST_ROW = '0b6a1f4e-2c3d-4e5f-8a9b-0c1d2e3f4a5b';

const llmTarget = { provider: 'openai', type: 'openai', model: 'gpt-4o-mini', host: 'api.openai.com', baa: true };

/** One input per kind of row the service writes (and both outcomes of verification). */
export const SAMPLE_INPUTS: Record<string, AuditEventInput> = {
  'summary.read': {
    action: 'summary.read',
    outcome: 'success',
    actorId: 'clin-1',
    actorRoles: ['clinician'],
    patientId: PATIENT,
    purposeOfUse: 'TREAT',
    requestId: 'req-1',
    target: null,
    details: {
      windowDays: 7,
      source: 'llm',
      provider: 'openai',
      model: 'gpt-4o-mini',
      grounded: true,
      promptVersion: 'v1',
      fingerprint: 'f'.repeat(64),
      clientAddress: '::ffff:10.1.2.3',
    },
  },
  'patient.list': {
    action: 'patient.list',
    outcome: 'success',
    actorId: 'clin-1',
    actorRoles: ['clinician'],
    patientId: PATIENT,
    purposeOfUse: 'TREAT',
    requestId: 'req-7',
    target: null,
    details: { wardId: '3c2e8a4b-4c5d-4e6f-8a1b-2c3d4e5f7d1f', identifiersShown: ['name', 'birthDate', 'mrn'], clientAddress: '10.1.2.3' },
  },
  'llm.request': {
    id: REQUEST_ROW,
    action: 'llm.request',
    outcome: 'success',
    actorId: 'clin-1',
    actorRoles: ['clinician'],
    patientId: PATIENT,
    purposeOfUse: 'TREAT',
    requestId: 'req-1',
    target: llmTarget,
    details: {
      attempt: 1,
      providerAttempt: 1,
      hedge: false,
      requestBytes: 2048,
      requestSha256: 'a'.repeat(64),
      dataCategories: ['vital signs', 'NEWS2', 'medication adherence', 'care note excerpts'],
      promptVersion: 'v1',
      windowDays: 7,
      purpose: 'treatment: shift summary',
    },
  },
  'llm.response': {
    action: 'llm.response',
    outcome: 'serious_failure',
    actorId: 'clin-1',
    actorRoles: ['clinician'],
    patientId: PATIENT,
    purposeOfUse: 'TREAT',
    requestId: 'req-1',
    target: llmTarget,
    details: {
      requestEventId: REQUEST_ROW,
      attempt: 1,
      hedge: false,
      status: 503,
      result: '5xx',
      latencyMs: 812.5,
      inputTokens: null,
      outputTokens: null,
    },
  },
  'service summary.read': {
    action: 'summary.read',
    outcome: 'success',
    actorId: 'ward-board',
    actorRoles: ['service'],
    patientId: PATIENT,
    purposeOfUse: 'TREAT',
    requestId: 'req-2',
    target: null,
    details: {
      windowDays: 3,
      source: 'fallback',
      provider: null,
      model: null,
      grounded: true,
      promptVersion: 'v1',
      fingerprint: 'e'.repeat(64),
      clientAddress: '192.0.2.7',
    },
  },
  'audit.read': {
    action: 'audit.read',
    outcome: 'success',
    actorId: 'officer-1',
    actorRoles: ['compliance'],
    patientId: PATIENT,
    purposeOfUse: 'HOPERAT',
    requestId: 'req-3',
    target: null,
    details: {
      view: 'list',
      filters: { patientId: PATIENT, from: '2026-01-01T00:00:00.000Z', limit: 50 },
      returned: 12,
      clientAddress: '10.9.8.7',
    },
  },
  'audit.export': {
    action: 'audit.export',
    outcome: 'success',
    actorId: 'officer-1',
    actorRoles: ['compliance'],
    patientId: null,
    purposeOfUse: 'HOPERAT',
    requestId: 'req-4',
    target: null,
    details: { format: 'fhir', filters: { action: 'llm.request' } },
  },
  'audit.verify': {
    action: 'audit.verify',
    outcome: 'success',
    actorId: 'officer-1',
    actorRoles: ['compliance'],
    patientId: null,
    purposeOfUse: 'HOPERAT',
    requestId: 'req-5',
    target: null,
    details: { ok: true, checked: 10, firstBrokenId: null, firstBrokenSeq: null, reason: null, headSeq: '10', headHash: 'b'.repeat(64) },
  },
  'audit.verify failure': {
    action: 'audit.verify',
    outcome: 'serious_failure',
    actorId: 'officer-1',
    actorRoles: ['compliance'],
    patientId: null,
    purposeOfUse: 'HOPERAT',
    requestId: 'req-6',
    target: null,
    details: {
      ok: false,
      checked: 4,
      firstBrokenId: REQUEST_ROW,
      firstBrokenSeq: '4',
      reason: 'hash_mismatch',
      headSeq: '10',
      headHash: 'b'.repeat(64),
    },
  },
};

/** A stored-looking record for unit tests (no database): hashed like the writer does. */
export function sampleRecord(input: AuditEventInput, seq = 1, prevHash = GENESIS_HASH): AuditRecord {
  const unhashed = {
    id: input.id ?? `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    seq: String(seq),
    recordedAt: '2026-11-25T10:15:30.123456Z',
    action: input.action,
    outcome: input.outcome,
    actorId: input.actorId,
    actorRoles: input.actorRoles,
    patientId: input.patientId ?? null,
    purposeOfUse: input.purposeOfUse,
    requestId: input.requestId,
    target: input.target ?? null,
    details: input.details,
    prevHash,
  };
  return { ...unhashed, hash: chainHash(unhashed) };
}

export const readEvent = (n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput => ({
  action: 'summary.read',
  outcome: 'success',
  actorId: `clinician-${n % 5}`,
  actorRoles: ['clinician'],
  patientId: PATIENT,
  purposeOfUse: 'TREAT',
  requestId: `req-${n}`,
  target: null,
  details: { windowDays: 7, n },
  ...overrides,
});

/** Runs SQL as the superuser with triggers off: how an attacker with database access would tamper. */
export async function asTamperer(url: string, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    await fn(client);
  } finally {
    await client.end();
  }
}

export async function allRows(pool: pg.Pool): Promise<AuditRecord[]> {
  const { rows } = await pool.query<AuditRecord>(`SELECT ${RECORD_COLUMNS} FROM audit_event ORDER BY audit_event.seq`);
  return rows;
}

/** One outbound attempt through the LLM client's audit hooks: its llm.request row, then its (queued) llm.response. */
export async function recordAttempt(audit: AuditWriter, patientId: string, requestId: string): Promise<string> {
  const hooks = llmAuditHooks(audit);
  const start: AttemptStart = {
    provider: 'openai',
    type: 'openai',
    model: 'm',
    host: 'api.example.com',
    baa: true,
    attempt: 1,
    providerAttempt: 1,
    hedge: false,
    requestBytes: 10,
    requestSha256: 'd'.repeat(64),
    meta: {
      actorId: 'c',
      actorRoles: ['clinician'],
      patientId,
      purposeOfUse: 'TREAT',
      requestId,
      dataCategories: ['vital signs'],
      promptVersion: 'v1',
      windowDays: 7,
    },
  };
  const id = await hooks.beforeAttempt(start);
  await hooks.afterAttempt({ ...start, auditEventId: id, status: 200, outcome: 'success', latencyMs: 5 });
  return id;
}
