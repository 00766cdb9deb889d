// The week memo (a cached read compares the patient's data version instead of re-loading and re-scoring the week):
// any change to the patient's rows, written straight into the database, invalidates it; "hours ago" stays current;
// every read is still audited. An app without the memo, on the same database and clock, is the reference.
import request from 'supertest';
import { carefulReply } from '../support/careful-answer';
import { oneProviderYaml, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

let upstream: FakeUpstream;
let memo: TestApp;
let plain: TestApp;
let clock = new Date();
let wardId: string;
let otherWardId: string;
let patients: string[];

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: carefulReply() });
  memo = await startTestApp({ llmYaml: oneProviderYaml(upstream.url), now: () => clock, instance: 'memo' });
  plain = await startTestApp({
    llmYaml: oneProviderYaml(upstream.url),
    now: () => clock,
    instance: 'plain',
    database: memo.database,
    memo: false,
  });
  const wards = await memo.db.ward.findMany({ orderBy: { code: 'asc' }, include: { patients: { orderBy: { bed: 'asc' } } } });
  const ward = wards.find((w) => w.patients.length >= 6)!;
  wardId = ward.id;
  otherWardId = wards.find((w) => w.id !== wardId)!.id;
  patients = ward.patients.map((p) => p.id);
});
afterAll(async () => {
  await plain.close();
  await memo.close();
  await upstream.close();
});

const get = async (app: TestApp, path: string, wardIds?: string[]) =>
  request(app.app)
    .get(path)
    .set('Authorization', `Bearer ${await app.token(['clinician'], { sub: 'memo-reader', wardIds })}`);
const summary = async (app: TestApp, id: string, days = 7) => (await get(app, `/v1/patients/${id}/summary?days=${days}`)).body;
/** What a reader is shown that the clock or the data decide (not the audit row id, nor when a summary was made). */
const shown = (b: Record<string, any>) => ({ facts: b.facts, window: b.window, summary: b.summary, grounding: b.grounding });

/** Counts the week loader's statements on the memo app's Prisma client while `fn` runs. */
async function weekLoads(fn: () => Promise<void>): Promise<number> {
  const spy = jest.spyOn(memo.db, '$queryRawUnsafe');
  try {
    await fn();
    return spy.mock.calls.filter(([sql]) => String(sql).includes('json_agg')).length;
  } finally {
    spy.mockRestore();
  }
}

