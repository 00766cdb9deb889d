// Ward rounds: fingerprint cache, single-flight, two instances, ETag/304, NDJSON, prewarm, indexes.
import request from 'supertest';
import { carefulReply } from '../support/careful-answer';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';
import { prewarmWard } from '../../src/services/prewarm';
import { SingleFlight } from '../../src/services/single-flight';
import type { SummaryFlight } from '../../src/services/summary-core';

let upstream: FakeUpstream;
let a: TestApp;
let b: TestApp;
let wardId: string;
let patients: { id: string; bed: string }[];

// Every patient's answer must now say what matters (a high NEWS2, a missed anticoagulant...): a careful model's.
const answer = carefulReply;
const yaml = (url: string) => `
providers:
  - { name: local, type: openai, base_url: ${url}, api_key: test-key, model: fake-model, weight: 100 }
routing: { strategy: failover, fallback_on: [5xx, timeout, 429, connection], attempt_timeout_ms: 3000, deadline_ms: 6000, retries_per_provider: 0 }
`;

/** Re-checks `condition` on every turn of the event loop until it holds (bounded). */
async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The instances' clock: the real one, unless a test holds it still. */
let heldAt: Date | null = null;
const now = () => heldAt ?? new Date();

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: answer() });
  a = await startTestApp({ llmYaml: yaml(upstream.url), instance: 'instance-a', now });
  // A second stateless instance on the same database.
  b = await startTestApp({ llmYaml: yaml(upstream.url), instance: 'instance-b', database: a.database, now });
  const ward = await a.db.ward.findFirstOrThrow({ where: { code: 'W2' }, include: { patients: { orderBy: { bed: 'asc' } } } });
  wardId = ward.id;
  patients = ward.patients;
});

afterAll(async () => {
  await b.close();
  await a.close();
  await upstream.close();
});

