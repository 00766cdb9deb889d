// The OpenAPI document: every route the real app mounts is in it, and real responses validate against it.
import Ajv2020 from 'ajv/dist/2020';
import request from 'supertest';
import { buildOpenApi, toOpenApiPath } from '../../src/http/openapi';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let spec: Record<string, any>;
let patientId: string;
let wardId: string;
let validator: Ajv2020;

interface MountedRoute {
  method: string;
  path: string;
}

/** Every (method, path) the app routes, found by walking Express's router stack, mounted routers included. */
function mountedRoutes(stack: any[], prefix = ''): MountedRoute[] {
  return stack.flatMap((layer): MountedRoute[] => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((method) => ({ method, path: toOpenApiPath(`${prefix}${layer.route.path}`) }));
    }
    if (Array.isArray(layer.handle?.stack)) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      return mountedRoutes(layer.handle.stack, prefix + mount);
    }
    return [];
  });
}

beforeAll(async () => {
  t = await startTestApp({ rateLimit: { perMinute: 2 } });
  const ward = await t.db.ward.findFirstOrThrow({ orderBy: { code: 'asc' }, include: { patients: { orderBy: { bed: 'asc' } } } });
  wardId = ward.id;
  patientId = ward.patients[0].id;
  spec = (await request(t.app).get('/openapi.json').expect(200)).body;
  // OpenAPI 3.1 schemas are JSON Schema 2020-12. Formats are not checked here: zod emits a `pattern` with each.
  validator = new Ajv2020({ strict: false, validateFormats: false });
  validator.addSchema(spec, 'openapi.json');
});
afterAll(() => t.close());

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Validates a real response against the documented response for its status (or `default`). */
function expectDocumented(method: string, path: string, res: request.Response): void {
  const responses = spec.paths[path]?.[method]?.responses;
  expect(responses).toBeDefined();
  const status = String(res.status);
  const documented = responses[status] ? status : 'default';
  if (documented === 'default') expect(res.status).toBeGreaterThanOrEqual(400);
  const content = responses[documented].content ?? {};
  const mediaType = Object.keys(content).find((type) => String(res.headers['content-type']).startsWith(type.split(';')[0]));
  expect(mediaType).toBeDefined();
  const body = mediaType!.startsWith('application/json') ? res.body : res.text;
  const validate = validator.getSchema(`openapi.json#/${pointer('paths', path, method, 'responses', documented, 'content', mediaType!, 'schema')}`)!;
  const valid = validate(body);
  if (!valid) throw new Error(`${method.toUpperCase()} ${path} ${status} does not match its schema: ${validator.errorsText(validate.errors)}`);
}

test('the document is OpenAPI 3.1 with components for the shared schemas', () => {
  expect(spec.openapi).toBe('3.1.0');
  expect(spec.components.schemas.ErrorEnvelope).toBeDefined();
  expect(spec.components.schemas.PatientSummary).toBeDefined();
  expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  // Every schema in the document compiles.
  for (const [path, ops] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      for (const [status, r] of Object.entries<any>(op.responses)) {
        for (const mediaType of Object.keys(r.content ?? {})) {
          expect(validator.getSchema(`openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', mediaType, 'schema')}`)).toBeDefined();
        }
      }
    }
  }
});

test('every route the real app mounts is documented, and every documented route exists', () => {
  const mounted = mountedRoutes((t.app as any).router.stack).map((r) => `${r.method} ${r.path}`);
  const documented = Object.entries<Record<string, unknown>>(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
  expect(mounted.length).toBeGreaterThanOrEqual(8);
  expect(mounted.filter((r) => !documented.includes(r))).toEqual([]);
  expect(documented.filter((r) => !mounted.includes(r))).toEqual([]);
});

test('parameters come from the same zod schemas the routes validate with', () => {
  const op = spec.paths['/v1/patients/{patientId}/summary'].get;
  expect(op.parameters).toEqual([
    expect.objectContaining({ name: 'patientId', in: 'path', required: true, schema: expect.objectContaining({ type: 'string', format: 'uuid' }) }),
    expect.objectContaining({ name: 'days', in: 'query', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 14 }) }),
  ]);
  expect(op['x-roles']).toEqual(['clinician', 'service']);
  expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429', '503', 'default']);
  expect(spec.paths['/healthz'].get.security).toEqual([]);
});

