// HEAD on routes that read patient or audit data: 405 with Allow, before anything is read, sent to a model or audited.
import request from 'supertest';
import { openaiReply, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startTestApp, type TestApp } from '../support/app';

let upstream: FakeUpstream;
let t: TestApp;
let spec: { paths: Record<string, Record<string, { 'x-roles'?: string[]; 'x-head'?: string }>> };
const values: Record<string, string> = {};

const grounded = JSON.stringify({ sentences: [{ text: 'The patient is being monitored on the ward.', facts: [] }] });

beforeAll(async () => {
  upstream = await startFakeUpstream({ defaultStep: openaiReply(grounded) });
  // The real failover client: a HEAD that ran the summary would reach this upstream.
  t = await startTestApp({
    llmYaml: `
providers:
  - { name: local, type: openai, base_url: ${upstream.url}, api_key: k, model: m, weight: 100 }
routing: { strategy: failover, attempt_timeout_ms: 3000, deadline_ms: 6000, retries_per_provider: 0 }
`,
  });
  const patient = await t.db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' } });
  values.patientId = patient.id;
  values.wardId = patient.wardId;
  values.id = (
    await t.audit.append({
      action: 'audit.read',
      outcome: 'success',
      actorId: 'x',
      actorRoles: ['compliance'],
      purposeOfUse: 'HOPERAT',
      requestId: 'r',
      details: {},
    })
  ).id;
  spec = (await request(t.app).get('/openapi.json').expect(200)).body;
});

afterAll(async () => {
  await t.close();
  await upstream.close();
});

const auditRows = async () => Number((await t.pool.query('SELECT count(*) AS n FROM audit_event')).rows[0].n);
const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name]);
/** Every documented GET that needs a token: each reads ward, patient or audit data. */
const dataRoutes = () =>
  Object.entries(spec.paths).flatMap(([path, ops]) => (ops.get?.['x-roles'] ? [[path, ops.get['x-roles']] as [string, string[]]] : []));

test('every GET behind a token is documented as refusing HEAD', () => {
  const routes = dataRoutes();
  expect(routes.map(([path]) => path)).toEqual(
    expect.arrayContaining(['/v1/patients/{patientId}/summary', '/v1/wards/{wardId}/summaries', '/v1/audit-events/export']),
  );
  for (const [path] of routes) expect({ path, head: spec.paths[path].get['x-head'] }).toEqual({ path, head: 'refused (405, Allow: GET)' });
});

test('HEAD on each of them: 405, Allow: GET, no body; no model request and no audit row', async () => {
  const routes = dataRoutes();
  const before = await auditRows();
  for (const [path, roles] of routes) {
    const token = await t.token([roles[0] as 'clinician' | 'compliance' | 'service']);
    const res = await request(t.app).head(fill(path)).set('Authorization', `Bearer ${token}`);
    expect({ path, status: res.status, allow: res.headers.allow }).toEqual({ path, status: 405, allow: 'GET' });
    expect(res.text ?? '').toBe('');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    // Without a token it is refused like any request, earlier still.
    expect((await request(t.app).head(fill(path))).status).toBe(401);
  }
  expect(upstream.requests).toHaveLength(0);
  expect(await auditRows()).toBe(before);
});

test('the check has teeth: the same summary by GET does reach the model and is audited', async () => {
  const before = await auditRows();
  const token = await t.token(['clinician']);
  await request(t.app).get(`/v1/patients/${values.patientId}/summary`).set('Authorization', `Bearer ${token}`).expect(200);
  expect(upstream.requests.length).toBeGreaterThan(0);
  expect(await auditRows()).toBeGreaterThan(before);
});

test.each(['/healthz', '/openapi.json', '/board', '/ui/board.js'])('HEAD on %s (no patient data) still answers 200', async (path) => {
  await request(t.app).head(path).expect(200);
});
