// The compliance routes' real responses match their OpenAPI documentation (the same zod schemas).
import Ajv2020 from 'ajv/dist/2020';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { recordAttempt } from './fixtures';

let t: TestApp;
let spec: Record<string, any>;
let ajv: Ajv2020;
let officer: string;
let patientId: string;

beforeAll(async () => {
  t = await startTestApp();
  officer = await t.token(['compliance']);
  patientId = (await t.db.patient.findFirstOrThrow({ select: { id: true } })).id;
  await recordAttempt(t.audit, patientId, 'r');
  spec = (await request(t.app).get('/openapi.json').expect(200)).body;
  ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(spec, 'openapi.json');
});
afterAll(() => t.close());

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function expectDocumented(path: string, res: request.Response, mediaType = 'application/json') {
  const schema = `openapi.json#/${pointer('paths', path, 'get', 'responses', String(res.status), 'content', mediaType, 'schema')}`;
  const validate = ajv.getSchema(schema);
  expect(validate).toBeDefined();
  if (!validate!(mediaType === 'application/json' ? res.body : res.text))
    throw new Error(`${path} ${res.status}: ${ajv.errorsText(validate!.errors)}`);
}

const get = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${officer}`);

test('every compliance route is documented with its roles', () => {
  for (const path of [
    '/v1/audit-events',
    '/v1/audit-events/verify',
    '/v1/audit-events/export',
    '/v1/audit-events/{id}',
    '/v1/patients/{patientId}/disclosures',
    '/v1/disclosures',
  ]) {
    expect(spec.paths[path]?.get?.['x-roles']).toEqual(['compliance']);
  }
  const params = spec.paths['/v1/audit-events'].get.parameters.map((p: { name: string }) => p.name);
  expect(params).toEqual(['patientId', 'mrn', 'actorId', 'action', 'from', 'to', 'cursor', 'limit']);
});

test('real responses validate: list, one row, verify, disclosures, 404', async () => {
  const list = await get('/v1/audit-events?limit=2').expect(200);
  expectDocumented('/v1/audit-events', list);
  expectDocumented('/v1/audit-events/{id}', await get(`/v1/audit-events/${list.body.events[0].id}`).expect(200));
  expectDocumented('/v1/audit-events/{id}', await get('/v1/audit-events/00000000-0000-4000-8000-000000000000').expect(404));
  expectDocumented('/v1/audit-events/verify', await get('/v1/audit-events/verify').expect(200));
  const disclosures = await get(`/v1/patients/${patientId}/disclosures`).expect(200);
  expect(disclosures.body.disclosures).toHaveLength(1);
  expectDocumented('/v1/patients/{patientId}/disclosures', disclosures);
});

test('a documented row with an extra field would fail (the check has teeth)', async () => {
  const res = await get('/v1/audit-events?limit=1').expect(200);
  res.body.events[0].promptText = 'leak';
  expect(() => expectDocumented('/v1/audit-events', res)).toThrow(/must NOT have additional properties/);
});