test('real 200 responses validate: summary, wards, ward patients, probes, metrics, the document itself', async () => {
  const token = await t.token(['clinician']);
  const auth = { Authorization: `Bearer ${token}` };
  expectDocumented('get', '/v1/patients/{patientId}/summary', await request(t.app).get(`/v1/patients/${patientId}/summary?days=3`).set(auth).expect(200));
  expectDocumented('get', '/v1/wards', await request(t.app).get('/v1/wards').set(auth).expect(200));
  expectDocumented('get', '/v1/wards/{wardId}/patients', await request(t.app).get(`/v1/wards/${wardId}/patients`).set(auth).expect(200));
  expectDocumented('get', '/healthz', await request(t.app).get('/healthz').expect(200));
  expectDocumented('get', '/readyz', await request(t.app).get('/readyz').expect(200));
  expectDocumented('get', '/metrics', await request(t.app).get('/metrics').expect(200));
  expectDocumented('get', '/openapi.json', await request(t.app).get('/openapi.json').expect(200));
  expectDocumented('get', '/docs', await request(t.app).get('/docs').expect(200));
});

test('a response with an undocumented field would fail validation (the check has teeth)', async () => {
  const token = await t.token(['clinician']);
  const res = await request(t.app).get('/v1/wards').set('Authorization', `Bearer ${token}`).expect(200);
  res.body.wards[0].familyName = 'Leaky';
  expect(() => expectDocumented('get', '/v1/wards', res)).toThrow(/does not match/);
});

test('error envelopes validate: 400, 401, 403, 404, 429', async () => {
  const path = '/v1/patients/{patientId}/summary';
  const clinician = await t.token(['clinician'], { sub: 'openapi-errors' });
  const compliance = await t.token(['compliance']);
  expectDocumented('get', path, await request(t.app).get('/v1/patients/nope/summary').set('Authorization', `Bearer ${clinician}`).expect(400));
  expectDocumented('get', path, await request(t.app).get(`/v1/patients/${patientId}/summary`).expect(401));
  expectDocumented('get', path, await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${compliance}`).expect(403));
  expectDocumented('get', path, await request(t.app).get('/v1/patients/00000000-0000-4000-8000-000000000000/summary').set('Authorization', `Bearer ${clinician}`).expect(404));
  // The limit is 2 per minute for this app; the three requests above used 2 of this subject's tokens.
  const limited = await request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${clinician}`).expect(429);
  expectDocumented('get', path, limited);
  expectDocumented('get', '/v1/wards/{wardId}/patients', await request(t.app).get(`/v1/wards/${wardId}/patients`).expect(401));
});

test('/docs renders every documented route from the spec, offline, under a CSP allowing only its own style', async () => {
  const res = await request(t.app).get('/docs').expect(200).expect('Content-Type', /text\/html/);
  for (const path of Object.keys(spec.paths)) expect(res.text).toContain(path.replace(/&/g, '&#38;'));
  // Nothing loaded from anywhere: no scripts, stylesheets, images or imports.
  expect(res.text).not.toMatch(/<script|<link|<img|\bsrc=|@import/i);
  expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; frame-ancestors 'none'$/);
});

test('the builder refuses two different schemas under one component id', async () => {
  const { z } = await import('zod');
  const a = z.object({ a: z.string() }).meta({ id: 'Clash' });
  const b = z.object({ b: z.number() }).meta({ id: 'Clash' });
  const doc = (schema: typeof a | typeof b, path: string) => ({ method: 'get' as const, path, summary: 'x', responses: { 200: { description: 'x', schema } } });
  expect(() => buildOpenApi({ title: 't', version: '1' }, [doc(a, '/a'), doc(b, '/b')])).toThrow(/Clash/);
});