async function summary(app: TestApp, patientId: string) {
  const token = await app.token(['clinician']);
  return request(app.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
}

async function reads(patientId: string): Promise<number> {
  const { rows } = await a.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'summary.read' AND patient_id = $1`, [
    patientId,
  ]);
  return rows[0].n;
}

test('a matching fingerprint is served from the cache with no model call, and the read is still audited', async () => {
  const id = patients[0].id;
  const first = await summary(a, id);
  expect(first.body.source).toBe('llm');
  const calls = upstream.requests.length;
  const readsBefore = await reads(id);
  const second = await summary(b, id); // the other instance: the cache is shared in PostgreSQL
  expect(second.body).toMatchObject({ source: 'cache', provider: 'local', model: 'fake-model', summary: first.body.summary });
  expect(second.body.auditEventId).not.toBe(first.body.auditEventId);
  expect(upstream.requests.length).toBe(calls);
  expect(await reads(id)).toBe(readsBefore + 1);
});

test('new data makes a new fingerprint and a new summary: no stale summary is served as current', async () => {
  const id = patients[1].id;
  await summary(a, id);
  const calls = upstream.requests.length;
  await a.db.vitalSignObservation.create({
    data: {
      patientId: id,
      takenAt: new Date(Date.now() - 60_000),
      respiratoryRate: 26,
      spo2: 90,
      onOxygen: true,
      systolicBp: 95,
      diastolicBp: 60,
      heartRate: 125,
      consciousness: 'A',
      temperatureC: 38.6,
    },
  });
  const after = await summary(a, id);
  expect(after.body.source).toBe('llm');
  expect(upstream.requests.length).toBe(calls + 1);
  expect(after.body.facts.news2.latest.total).toBeGreaterThanOrEqual(7);
});

test('single-flight: 8 concurrent reads of one uncached patient make one model call', async () => {
  const id = patients[2].id;
  const calls = upstream.requests.length;
  // Hold the model's answer until all 8 readers have joined the one flight.
  upstream.onRequest(() => until(() => flightsFor(a) >= 8, '8 callers on one flight'));
  const responses = await Promise.all(Array.from({ length: 8 }, () => summary(a, id)));
  upstream.onRequest(null);
  expect(upstream.requests.length).toBe(calls + 1);
  expect(new Set(responses.map((r) => r.body.summary)).size).toBe(1);
  expect(new Set(responses.map((r) => r.body.auditEventId)).size).toBe(8);
});

function flightsFor(app: TestApp): number {
  // The test does not know the fingerprint; any key with callers is the one in flight.
  let most = 0;
  for (const key of (app.flights as unknown as { inFlight: Map<string, unknown> }).inFlight.keys())
    most = Math.max(most, app.flights.callers(key));
  return most;
}

test('two instances reading the same uncached patient at once make one model call (claims + LISTEN/NOTIFY)', async () => {
  const id = patients[3].id;
  const calls = upstream.requests.length;
  // Instance A's call is held until instance B is waiting on A's claim.
  upstream.onRequest(() => until(() => (b.store?.waiting() ?? 0) >= 1, 'instance B to wait on the claim'));
  const [ra, rb] = await Promise.all([
    summary(a, id),
    until(() => upstream.requests.length > calls, 'A to call the model').then(() => summary(b, id)),
  ]);
  upstream.onRequest(null);
  expect(upstream.requests.length).toBe(calls + 1);
  expect(ra.body.source).toBe('llm');
  expect(rb.body.source).toBe('cache');
  expect(rb.body.summary).toBe(ra.body.summary);
});

test('getOrClaim: a miss is claimed by exactly one instance; once completed, every instance reads the summary', async () => {
  const key = { patientId: patients[10].id, fingerprint: `test-${Date.now()}` };
  const [first, second] = await Promise.all([a.store!.getOrClaim(key), b.store!.getOrClaim(key)]);
  expect([first.claimed, second.claimed].sort()).toEqual([false, true]);
  expect(first.summary).toBeNull();
  expect(second.summary).toBeNull();
  const winner = first.claimed ? a.store! : b.store!;
  const stored = {
    sentences: [{ text: 'Stable week.', facts: [] }],
    provider: 'local',
    model: 'fake-model',
    generatedAt: new Date().toISOString(),
  };
  await winner.complete(key, stored);
  for (const store of [a.store!, b.store!]) await expect(store.getOrClaim(key)).resolves.toEqual({ summary: stored, claimed: false });
});

test('ward batch: every patient in one response, ETag and If-None-Match → 304, new data → new ETag', async () => {
  const token = await a.token(['clinician']);
  // Held still while revalidating: a 0.1 h step of every "hours ago" between the reads would rightly change the ETag.
  heldAt = new Date();
  const res = await request(a.app).get(`/v1/wards/${wardId}/summaries?days=7`).set('Authorization', `Bearer ${token}`).expect(200);
  expect(res.body.results).toHaveLength(12);
  expect(res.body.results.every((r: { status: string }) => r.status === 'ok')).toBe(true);
  expect(res.body.results.map((r: { bed: string }) => r.bed)).toEqual(patients.map((p) => p.bed));
  const etag = res.headers.etag;
  expect(etag).toMatch(/^".+"$/);

  const calls = upstream.requests.length;
  const again = await request(a.app)
    .get(`/v1/wards/${wardId}/summaries`)
    .set('Authorization', `Bearer ${token}`)
    .set('If-None-Match', etag)
    .expect(304);
  expect(again.text).toBe('');
  expect(upstream.requests.length).toBe(calls);

  const cached = await request(a.app).get(`/v1/wards/${wardId}/summaries`).set('Authorization', `Bearer ${token}`).expect(200);
  expect(cached.body.results.every((r: { summary: { source: string } }) => r.summary.source === 'cache')).toBe(true);
  heldAt = null;

  await a.db.careNote.create({
    data: {
      patientId: patients[5].id,
      authoredAt: new Date(Date.now() - 1000),
      authorRole: 'nurse',
      category: 'nursing',
      text: 'Unwitnessed fall at the bedside, no injury.',
    },
  });
  const changed = await request(a.app)
    .get(`/v1/wards/${wardId}/summaries`)
    .set('Authorization', `Bearer ${token}`)
    .set('If-None-Match', etag)
    .expect(200);
  expect(changed.headers.etag).not.toBe(etag);
  expect(upstream.requests.length).toBe(calls + 1);
});

test('ward batch streams NDJSON, one line per patient as results arrive', async () => {
  const token = await a.token(['clinician']);
  const res = await request(a.app)
    .get(`/v1/wards/${wardId}/summaries?format=ndjson`)
    .set('Authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => done(null, text));
    })
    .expect(200);
  expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
  const lines = (res.body as string)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(lines).toHaveLength(12);
  expect(new Set(lines.map((l) => l.patientId)).size).toBe(12);
});

test('ward scoping applies to the batch, and prewarm is for the service role only', async () => {
  const other = await a.db.ward.findFirstOrThrow({ where: { code: 'W1' } });
  const scoped = await a.token(['clinician'], { wardIds: [other.id] });
  await request(a.app).get(`/v1/wards/${wardId}/summaries`).set('Authorization', `Bearer ${scoped}`).expect(403);
  const clinician = await a.token(['clinician']);
  await request(a.app).post(`/v1/wards/${wardId}/prewarm`).set('Authorization', `Bearer ${clinician}`).expect(403);
});

test('prewarm generates every summary of a ward ahead, audited as its caller; a ward round then hits the cache', async () => {
  const ward = await a.db.ward.findFirstOrThrow({ where: { code: 'W1' } });
  const service = await a.token(['service'], { sub: 'prewarm-job' });
  const calls = upstream.requests.length;
  const res = await request(a.app).post(`/v1/wards/${ward.id}/prewarm?wait=true`).set('Authorization', `Bearer ${service}`).expect(200);
  expect(res.body).toMatchObject({ ran: true, summaries: 12, failures: 0 });
  expect(upstream.requests.length).toBe(calls + 12);
  const { rows } = await a.pool.query(
    `SELECT DISTINCT actor_id, purpose_of_use FROM audit_event e JOIN patient p ON p.id = e.patient_id WHERE p.ward_id = $1 AND action = 'llm.request'`,
    [ward.id],
  );
  expect(rows).toEqual([{ actor_id: 'prewarm-job', purpose_of_use: 'TREAT' }]);

  const clinician = await a.token(['clinician']);
  const round = await request(a.app).get(`/v1/wards/${ward.id}/summaries`).set('Authorization', `Bearer ${clinician}`).expect(200);
  expect(round.body.results.every((r: { summary: { source: string } }) => r.summary.source === 'cache')).toBe(true);
  expect(upstream.requests.length).toBe(calls + 12);
});

test('a shift slot is prewarmed by exactly one instance', async () => {
  const ward = await a.db.ward.findFirstOrThrow({ where: { code: 'W1' } });
  const options = { days: 7, concurrency: 2, perMinute: 6000 };
  const depsA = { db: a.db, audit: a.audit, completer: null, store: null, flights: new SingleFlight<SummaryFlight>() };
  const depsB = { db: b.db, audit: b.audit, completer: null, store: null, flights: new SingleFlight<SummaryFlight>() };
  const [ra, rb] = await Promise.all([
    prewarmWard(depsA, ward.id, '2026-11-26T07:00@Europe/London', { ...options, instance: 'a' }),
    prewarmWard(depsB, ward.id, '2026-11-26T07:00@Europe/London', { ...options, instance: 'b' }),
  ]);
  expect([ra.ran, rb.ran].sort()).toEqual([false, true]);
  const { rows } = await a.pool.query(`SELECT started_by, summaries FROM prewarm_run WHERE slot = '2026-11-26T07:00@Europe/London'`);
  expect(rows).toHaveLength(1);
  expect(rows[0].summaries).toBe(12);
});

test('the per-patient window queries can use the (patient, time) indexes', async () => {
  const client = await a.pool.connect();
  try {
    await client.query('SET enable_seqscan = off');
    for (const [table, column] of [
      ['vital_sign_observation', 'taken_at'],
      ['medication_administration', 'due_at'],
      ['care_note', 'authored_at'],
    ]) {
      const { rows } = await client.query(`EXPLAIN SELECT * FROM ${table} WHERE patient_id = $1 AND ${column} BETWEEN $2 AND $3`, [
        patients[0].id,
        new Date(0),
        new Date(),
      ]);
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(new RegExp(`Index.*${table}_patient_id_${column}_idx`));
    }
  } finally {
    client.release();
  }
});
