// On-demand prewarm: only the caller's wards, rate-limited per subject, one shared pace, and the caller named in
// every row it causes; the schedule's own runs stay `shiftnote-prewarm`.
import request from 'supertest';
import { carefulReply } from '../support/careful-answer';
import { oneProviderYaml, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';
import { prewarmWard } from '../../src/services/prewarm';
import { SingleFlight } from '../../src/services/single-flight';
import type { SummaryFlight } from '../../src/services/summary-core';

let upstream: FakeUpstream;
let t: TestApp;
let w1: string;
let w2: string;

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: carefulReply() });
  t = await startTestApp({
    llmYaml: oneProviderYaml(upstream.url),
    prewarmRateLimit: { perMinute: 3 },
    prewarm: { concurrency: 4, perMinute: 60_000, instance: 'test-instance' },
  });
  w1 = (await t.db.ward.findFirstOrThrow({ where: { code: 'W1' } })).id;
  w2 = (await t.db.ward.findFirstOrThrow({ where: { code: 'W2' } })).id;
});

afterAll(async () => {
  await t.close();
  await upstream.close();
});

const llmRowsFor = async (wardId: string) =>
  (
    await t.pool.query(
      `SELECT e.action, e.actor_id, e.actor_roles, e.request_id FROM audit_event e JOIN patient p ON p.id = e.patient_id
        WHERE p.ward_id = $1 AND e.action IN ('llm.request', 'llm.response') ORDER BY e.seq`,
      [wardId],
    )
  ).rows;

test("a service token limited to W1 cannot prewarm W2: 403, and no model call or audit row for W2's patients", async () => {
  const scoped = await t.token(['service'], { sub: 'w1-job', wardIds: [w1] });
  const calls = upstream.requests.length;
  const res = await request(t.app).post(`/v1/wards/${w2}/prewarm?wait=true`).set('Authorization', `Bearer ${scoped}`).expect(403);
  expect(res.body.error).toMatchObject({ code: 'forbidden' });
  expect(upstream.requests.length).toBe(calls);
  expect(await llmRowsFor(w2)).toEqual([]);
});

test('an on-demand prewarm names its caller in the run row and in every audit row it causes, under the request id', async () => {
  const scoped = await t.token(['service'], { sub: 'w1-job', wardIds: [w1] });
  const res = await request(t.app).post(`/v1/wards/${w1}/prewarm?wait=true`).set('Authorization', `Bearer ${scoped}`).expect(200);
  expect(res.body).toMatchObject({ ran: true, summaries: 12, failures: 0 });
  // Result rows are queued behind the requests: wait for the writer to drain before reading them.
  await t.audit.settled();
  const rows = await llmRowsFor(w1);
  expect(rows.filter((r) => r.action === 'llm.request')).toHaveLength(12);
  expect(new Set(rows.map((r) => `${r.actor_id}|${r.actor_roles.join(',')}|${r.request_id}`))).toEqual(
    new Set([`w1-job|service|${res.headers['x-request-id']}`]),
  );
  const { rows: runs } = await t.pool.query('SELECT requested_by FROM prewarm_run WHERE slot = $1', [res.body.slot]);
  expect(runs).toEqual([{ requested_by: 'w1-job' }]);
});

test("the schedule's own run stays shiftnote-prewarm", async () => {
  await t.db.summaryCache.deleteMany({});
  const slot = '2026-12-01T07:00@Europe/London';
  const before = (await llmRowsFor(w1)).length;
  const outcome = await prewarmWard(
    {
      db: t.db,
      audit: t.audit,
      completer: t.completer,
      store: t.store,
      modelKey: 'local:fake-model',
      flights: new SingleFlight<SummaryFlight>(),
    },
    w1,
    slot,
    { days: 7, concurrency: 2, perMinute: 6000, instance: 'test-instance' },
  );
  expect(outcome).toMatchObject({ ran: true, summaries: 12 });
  await t.audit.settled();
  const rows = (await llmRowsFor(w1)).slice(before);
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((r) => r.actor_id))).toEqual(new Set(['shiftnote-prewarm']));
  const { rows: runs } = await t.pool.query('SELECT requested_by FROM prewarm_run WHERE slot = $1', [slot]);
  expect(runs).toEqual([{ requested_by: 'shiftnote-prewarm' }]);
});

test('prewarm POSTs are rate-limited per subject: beyond the bucket, 429 in the envelope with Retry-After, nothing started', async () => {
  const flood = await t.token(['service'], { sub: 'flood-job' });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await request(t.app).post(`/v1/wards/${w2}/prewarm`).set('Authorization', `Bearer ${flood}`);
    statuses.push(res.status);
    if (res.status === 429) {
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body.error).toMatchObject({ code: 'too_many_requests' });
    }
  }
  expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
  const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM prewarm_run WHERE requested_by = 'flood-job'`);
  expect(rows[0].n).toBe(3);
  // Another subject has its own bucket.
  const other = await t.token(['service'], { sub: 'other-job' });
  await request(t.app).post(`/v1/wards/${w2}/prewarm`).set('Authorization', `Bearer ${other}`).expect(202);
  // The started runs finish before the app closes.
  const started = Date.now();
  for (;;) {
    const { rows: open } = await t.pool.query(
      `SELECT count(*)::int AS n FROM prewarm_run WHERE requested_by IN ('flood-job', 'other-job') AND ended_at IS NULL`,
    );
    if (open[0].n === 0) break;
    if (Date.now() - started > 20_000) throw new Error('prewarm runs did not finish');
    await new Promise((resolve) => setImmediate(resolve));
  }
  await t.audit.settled();
}, 30_000);
