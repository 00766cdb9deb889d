// Ward scoping on every patient and ward route, found from the OpenAPI document so new routes are covered too.
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let spec: { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
let patientId: string;
let wardId: string;
let otherWardId: string;

beforeAll(async () => {
  t = await startTestApp();
  const wards = await t.db.ward.findMany({ orderBy: { code: 'asc' }, include: { patients: { orderBy: { bed: 'asc' }, take: 1 } } });
  [wardId, otherWardId] = [wards[0].id, wards[1].id];
  patientId = wards[0].patients[0].id;
  spec = (await request(t.app).get('/openapi.json').expect(200)).body;
});
afterAll(() => t.close());

/** Clinician-callable routes naming a patient or a ward. */
function scopedRoutes(): { method: string; path: string }[] {
  return Object.entries(spec.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => op['x-roles']?.includes('clinician') && /\{(patientId|wardId)\}/.test(path))
      .map(([method]) => ({ method, path: path.replace('{patientId}', patientId).replace('{wardId}', wardId) })),
  );
}

test('there are scoped routes to check (summary, ward patients, ward summaries at least)', () => {
  expect(scopedRoutes().length).toBeGreaterThanOrEqual(3);
});

test('a clinician of another ward gets 403 on every one of them', async () => {
  const token = await t.token(['clinician'], { sub: 'scoped-elsewhere', wardIds: [otherWardId] });
  for (const { method, path } of scopedRoutes()) {
    const res = await (request(t.app) as any)[method](path).set('Authorization', `Bearer ${token}`);
    expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({ path, status: 403, code: 'forbidden' });
  }
});

test('a clinician of that ward passes the scope check on every one of them', async () => {
  const token = await t.token(['clinician'], { sub: 'scoped-here', wardIds: [wardId] });
  for (const { method, path } of scopedRoutes()) {
    const res = await (request(t.app) as any)[method](path).set('Authorization', `Bearer ${token}`);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
  }
});

test("the ward list shows only the token's wards", async () => {
  const token = await t.token(['clinician'], { wardIds: [otherWardId] });
  const res = await request(t.app).get('/v1/wards').set('Authorization', `Bearer ${token}`).expect(200);
  expect(res.body.wards.map((w: { id: string }) => w.id)).toEqual([otherWardId]);
});

test('ward ids are compared as UUIDs: upper-case ward_ids (or an upper-case ward in the path) see the same ward', async () => {
  const token = await t.token(['clinician'], { sub: 'upper-case-claims', wardIds: [wardId.toUpperCase()] });
  for (const { method, path } of scopedRoutes()) {
    const res = await (request(t.app) as any)[method](path).set('Authorization', `Bearer ${token}`);
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
  }
  const lower = await t.token(['clinician'], { sub: 'lower-case-claims', wardIds: [wardId] });
  await request(t.app).get(`/v1/wards/${wardId.toUpperCase()}/patients`).set('Authorization', `Bearer ${lower}`).expect(200);
  const list = await request(t.app).get('/v1/wards').set('Authorization', `Bearer ${token}`).expect(200);
  expect(list.body.wards.map((w: { id: string }) => w.id)).toEqual([wardId]);
});
