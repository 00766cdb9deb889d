// A summary through the real failover client to a fake OpenAI upstream: audit committed before the wire.
import pg from 'pg';
import request from 'supertest';
import { carefulReply } from '../support/careful-answer';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

let upstream: FakeUpstream;
let t: TestApp;
let observer: pg.Client;
let patientId: string;
const seenCommitted: { id: string; found: boolean; action?: string }[] = [];

// A careful model: each patient's answer says what matters, or grounding would (rightly) turn it down.
const grounded = carefulReply;

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: grounded() });
  t = await startTestApp({
    llmYaml: `
providers:
  - name: local
    type: openai
    base_url: ${upstream.url}
    api_key: test-key
    model: fake-model
    weight: 100
routing:
  strategy: failover
  fallback_on: [5xx, timeout, 429, connection]
  attempt_timeout_ms: 2000
  deadline_ms: 5000
  retries_per_provider: 0
`,
  });
  // The upstream's own connection to the database: what it sees on arrival is what was committed.
  observer = new pg.Client({ connectionString: t.database.url });
  await observer.connect();
  upstream.onRequest(async (req) => {
    const id = String(req.headers['x-audit-event-id'] ?? '');
    const { rows } = await observer.query('SELECT action FROM audit_event WHERE id = $1', [id]);
    seenCommitted.push({ id, found: rows.length === 1, action: rows[0]?.action });
  });
  const patient = await t.db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' } });
  patientId = patient.id;
});

afterAll(async () => {
  await observer.end();
  await t.close();
  await upstream.close();
});

test('the llm.request row is committed before the request arrives; llm.response and summary.read follow', async () => {
  const token = await t.token(['clinician'], { sub: 'dr-wire' });
  const res = await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
  expect(res.body).toMatchObject({ source: 'llm', provider: 'local', model: 'fake-model', grounding: { ok: true } });
  expect(res.body.summary).toMatch(/^Latest (partial )?NEWS2 \d+ \((at least )?[a-z-]+ risk\), [\d.]+ h ago\./);

  expect(upstream.requests).toHaveLength(1);
  expect(seenCommitted).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), found: true, action: 'llm.request' }]);

  const { rows } = await t.pool.query(
    `SELECT id, action, actor_id, patient_id, target, details FROM audit_event WHERE request_id = $1 ORDER BY seq`,
    [res.headers['x-request-id']],
  );
  expect(rows.map((r) => r.action)).toEqual(['llm.request', 'llm.response', 'summary.read']);
  const [req, resp, read] = rows;
  expect(req.id).toBe(seenCommitted[0].id);
  expect(req).toMatchObject({
    actor_id: 'dr-wire',
    patient_id: patientId,
    target: { provider: 'local', model: 'fake-model', host: expect.stringContaining('127.0.0.1') },
  });
  // The audit row carries the SHA-256 of the exact bytes sent, never the prompt itself.
  const { createHash } = await import('node:crypto');
  expect(req.details.requestSha256).toBe(createHash('sha256').update(upstream.requests[0].body).digest('hex'));
  expect(JSON.stringify(rows)).not.toContain('noteExcerpts');
  expect(resp.details).toMatchObject({ requestEventId: req.id, status: 200, result: 'success' });
  expect(read.id).toBe(res.body.auditEventId);
});

test('the prompt that leaves carries no name, MRN, date of birth or bed label of the patient', async () => {
  const patient = await t.db.patient.findUniqueOrThrow({ where: { id: patientId } });
  const body = upstream.requests[0].body;
  for (const identifier of [
    patient.givenName,
    patient.familyName,
    patient.mrn,
    patient.birthDate.toISOString().slice(0, 10),
    patient.bed,
  ]) {
    expect(body.toLowerCase()).not.toContain(identifier.toLowerCase());
  }
  expect(upstream.requests[0].headers.authorization).toBe('Bearer test-key');
});

test('when every provider fails the clinician still gets the facts-based fallback, and each attempt was audited', async () => {
  upstream.reset();
  upstream.setDefault({ status: 503, json: { error: 'down' } });
  const other = await t.db.patient.findFirstOrThrow({ where: { NOT: { id: patientId } }, orderBy: { bed: 'desc' } });
  const token = await t.token(['clinician']);
  const res = await request(t.app).get(`/v1/patients/${other.id}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
  expect(res.body).toMatchObject({ source: 'fallback', provider: null, grounding: { ok: true } });
  expect(res.body.summary).toMatch(/NEWS2/);
  const { rows } = await t.pool.query(`SELECT action, outcome FROM audit_event WHERE request_id = $1 ORDER BY seq`, [
    res.headers['x-request-id'],
  ]);
  const sent = upstream.requests.length;
  expect(sent).toBeGreaterThan(0);
  expect(rows.filter((r) => r.action === 'llm.request')).toHaveLength(sent);
  expect(rows.filter((r) => r.action === 'llm.response').every((r) => r.outcome === 'serious_failure')).toBe(true);
  expect(rows.at(-1)).toEqual({ action: 'summary.read', outcome: 'success' });
  upstream.reset();
  upstream.setDefault(grounded());
});