test('a second read is a memo hit (no week load), audited, with the same body as a full load at the same clock', async () => {
  const id = patients[0];
  // 14 days: the whole seeded week is inside, so no row leaves the window in the next minutes (that reloads it).
  await summary(memo, id, 14);
  const reads = async () =>
    (await memo.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'summary.read' AND patient_id = $1`, [id])).rows[0].n;
  const before = await reads();
  // Same clock; a later one is the next test (the stored summary is written out again from the facts at that clock).
  let hit: Record<string, any> = {};
  expect(await weekLoads(async () => void (hit = await summary(memo, id, 14)))).toBe(0);
  expect(hit.source).toBe('cache');
  expect(await reads()).toBe(before + 1);
  const { rows } = await memo.pool.query('SELECT action, details FROM audit_event WHERE id = $1', [hit.auditEventId]);
  expect(rows[0]).toMatchObject({ action: 'summary.read', details: expect.objectContaining({ source: 'cache' }) });
  expect(shown(hit)).toEqual(shown(await summary(plain, id, 14)));
});

test('as the clock moves a cached summary stays cached, its "hours ago" written out again from the facts at that clock', async () => {
  const id = patients[6]; // bed 7, deteriorating: observed every 2–3 h, so 20 minutes later it is still not overdue
  const first = await summary(memo, id, 14);
  expect(first.source).toBe('llm');
  const calls = upstream.requests.length;
  clock = new Date(clock.getTime() + 20 * 60_000); // past three 0.1 h steps of "hours ago"
  const [later, reference] = [await summary(memo, id, 14), await summary(plain, id, 14)];
  for (const body of [later, reference]) {
    expect(body).toMatchObject({ source: 'cache', grounding: { ok: true } });
    expect(body.facts.news2.latest.hoursAgo).toBeGreaterThan(first.facts.news2.latest.hoursAgo);
    expect(body.summary).toContain(`${body.facts.news2.latest.hoursAgo} h ago`);
    expect(body.summary).not.toContain(`${first.facts.news2.latest.hoursAgo} h ago`);
  }
  expect(shown(later)).toEqual(shown(reference));
  expect(upstream.requests.length).toBe(calls);
});

test.each([
  [
    'a new observation',
    (id: string) =>
      memo.pool.query(
        `INSERT INTO vital_sign_observation (id, patient_id, taken_at, respiratory_rate, spo2, on_oxygen, systolic_bp, diastolic_bp, heart_rate, consciousness, temperature_c)
     VALUES (gen_random_uuid(), $1, $2, 27, 89, true, 92, 55, 128, 'A', 38.9)`,
        [id, new Date(clock.getTime() - 60_000)],
      ),
  ],
  [
    'a changed observation',
    (id: string) =>
      memo.pool.query(
        `UPDATE vital_sign_observation SET heart_rate = heart_rate + 7 WHERE id = (SELECT id FROM vital_sign_observation WHERE patient_id = $1 ORDER BY taken_at DESC LIMIT 1)`,
        [id],
      ),
  ],
  [
    'a deleted note',
    (id: string) =>
      memo.pool.query(
        `DELETE FROM care_note WHERE id = (SELECT id FROM care_note WHERE patient_id = $1 ORDER BY authored_at DESC LIMIT 1)`,
        [id],
      ),
  ],
  [
    'a missed dose',
    (id: string) =>
      memo.pool.query(
        `INSERT INTO medication_administration (id, order_id, patient_id, due_at, status)
     SELECT gen_random_uuid(), id, patient_id, $2, 'missed' FROM medication_order WHERE patient_id = $1 LIMIT 1`,
        [id, new Date(clock.getTime() - 30 * 60_000)],
      ),
  ],
  [
    'the scale-2 flag on the patient',
    (id: string) =>
      memo.pool.query(`UPDATE patient SET hypercapnic_respiratory_failure = NOT hypercapnic_respiratory_failure WHERE id = $1`, [id]),
  ],
])('%s, written straight into the database, invalidates the memo: the next read shows it', async (_what, change) => {
  const id =
    patients[
      1 +
        ['a new observation', 'a changed observation', 'a deleted note', 'a missed dose', 'the scale-2 flag on the patient'].indexOf(_what)
    ];
  const first = await summary(memo, id);
  expect(await weekLoads(async () => void (await summary(memo, id)))).toBe(0); // held
  const result = await change(id);
  expect(result.rowCount).toBeGreaterThan(0);
  let after: Record<string, any> = {};
  expect(await weekLoads(async () => void (after = await summary(memo, id)))).toBe(1);
  const reference = await summary(plain, id);
  expect(shown(after)).toEqual(shown(reference));
  expect(after.facts).not.toEqual(first.facts);
});

test('the clock alone: past an overdue threshold, past a row leaving the window, and a dose scheduled ahead coming due', async () => {
  const id = patients[0];
  await summary(memo, id);
  await memo.pool.query(
    `INSERT INTO medication_administration (id, order_id, patient_id, due_at, status)
     SELECT gen_random_uuid(), id, patient_id, $2, 'refused' FROM medication_order WHERE patient_id = $1 LIMIT 1`,
    [id, new Date(clock.getTime() + 90 * 60_000)],
  );
  await summary(memo, id); // a new version: loaded again, with the dose ahead known to the database only
  for (const hours of [1, 2, 7, 30, 80]) {
    clock = new Date(clock.getTime() + hours * 3_600_000);
    const [a, b] = [await summary(memo, id), await summary(plain, id)];
    expect(shown(a)).toEqual(shown(b));
  }
});

test('a ward batch: unchanged patients from the memo, a changed one loaded again; a patient moved off the ward leaves it', async () => {
  const path = `/v1/wards/${wardId}/summaries`;
  await get(memo, path);
  const changed = patients[4];
  await memo.pool.query(
    `INSERT INTO care_note (id, patient_id, authored_at, author_role, category, text) VALUES (gen_random_uuid(), $1, $2, 'nurse', 'nursing', 'Fall at the bedside, no injury.')`,
    [changed, new Date(clock.getTime() - 5 * 60_000)],
  );
  const moved = patients[5];
  await memo.pool.query('UPDATE patient SET ward_id = $2 WHERE id = $1', [moved, otherWardId]);
  let batch: Record<string, any>;
  const spy = jest.spyOn(memo.db, '$queryRawUnsafe');
  try {
    batch = (await get(memo, path)).body;
    const loads = spy.mock.calls.filter(([sql]) => String(sql).includes('json_agg'));
    expect(loads).toHaveLength(1);
    expect(loads[0][1]).toEqual([changed]); // only the changed patient's week was loaded
  } finally {
    spy.mockRestore();
  }
  const reference = (await get(plain, path)).body;
  expect(batch.results.map((r: { patientId: string }) => r.patientId)).toEqual(
    reference.results.map((r: { patientId: string }) => r.patientId),
  );
  expect(batch.results.map((r: { patientId: string }) => r.patientId)).not.toContain(moved);
  for (const [i, r] of batch.results.entries()) expect(shown(r.summary)).toEqual(shown(reference.results[i].summary));
  // The moved patient is not readable through this ward's clinician any more, memo or not.
  await get(memo, `/v1/patients/${moved}/summary`, [wardId]).then((res) => expect(res.status).toBe(403));
});
