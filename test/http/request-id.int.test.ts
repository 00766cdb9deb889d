// A client's X-Request-Id is kept beside ours, never instead of it: audit rows carry a server-made id, so a client
// cannot make its rows share an id with another request's (one reused a prewarm run's id).
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let patientId: string;
let token: string;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  t = await startTestApp();
  patientId = (await t.db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' } })).id;
  token = await t.token(['clinician']);
});
afterAll(() => t.close());

test("the audit row gets our id; the client's is echoed and recorded beside it", async () => {
  const res = await request(t.app)
    .get(`/v1/patients/${patientId}/summary`)
    .set('Authorization', `Bearer ${token}`)
    .set('X-Request-Id', 'prewarm-1234')
    .expect(200);
  expect(res.headers['x-request-id']).toMatch(UUID);
  expect(res.headers['x-client-request-id']).toBe('prewarm-1234');
  const { rows } = await t.pool.query('SELECT request_id, details FROM audit_event WHERE id = $1', [res.body.auditEventId]);
  expect(rows[0].request_id).toBe(res.headers['x-request-id']);
  expect(rows[0].details.clientRequestId).toBe('prewarm-1234');
  const reuse = await t.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE request_id = 'prewarm-1234'`);
  expect(reuse.rows[0].n).toBe(0);
});

test('two requests with the same client id get two ids; an error envelope names ours', async () => {
  const a = await request(t.app).get('/v1/wards').set('Authorization', `Bearer ${token}`).set('X-Request-Id', 'same');
  const b = await request(t.app).get('/v1/nope').set('X-Request-Id', 'same');
  expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  expect(b.body.error.requestId).toBe(b.headers['x-request-id']);
  expect(b.headers['x-client-request-id']).toBe('same');
});

test('a malformed client id is not echoed or recorded', async () => {
  const res = await request(t.app)
    .get(`/v1/patients/${patientId}/summary`)
    .set('Authorization', `Bearer ${token}`)
    .set('X-Request-Id', 'has spaces and ; semicolons')
    .expect(200);
  expect(res.headers['x-client-request-id']).toBeUndefined();
  const { rows } = await t.pool.query('SELECT details FROM audit_event WHERE id = $1', [res.body.auditEventId]);
  expect(rows[0].details.clientRequestId).toBeUndefined();
});
