// Claims: a live owner's claim holds while it generates (renewed), a dead owner's is free once its database session
// is gone (or, with no session named, when it lapses); old cache and claim rows are pruned on a schedule.
import pg from 'pg';
import request from 'supertest';
import { loadPatientWeek } from '../../src/db/patient-week';
import { keyWeek } from '../../src/services/summary-core';
import { carefulReply } from '../support/careful-answer';
import { oneProviderYaml, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

let upstream: FakeUpstream;
let a: TestApp;
let b: TestApp;
let patients: string[];

const yaml = (url: string) => oneProviderYaml(url, { attemptTimeoutMs: 8000, deadlineMs: 9000 });

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: carefulReply() });
  // A short TTL, so the slow-model case below outlasts it several times over and only renewals keep the claim.
  a = await startTestApp({ llmYaml: yaml(upstream.url), instance: 'instance-a', claimTtlMs: 1500 });
  b = await startTestApp({ llmYaml: yaml(upstream.url), instance: 'instance-b', database: a.database, claimTtlMs: 1500 });
  patients = (await a.db.patient.findMany({ orderBy: { bed: 'asc' }, select: { id: true } })).map((p) => p.id);
});

afterAll(async () => {
  await b.close();
  await a.close();
  await upstream.close();
});

const read = async (app: TestApp, patientId: string) =>
  request(app.app)
    .get(`/v1/patients/${patientId}/summary`)
    .set('Authorization', `Bearer ${await app.token(['clinician'])}`)
    .expect(200);

/** The fingerprint instance B will compute for a patient's week now (what a claim is keyed by). */
async function fingerprintOf(patientId: string): Promise<string> {
  const now = new Date();
  const loaded = await loadPatientWeek(b.db, patientId, { from: new Date(now.getTime() - 7 * 86_400_000), to: now });
  return keyWeek({ db: b.db, audit: b.audit, completer: b.completer, modelKey: 'local:fake-model' }, loaded!).fingerprint;
}

test('a claim whose owner died (never renewed) is taken over within its 3 s, not after the 10 s wait', async () => {
  const patientId = patients[0];
  const fingerprint = await fingerprintOf(patientId);
  // What a SIGKILLed instance leaves: a claim it renewed a moment ago and never will again.
  await a.pool.query(
    `INSERT INTO summary_claim (patient_id, fingerprint, claimed_by, expires_at) VALUES ($1, $2, 'killed-instance', now() + interval '3 seconds')`,
    [patientId, fingerprint],
  );
  const started = performance.now();
  const res = await read(b, patientId);
  const waited = performance.now() - started;
  expect(res.body.source).toBe('llm');
  expect(waited).toBeGreaterThan(2500);
  // Generous for a loaded machine; before, the reader waited out claimWaitMs (10 s here, deadline + 1 s in production).
  expect(waited).toBeLessThan(7000);
});

test("a claim whose owner's database session is gone is free at once, however far off its expiry", async () => {
  const patientId = patients[4];
  const fingerprint = await fingerprintOf(patientId);
  // A claim an instance took an hour's TTL on, then died: PostgreSQL closes its session with it.
  const owner = new pg.Client({ connectionString: a.database.url });
  await owner.connect();
  const { rows } = await owner.query<{ pid: number; started: string }>(
    'SELECT pid, backend_start::text AS started FROM pg_stat_activity WHERE pid = pg_backend_pid()',
  );
  await a.pool.query(
    `INSERT INTO summary_claim (patient_id, fingerprint, claimed_by, expires_at, owner_pid, owner_started) VALUES ($1, $2, 'killed-instance', now() + interval '1 hour', $3, $4)`,
    [patientId, fingerprint, rows[0].pid, rows[0].started],
  );
  await owner.end();
  const started = performance.now();
  const res = await read(b, patientId);
  expect(res.body.source).toBe('llm');
  // Well inside the 10 s a waiter would otherwise wait before generating anyway.
  expect(performance.now() - started).toBeLessThan(5000);
  const { rows: claims } = await a.pool.query('SELECT 1 FROM summary_claim WHERE patient_id = $1 AND fingerprint = $2', [
    patientId,
    fingerprint,
  ]);
  expect(claims).toEqual([]);
});

