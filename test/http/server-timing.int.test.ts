// Server-Timing: every response says where its time went (database wait and statements, audit commits, the model,
// building the answer), measured by the service itself, with durations only.
import request from 'supertest';
import { carefulReply } from '../support/careful-answer';
import { oneProviderYaml, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

let upstream: FakeUpstream;
let t: TestApp;
let patients: { id: string }[];
let wardId: string;
const MODEL_DELAY_MS = 150;

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: { ...carefulReply(), delayMs: MODEL_DELAY_MS } });
  t = await startTestApp({ llmYaml: oneProviderYaml(upstream.url) });
  const ward = await t.db.ward.findFirstOrThrow({ where: { code: 'W2' }, include: { patients: { orderBy: { bed: 'asc' } } } });
  wardId = ward.id;
  patients = ward.patients;
});
afterAll(async () => {
  await t.close();
  await upstream.close();
});

const NAMES = ['db-wait', 'db', 'audit', 'model', 'build', 'app', 'total'];
/** Only `name;dur=<ms>` entries: no description, no id, nothing of the request. */
const SHAPE = /^[a-z-]+;dur=\d+\.\d{2}(, [a-z-]+;dur=\d+\.\d{2})*$/;

function phases(header: string | undefined): Record<string, number> {
  expect(header).toMatch(SHAPE);
  const out = Object.fromEntries(header!.split(', ').map((m) => [m.split(';')[0], Number(m.split('=')[1])]));
  expect(Object.keys(out)).toEqual(NAMES);
  return out;
}

const clinician = async () => ({ Authorization: `Bearer ${await t.token(['clinician'])}` });

test('an uncached summary: the model call, its llm.request commit, the summary.read commit and the week load, within the total', async () => {
  const res = await request(t.app)
    .get(`/v1/patients/${patients[0].id}/summary`)
    .set(await clinician())
    .expect(200);
  expect(res.body.source).toBe('llm');
  const p = phases(res.headers['server-timing']);
  expect(p.model).toBeGreaterThanOrEqual(MODEL_DELAY_MS - 5);
  // Two commits were waited for (llm.request, then summary.read); the week was loaded and the cache claimed.
  expect(p.audit).toBeGreaterThan(0);
  expect(p.db).toBeGreaterThan(0);
  expect(p.build).toBeGreaterThan(0);
  const parts = p['db-wait'] + p.db + p.audit + p.model + p.build + p.app;
  expect(Math.abs(parts - p.total)).toBeLessThan(0.1);
});

test('a cached summary: no model time; a ward batch and an error answer carry the header too', async () => {
  await request(t.app)
    .get(`/v1/patients/${patients[1].id}/summary`)
    .set(await clinician())
    .expect(200);
  const cached = await request(t.app)
    .get(`/v1/patients/${patients[1].id}/summary`)
    .set(await clinician())
    .expect(200);
  expect(cached.body.source).toBe('cache');
  const p = phases(cached.headers['server-timing']);
  expect(p.model).toBe(0);
  expect(p.audit).toBeGreaterThan(0);

  const ward = await request(t.app)
    .get(`/v1/wards/${wardId}/summaries`)
    .set(await clinician())
    .expect(200);
  const w = phases(ward.headers['server-timing']);
  // Overlapping work of the ward's patients is charged once per instant: the phases never exceed the total.
  expect(w['db-wait'] + w.db + w.audit + w.model + w.build).toBeLessThanOrEqual(w.total + 0.1);

  const missing = await request(t.app)
    .get('/v1/patients/00000000-0000-4000-8000-000000000000/summary')
    .set(await clinician())
    .expect(404);
  expect(phases(missing.headers['server-timing']).model).toBe(0);
});

test('the instrumented pool still answers promise and callback queries', async () => {
  // Sanity of the instrumented pool: plain queries still answer, with or without a callback.
  const { rows } = await t.pool.query<{ one: number }>('SELECT 1 AS one');
  expect(rows[0].one).toBe(1);
  const viaCallback = await new Promise<number>((resolve, reject) =>
    t.pool.query('SELECT 2 AS two', (err: Error | undefined, r: { rows: { two: number }[] }) =>
      err ? reject(err) : resolve(r.rows[0].two),
    ),
  );
  expect(viaCallback).toBe(2);
});
