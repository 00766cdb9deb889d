// GET /v1/patients/:id/summary end to end on a seeded database: shape, audit, auth and error envelope.
import request from 'supertest';
import pg from 'pg';
import { AuditWriter } from '../../src/audit';
import { createPrisma } from '../../src/db/client';
import { createApp } from '../../src/http/app';
import { hs256Verifier, mintToken } from '../../src/http/auth';
import { createLogger } from '../../src/log';
import { appServices, startTestApp, TEST_SECRET, type TestApp } from '../support/app';

let t: TestApp;
let patientId: string;
let wardId: string;
let otherWardId: string;

beforeAll(async () => {
  t = await startTestApp();
  const wards = await t.db.ward.findMany({ orderBy: { code: 'asc' }, include: { patients: { orderBy: { bed: 'asc' } } } });
  wardId = wards[0].id;
  otherWardId = wards[1].id;
  patientId = wards[0].patients[0].id;
});
afterAll(() => t.close());

const envelope = { error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) } };

test('a clinician gets the fallback summary in the contract shape, and the read is audited', async () => {
  const token = await t.token(['clinician'], { sub: 'nurse-1' });
  const res = await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
  expect(res.headers['x-request-id']).toBeTruthy();
  expect(res.body).toMatchObject({
    patientId,
    window: { from: expect.any(String), to: expect.any(String) },
    summary: expect.any(String),
    source: 'fallback',
    provider: null,
    model: null,
    facts: expect.any(Object),
    grounding: { ok: true, unsupported: [] },
    auditEventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    generatedAt: expect.any(String),
  });
  expect(Date.parse(res.body.window.to) - Date.parse(res.body.window.from)).toBe(7 * 86_400_000);
  const { rows } = await t.pool.query('SELECT action, actor_id, patient_id, purpose_of_use, request_id FROM audit_event WHERE id = $1', [
    res.body.auditEventId,
  ]);
  expect(rows).toEqual([
    {
      action: 'summary.read',
      actor_id: 'nurse-1',
      patient_id: patientId,
      purpose_of_use: 'TREAT',
      request_id: res.headers['x-request-id'],
    },
  ]);
});

test('no identifier of the patient appears in the response', async () => {
  const patient = await t.db.patient.findUniqueOrThrow({ where: { id: patientId } });
  const token = await t.token(['clinician']);
  const res = await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
  const text = JSON.stringify(res.body);
  for (const id of [patient.givenName, patient.familyName, patient.mrn]) expect(text).not.toContain(id);
});

test.each([
  ['no token', 401, undefined],
  ['a malformed token', 401, 'Bearer not-a-jwt'],
  ['a token signed with another secret', 401, 'other'],
  ['an expired token', 401, 'expired'],
])('%s → %i with the envelope', async (_name, status, kind) => {
  let header: string | undefined = kind;
  if (kind === 'other')
    header = `Bearer ${await mintToken('another-secret-another-secret-another-secret', { sub: 'x', roles: ['clinician'] })}`;
  if (kind === 'expired') header = `Bearer ${await mintToken(TEST_SECRET, { sub: 'x', roles: ['clinician'], ttlSeconds: -10 })}`;
  const req = request(t.app).get(`/v1/patients/${patientId}/summary`);
  if (header) req.set('Authorization', header);
  const res = await req.expect(status);
  expect(res.body).toEqual(envelope);
  expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
});

test('a compliance-only token is forbidden from summaries (403), and so is a clinician of another ward', async () => {
  const compliance = await t.token(['compliance']);
  const r1 = await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${compliance}`).expect(403);
  expect(r1.body).toEqual(envelope);
  const otherWard = await t.token(['clinician'], { wardIds: [otherWardId] });
  const r2 = await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${otherWard}`).expect(403);
  expect(r2.body.error.code).toBe('forbidden');
  const ownWard = await t.token(['clinician'], { wardIds: [wardId] });
  await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${ownWard}`).expect(200);
});

test.each([
  ['/v1/patients/not-a-uuid/summary', 400],
  ['/v1/patients/123/summary', 400],
  [`/v1/patients/%ZZ/summary`, 400],
  ['/v1/patients/00000000-0000-4000-8000-000000000000/summary', 404],
  ['/v1/patients/{id}/summary?days=0', 400],
  ['/v1/patients/{id}/summary?days=15', 400],
  ['/v1/patients/{id}/summary?days=abc', 400],
  ['/v1/patients/{id}/summary?days=2.5', 400],
  ['/v1/patients/{id}/summary?unknown=1', 400],
  ['/v1/nowhere', 404],
])('%s → %i with the envelope, no stack trace', async (path, status) => {
  const token = await t.token(['clinician']);
  const res = await request(t.app).get(path.replace('{id}', patientId)).set('Authorization', `Bearer ${token}`).expect(status);
  expect(res.body).toEqual(envelope);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+/);
});

test('a 400 writes no audit row (nothing half-written)', async () => {
  const token = await t.token(['clinician'], { sub: 'bad-input-user' });
  await request(t.app).get('/v1/patients/nope/summary').set('Authorization', `Bearer ${token}`).expect(400);
  const { rows } = await t.pool.query("SELECT count(*)::int AS n FROM audit_event WHERE actor_id = 'bad-input-user'");
  expect(rows[0].n).toBe(0);
});

test('days=3 narrows the window', async () => {
  const token = await t.token(['clinician']);
  const res = await request(t.app).get(`/v1/patients/${patientId}/summary?days=3`).set('Authorization', `Bearer ${token}`).expect(200);
  expect(Date.parse(res.body.window.to) - Date.parse(res.body.window.from)).toBe(3 * 86_400_000);
});

test('the database being down → 503 with the envelope and Retry-After', async () => {
  const deadUrl = 'postgresql://postgres@127.0.0.1:1/none';
  const db = createPrisma(deadUrl, 1);
  const pool = new pg.Pool({ connectionString: deadUrl });
  const app = createApp({
    services: appServices({ db, audit: new AuditWriter(pool), auditPool: pool, completer: null }),
    logger: createLogger('silent'),
    verifier: hs256Verifier(TEST_SECRET),
    defaultDays: 7,
    readiness: { check: async () => ({ ok: false, details: {} }) },
  });
  const token = await mintToken(TEST_SECRET, { sub: 'x', roles: ['clinician'] });
  const res = await request(app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`).expect(503);
  expect(res.body).toEqual(envelope);
  expect(res.body.error.code).toBe('unavailable');
  expect(res.headers['retry-after']).toBeDefined();
  await db.$disconnect();
  await pool.end();
});

test('wards list and ward patients respect ward scoping', async () => {
  const scoped = await t.token(['clinician'], { wardIds: [wardId] });
  const list = await request(t.app).get('/v1/wards').set('Authorization', `Bearer ${scoped}`).expect(200);
  expect(list.body.wards.map((w: { id: string }) => w.id)).toEqual([wardId]);
  const patients = await request(t.app).get(`/v1/wards/${wardId}/patients`).set('Authorization', `Bearer ${scoped}`).expect(200);
  expect(patients.body.patients).toHaveLength(12);
  await request(t.app).get(`/v1/wards/${otherWardId}/patients`).set('Authorization', `Bearer ${scoped}`).expect(403);
});

test('probes answer without auth', async () => {
  await request(t.app).get('/healthz').expect(200, { status: 'ok' });
  await request(t.app).get('/readyz').expect(200);
});