test('a live owner keeps its claim past the TTL while the model is slow: the other instance waits and shares its answer', async () => {
  const patientId = patients[1];
  upstream.script([{ ...carefulReply(), delayMs: 4500 }]);
  const calls = upstream.requests.length;
  const first = read(a, patientId);
  await upstream.waitForRequests(calls + 1);
  const second = await read(b, patientId);
  await first;
  expect(second.body.source).toBe('cache');
  expect(upstream.requests.length).toBe(calls + 1);
});

test("a claim won just after another instance completed (its commit after our statement's snapshot) shares that answer", async () => {
  const patientId = patients[5];
  // A's answer for this week, taken out of the cache for a moment so that B's week read does not see it.
  await read(a, patientId);
  const { rows: stored } = await a.pool.query('DELETE FROM summary_cache WHERE patient_id = $1 RETURNING fingerprint, summary', [
    patientId,
  ]);
  expect(stored).toHaveLength(1);
  const calls = upstream.requests.length;
  // The race: B's read-or-claim saw no cache row (its snapshot older than A's commit) and its claim found no claim row
  // (A's completion had deleted it): B holds a claim on a fingerprint whose summary is already stored.
  const store = b.store!;
  const original = store.getOrClaim.bind(store);
  store.getOrClaim = async (key) => {
    await a.pool.query('INSERT INTO summary_cache (patient_id, fingerprint, summary) VALUES ($1, $2, $3)', [
      patientId,
      stored[0].fingerprint,
      stored[0].summary,
    ]);
    return { summary: null, claimed: await store.claim(key) };
  };
  try {
    const res = await read(b, patientId);
    expect(res.body.source).toBe('cache');
  } finally {
    store.getOrClaim = original;
  }
  expect(upstream.requests.length).toBe(calls);
  const { rows } = await a.pool.query('SELECT 1 FROM summary_claim WHERE patient_id = $1', [patientId]);
  expect(rows).toEqual([]);
});

test('old cache rows and lapsed claims are pruned on a schedule; fresh ones stay', async () => {
  const store = a.store!;
  const [old, fresh] = [patients[2], patients[3]];
  await a.pool.query(
    `INSERT INTO summary_cache (patient_id, fingerprint, summary, created_at) VALUES ($1, 'old', '{}', now() - interval '3 days'), ($2, 'fresh', '{}', now())`,
    [old, fresh],
  );
  await a.pool.query(
    `INSERT INTO summary_claim (patient_id, fingerprint, claimed_by, expires_at) VALUES ($1, 'lapsed', 'x', now() - interval '1 minute'), ($2, 'live', 'x', now() + interval '1 hour')`,
    [old, fresh],
  );
  const count = async () =>
    (
      await a.pool.query(
        `SELECT (SELECT count(*)::int FROM summary_cache WHERE fingerprint IN ('old', 'fresh')) AS cache, (SELECT count(*)::int FROM summary_claim WHERE fingerprint IN ('lapsed', 'live')) AS claims`,
      )
    ).rows[0];
  const errors: unknown[] = [];
  const pruning = store.schedulePrune({ everyMs: 20, olderThanMs: 48 * 3_600_000 }, (err) => errors.push(err));
  try {
    const started = Date.now();
    while (JSON.stringify(await count()) !== JSON.stringify({ cache: 1, claims: 1 })) {
      if (Date.now() - started > 5000) throw new Error(`not pruned: ${JSON.stringify(await count())}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    pruning.stop();
  }
  expect(errors).toEqual([]);
  const { rows } = await a.pool.query(
    `SELECT fingerprint FROM summary_cache WHERE fingerprint IN ('old', 'fresh') UNION ALL SELECT fingerprint FROM summary_claim WHERE fingerprint IN ('lapsed', 'live')`,
  );
  expect(rows.map((r) => r.fingerprint).sort()).toEqual(['fresh', 'live']);
});
