// Accounting of disclosures (45 CFR 164.528): one entry per outbound LLM attempt, with recipient, description, purpose, outcome.
import request from 'supertest';
import { llmAuditHooks, type DisclosureContext } from '../../src/audit';
import type { AttemptStart } from '../../src/llm';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let officer: string;
let patientId: string;
let otherPatientId: string;

const context = (patient: string): DisclosureContext => ({
  actorId: 'clin-7',
  actorRoles: ['clinician'],
  patientId: patient,
  purposeOfUse: 'TREAT',
  requestId: 'req-disclose',
  dataCategories: ['vital signs', 'medication adherence', 'care note excerpts'],
  promptVersion: 'v1',
  windowDays: 5,
});

const attempt = (patient: string, provider: string, n: number): AttemptStart => ({
  provider,
  type: 'openai',
  model: `${provider}-model`,
  host: `${provider}.example.com`,
  baa: provider === 'openai' ? true : false,
  attempt: n,
  providerAttempt: 1,
  hedge: false,
  requestBytes: 1500,
  requestSha256: 'c'.repeat(64),
  meta: { ...context(patient) },
});

beforeAll(async () => {
  t = await startTestApp();
  officer = await t.token(['compliance'], { sub: 'officer-2' });
  const patients = await t.db.patient.findMany({ select: { id: true }, take: 2, orderBy: { mrn: 'asc' } });
  [patientId, otherPatientId] = patients.map((p) => p.id);
  const hooks = llmAuditHooks(t.audit);
  // Attempt 1 fails over (503), attempt 2 succeeds on the fallback provider, attempt 3 never got an answer (crash).
  const first = await hooks.beforeAttempt(attempt(patientId, 'openai', 1));
  await hooks.afterAttempt({ ...attempt(patientId, 'openai', 1), auditEventId: first, status: 503, outcome: '5xx', latencyMs: 120 });
  const second = await hooks.beforeAttempt(attempt(patientId, 'anthropic', 2));
  await t.audit.append({
    action: 'summary.read',
    outcome: 'success',
    actorId: 'clin-7',
    actorRoles: ['clinician'],
    patientId,
    purposeOfUse: 'TREAT',
    requestId: 'x',
    details: { windowDays: 5 },
  });
  await hooks.afterAttempt({
    ...attempt(patientId, 'anthropic', 2),
    auditEventId: second,
    status: 200,
    outcome: 'success',
    latencyMs: 800,
    usage: { inputTokens: 900, outputTokens: 120 },
  });
  await hooks.beforeAttempt(attempt(patientId, 'openai', 3));
  // Someone else's disclosure must not appear.
  await hooks.beforeAttempt(attempt(otherPatientId, 'openai', 1));
});

afterAll(async () => {
  await t.close();
});

const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${officer}`);

test('one entry per outbound attempt for that patient, oldest first, each with its outcome', async () => {
  const res = await get(`/v1/patients/${patientId}/disclosures`);
  expect(res.status).toBe(200);
  expect(res.body.patientId).toBe(patientId);
  expect(res.body.disclosures).toHaveLength(3);
  const [a, b, c] = res.body.disclosures;
  expect(a).toMatchObject({
    date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    recipient: { provider: 'openai', host: 'openai.example.com', baa: true },
    description:
      'vital signs, medication adherence, care note excerpts, 5 days, identifiers redacted by pattern before sending (not certified de-identification)',
    purpose: 'treatment: shift summary',
    requestedBy: 'clin-7',
    outcome: 'serious_failure',
    httpStatus: 503,
  });
  expect(b).toMatchObject({
    recipient: { provider: 'anthropic', baa: false },
    outcome: 'success',
    httpStatus: 200,
    responseEventId: expect.any(String),
  });
  expect(c).toMatchObject({ attempt: 3, outcome: null, responseEventId: null });
  // Each entry names its audit row, which is the llm.request row whose id went out as X-Audit-Event-Id.
  const { rows } = await t.pool.query(`SELECT id FROM audit_event WHERE action = 'llm.request' AND patient_id = $1 ORDER BY seq`, [
    patientId,
  ]);
  expect(res.body.disclosures.map((d: { auditEventId: string }) => d.auditEventId)).toEqual(rows.map((r) => r.id));
});

test('the accounting is itself audited (audit.read for that patient)', async () => {
  const res = await get(`/v1/patients/${patientId}/disclosures?from=2000-01-01`);
  const { rows } = await t.pool.query(`SELECT action, patient_id, purpose_of_use, details FROM audit_event WHERE id = $1`, [
    res.headers['x-audit-event-id'],
  ]);
  expect(rows[0]).toMatchObject({
    action: 'audit.read',
    patient_id: patientId,
    purpose_of_use: 'HOPERAT',
    details: { view: 'disclosures', filters: { from: '2000-01-01T00:00:00.000Z' } },
  });
});

test('the time window bounds the accounting', async () => {
  expect((await get(`/v1/patients/${patientId}/disclosures?to=2000-01-01`)).body.disclosures).toEqual([]);
  expect((await get(`/v1/patients/${patientId}/disclosures?from=2000-01-01&to=2999-01-01`)).body.disclosures).toHaveLength(3);
});

test('unknown patient 404, malformed id or window 400, clinician 403', async () => {
  expect((await get('/v1/patients/00000000-0000-4000-8000-000000000000/disclosures')).status).toBe(404);
  expect((await get('/v1/patients/nope/disclosures')).status).toBe(400);
  expect((await get(`/v1/patients/${patientId}/disclosures?from=2026-02-01&to=2026-01-01`)).status).toBe(400);
  expect((await get(`/v1/patients/${patientId}/disclosures?days=7`)).status).toBe(400);
  const clinician = await t.token(['clinician']);
  const res = await request(t.app).get(`/v1/patients/${patientId}/disclosures`).set('Authorization', `Bearer ${clinician}`);
  expect(res.status).toBe(403);
});
