// view=compact: the board's view of a summary and of a ward batch — small, the same numbers as the full body, scoped
// and audited like any read.
import request from 'supertest';
import { compactSummarySchema } from '../../src/http/compact';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let ward: { id: string; patients: { id: string; bed: string }[] };
let otherWardId: string;
// One clock for every read: the full and the compact view of the same data say the same "hours ago".
const NOW = new Date();

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  const wards = await t.db.ward.findMany({ orderBy: { code: 'asc' }, include: { patients: { orderBy: { bed: 'asc' } } } });
  ward = wards.find((w) => w.patients.length >= 3)!;
  otherWardId = wards.find((w) => w.id !== ward.id)!.id;
});
afterAll(() => t.close());

const auth = async (wardIds?: string[]) => ({
  Authorization: `Bearer ${await t.token(['clinician'], { sub: `compact-${Math.random()}`, wardIds })}`,
});

test("the compact summary has exactly the documented fields and the full view's numbers, in a fraction of the bytes", async () => {
  const id = ward.patients[0].id;
  const full = await request(t.app)
    .get(`/v1/patients/${id}/summary`)
    .set(await auth())
    .expect(200);
  const compact = await request(t.app)
    .get(`/v1/patients/${id}/summary?view=compact`)
    .set(await auth())
    .expect(200);
  const body = compactSummarySchema.strict().parse(compact.body);
  const f = full.body;
  expect(body).toMatchObject({
    view: 'compact',
    patientId: id,
    window: f.window,
    summary: f.summary,
    source: f.source,
    grounded: f.grounding.ok,
    unsupported: f.grounding.unsupported,
    news2: {
      scale: f.facts.news2.scale,
      latest: f.facts.news2.latest && {
        total: f.facts.news2.latest.total,
        band: f.facts.news2.latest.band,
        partial: f.facts.news2.latest.partial,
        hoursAgo: f.facts.news2.latest.hoursAgo,
      },
      trend: { direction: f.facts.news2.trend.direction, recentMean: f.facts.news2.trend.recentMean },
    },
    series: {
      hoursAgo: f.facts.news2.scores.map((s: { hoursAgo: number }) => s.hoursAgo),
      total: f.facts.news2.scores.map((s: { total: number }) => s.total),
    },
    adherence: {
      overallPct: f.facts.adherence.overallPct,
      due: f.facts.adherence.due,
      given: f.facts.adherence.given,
      criticalMissed: f.facts.adherence.criticalMissed,
    },
    flags: { observationsOverdue: f.facts.vitals.overdue, hoursSinceLastObservation: f.facts.vitals.hoursSinceLastObservation },
  });
  const flagged = f.facts.notes.filter((n: { flag: string | null }) => n.flag).length;
  expect(body.flags.notes.reduce((sum, n) => sum + n.count, 0)).toBe(flagged);
  expect(body.series.total.length).toBeGreaterThan(2);
  expect(compact.text.length * 4).toBeLessThan(full.text.length);
  // The full body stays the default, and `view=full` asks for it explicitly.
  expect(f.facts).toBeDefined();
  const explicit = await request(t.app)
    .get(`/v1/patients/${id}/summary?view=full`)
    .set(await auth())
    .expect(200);
  expect(Object.keys(explicit.body).sort()).toEqual(Object.keys(f).sort());
});

test('a compact read is a summary.read like any other, recorded as compact', async () => {
  const id = ward.patients[1].id;
  const res = await request(t.app)
    .get(`/v1/patients/${id}/summary?view=compact`)
    .set(await auth())
    .expect(200);
  const { rows } = await t.pool.query(`SELECT id, action, patient_id, details FROM audit_event WHERE id = $1`, [res.body.auditEventId]);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({
    action: 'summary.read',
    patient_id: id,
    details: expect.objectContaining({ view: 'compact', source: res.body.source }),
  });
  const full = await request(t.app)
    .get(`/v1/patients/${id}/summary`)
    .set(await auth())
    .expect(200);
  const { rows: fullRow } = await t.pool.query(`SELECT details FROM audit_event WHERE id = $1`, [full.body.auditEventId]);
  expect(fullRow[0].details.view).toBeUndefined();
});

test("scoping holds in the compact view: another ward's patient and ward are 403, and nothing is audited for them", async () => {
  const id = ward.patients[0].id;
  const before = (await t.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'summary.read' AND patient_id = $1`, [id]))
    .rows[0].n;
  const elsewhere = await auth([otherWardId]);
  await request(t.app).get(`/v1/patients/${id}/summary?view=compact`).set(elsewhere).expect(403);
  await request(t.app).get(`/v1/wards/${ward.id}/summaries?view=compact`).set(elsewhere).expect(403);
  await request(t.app).get(`/v1/wards/${ward.id}/summaries?view=compact&format=ndjson`).set(elsewhere).expect(403);
  const after = (await t.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'summary.read' AND patient_id = $1`, [id]))
    .rows[0].n;
  expect(after).toBe(before);
  const bad = await request(t.app)
    .get(`/v1/patients/${id}/summary?view=tiny`)
    .set(await auth())
    .expect(400);
  expect(bad.body.error.code).toBe('bad_request');
});

test('a compact ward batch, as JSON and as NDJSON: every result compact, one summary.read each, its own ETag', async () => {
  const clinician = await auth([ward.id]);
  const full = await request(t.app).get(`/v1/wards/${ward.id}/summaries`).set(clinician).expect(200);
  const compact = await request(t.app).get(`/v1/wards/${ward.id}/summaries?view=compact`).set(clinician).expect(200);
  expect(compact.body.results).toHaveLength(ward.patients.length);
  for (const r of compact.body.results) {
    expect(r.status).toBe('ok');
    expect(r.identifiers).toEqual(expect.objectContaining({ mrn: expect.any(String) }));
    compactSummarySchema.strict().parse(r.summary);
  }
  expect(compact.body.results.map((r: { bed: string }) => r.bed)).toEqual(full.body.results.map((r: { bed: string }) => r.bed));
  expect(compact.text.length * 4).toBeLessThan(full.text.length);
  const ids = compact.body.results.map((r: { summary: { auditEventId: string } }) => r.summary.auditEventId);
  const { rows } = await t.pool.query(`SELECT details FROM audit_event WHERE id = ANY($1::uuid[]) AND action = 'summary.read'`, [ids]);
  expect(rows).toHaveLength(ward.patients.length);
  for (const row of rows) expect(row.details).toMatchObject({ view: 'compact', wardId: ward.id });

  // Another representation, another validator: neither view's ETag revalidates the other.
  expect(compact.headers.etag).toBeDefined();
  expect(compact.headers.etag).not.toBe(full.headers.etag);
  await request(t.app)
    .get(`/v1/wards/${ward.id}/summaries?view=compact`)
    .set(clinician)
    .set('If-None-Match', compact.headers.etag)
    .expect(304);
  await request(t.app)
    .get(`/v1/wards/${ward.id}/summaries?view=compact`)
    .set(clinician)
    .set('If-None-Match', full.headers.etag)
    .expect(200);

  const ndjson = await request(t.app).get(`/v1/wards/${ward.id}/summaries?view=compact&format=ndjson`).set(clinician).expect(200);
  const lines = ndjson.text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(ward.patients.length);
  for (const line of lines) compactSummarySchema.strict().parse(line.summary);
});
