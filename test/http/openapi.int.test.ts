// The OpenAPI document against the wire: every route the app mounts is in it, it passes Spectral's `oas` ruleset and
// swagger-parser, and real responses — every documented media type and status — match their documentation,
// headers included.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Document, Spectral } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import Ajv2020 from 'ajv/dist/2020';
import request from 'supertest';
import { buildOpenApi, toOpenApiPath } from '../../src/http/openapi';
import { createHttpServer } from '../../src/http/server';
import { startTestApp, type TestApp } from '../support/app';

let t: TestApp;
let spec: Record<string, any>;
let patientId: string;
let wardId: string;
let validator: Ajv2020;

/** (method path status mediaType) of every real response checked here, for the coverage test. */
const exercised = new Set<string>();

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
  // One clock for the file: its revalidations must not straddle a 0.1 h step of every "hours ago" (which rightly
  // changes the ETag). Nothing here writes patient data.
  const clock = new Date();
  t = await startTestApp({ rateLimit: { perMinute: 2 }, now: () => clock });
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

/** A local $ref's target and its JSON pointer; anything else as is. */
function deref(node: any, at: string): { node: any; at: string } {
  if (typeof node?.$ref !== 'string') return { node, at };
  const path = node.$ref.replace(/^#\//, '');
  return { node: path.split('/').reduce((o: any, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec), at: path };
}

const validate = (at: string, value: unknown): string | null => {
  const check = validator.getSchema(`openapi.json#/${at}`);
  if (!check) return `no schema at ${at}`;
  return check(value) ? null : validator.errorsText(check.errors);
};

/** Headers a client may act on: each one sent must be documented for that response, and each required one sent. */
const CONTRACT_HEADERS = [
  'x-request-id',
  'etag',
  'x-audit-event-id',
  'x-ward-patients',
  'content-disposition',
  'retry-after',
  'www-authenticate',
];

/** Validates a real response against the documented response for its status (or `default`): body, media type, headers. */
function expectDocumented(method: string, path: string, res: request.Response): void {
  const op = spec.paths[path]?.[method];
  expect({ path, method, documented: Boolean(op) }).toEqual({ path, method, documented: true });
  const status = String(res.status);
  const key = op.responses[status] ? status : 'default';
  if (key === 'default') expect(res.status).toBeGreaterThanOrEqual(400);
  const { node: response, at } = deref(op.responses[key], pointer('paths', path, method, 'responses', key));
  const where = `${method.toUpperCase()} ${path} ${status}`;

  const content = response.content ?? {};
  const sent = String(res.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  // supertest buffers image/* instead of decoding it.
  const text: string = res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '');
  if (Object.keys(content).length === 0) {
    expect({ where, body: text }).toEqual({ where, body: '' });
  } else {
    expect({ where, sent, documented: Object.keys(content) }).toEqual({ where, sent, documented: expect.arrayContaining([sent]) });
    const media = content[sent];
    const body = sent.endsWith('json') && !sent.includes('ndjson') ? JSON.parse(text) : text;
    const problem = validate(`${at}/${pointer('content', sent, 'schema')}`, body);
    if (problem) throw new Error(`${where} ${sent} does not match its schema: ${problem}`);
    if (media['x-itemSchema']) {
      const lines = text.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const lineProblem = validate(`${at}/${pointer('content', sent, 'x-itemSchema')}`, JSON.parse(line));
        if (lineProblem) throw new Error(`${where}: an NDJSON line does not match its item schema: ${lineProblem}`);
      }
    }
  }

  const documentedHeaders = Object.fromEntries(
    Object.entries<any>(response.headers ?? {}).map(([name, h]) => [name.toLowerCase(), deref(h, '').node]),
  );
  for (const name of CONTRACT_HEADERS) {
    if (res.headers[name] !== undefined)
      expect({ where, header: name, documented: name in documentedHeaders }).toEqual({ where, header: name, documented: true });
  }
  for (const [name, h] of Object.entries<any>(documentedHeaders)) {
    if (h.required) expect({ where, header: name, sent: res.headers[name] !== undefined }).toEqual({ where, header: name, sent: true });
  }
  exercised.add(`${method} ${path} ${status} ${sent}`);
}

const bearer = async (roles: ('clinician' | 'compliance' | 'service')[], sub?: string) => ({
  Authorization: `Bearer ${await t.token(roles, { sub: sub ?? `openapi-${roles.join('-')}-${Math.random()}` })}`,
});

describe('the document', () => {
  test('is OpenAPI 3.1 with components for the shared schemas, tags, servers and contact', () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info.contact).toEqual(expect.objectContaining({ name: expect.any(String) }));
    expect(spec.servers[0]).toMatchObject({ url: '{scheme}://{host}' });
    expect(spec.tags.map((tag: { name: string }) => tag.name).sort()).toEqual(['audit', 'operations', 'pages', 'summaries', 'wards']);
    expect(spec.components.schemas.ErrorEnvelope).toBeDefined();
    expect(spec.components.schemas.PatientSummary).toBeDefined();
    expect(spec.components.schemas.FhirAuditBundle).toBeDefined();
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    // Every schema in the document compiles.
    for (const [path, ops] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        for (const [status, r] of Object.entries<any>(op.responses)) {
          const { node, at } = deref(r, pointer('paths', path, method, 'responses', status));
          for (const [mediaType, media] of Object.entries<any>(node.content ?? {})) {
            expect(validator.getSchema(`openapi.json#/${at}/${pointer('content', mediaType, 'schema')}`)).toBeDefined();
            if (media['x-itemSchema'])
              expect(validator.getSchema(`openapi.json#/${at}/${pointer('content', mediaType, 'x-itemSchema')}`)).toBeDefined();
          }
        }
      }
    }
  });

  test("Spectral's oas ruleset finds nothing (no error, warning, info or hint); swagger-parser validates it", async () => {
    const spectral = new Spectral();
    spectral.setRuleset(oas as never);
    const results = await spectral.run(new Document(JSON.stringify(spec), Parsers.Json, 'openapi.json'));
    expect(results.map((r) => `${r.code} ${r.path.join('.')}: ${r.message}`)).toEqual([]);
    await expect(SwaggerParser.validate(structuredClone(spec) as never)).resolves.toBeDefined();
  });

  test('the linters have teeth: no contact, an undeclared tag and no servers are each found', async () => {
    const broken = structuredClone(spec);
    delete broken.info.contact;
    delete broken.servers;
    broken.paths['/healthz'].get.tags = ['undeclared'];
    const spectral = new Spectral();
    spectral.setRuleset(oas as never);
    const codes = (await spectral.run(new Document(JSON.stringify(broken), Parsers.Json, 'openapi.json'))).map((r) => r.code);
    expect(codes.sort()).toEqual(['info-contact', 'oas3-api-servers', 'operation-tag-defined']);
    broken.paths['/healthz'].get.responses = { 200: { content: {} } }; // a response without its required description
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });

  test('every route the real app mounts is documented, and every documented route exists', () => {
    const mounted = mountedRoutes((t.app as any).router.stack).map((r) => `${r.method} ${r.path}`);
    const documented = Object.entries<Record<string, unknown>>(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(mounted.length).toBeGreaterThanOrEqual(8);
    expect(mounted.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !mounted.includes(r))).toEqual([]);
  });

  test('parameters come from the same zod schemas the routes validate with; every operation has the standard answers', () => {
    const op = spec.paths['/v1/patients/{patientId}/summary'].get;
    expect(op.parameters).toEqual([
      expect.objectContaining({
        name: 'patientId',
        in: 'path',
        required: true,
        schema: expect.objectContaining({ type: 'string', format: 'uuid' }),
      }),
      expect.objectContaining({
        name: 'days',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 14 }),
      }),
      expect.objectContaining({
        name: 'view',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ enum: ['full', 'compact'] }),
      }),
      { $ref: '#/components/parameters/RequestIdHeader' },
    ]);
    expect(op['x-roles']).toEqual(['clinician', 'service']);
    expect(Object.keys(op.responses)).toEqual(['200', '400', '401', '403', '404', '408', '413', '429', '431', '503', 'default']);
    const ward = spec.paths['/v1/wards/{wardId}/summaries'].get;
    expect(ward.parameters.map((p: { name?: string; $ref?: string }) => p.name ?? p.$ref)).toContain('If-None-Match');
    expect(Object.keys(ward.responses)).toEqual(expect.arrayContaining(['200', '304', '429']));
    expect(Object.keys(ward.responses['200'].content)).toEqual([
      'application/json',
      'application/vnd.shiftnote.compact+json',
      'application/x-ndjson',
    ]);
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/json', 'application/vnd.shiftnote.compact+json']);
    expect(Object.keys(spec.paths['/v1/audit-events/export'].get.responses['200'].content)).toEqual([
      'application/x-ndjson',
      'text/csv',
      'application/fhir+json',
    ]);
    expect(spec.paths['/healthz'].get.security).toEqual([]);
    for (const ops of Object.values<Record<string, any>>(spec.paths)) {
      for (const o of Object.values<any>(ops))
        expect(Object.keys(o.responses)).toEqual(expect.arrayContaining(['400', '408', '413', '431', 'default']));
    }
  });
});

describe('real responses match the document', () => {
  test('summaries, wards, ward patients and ward batches (JSON, NDJSON by format and by Accept, 304), prewarm', async () => {
    const clinician = await bearer(['clinician']);
    expectDocumented(
      'get',
      '/v1/patients/{patientId}/summary',
      await request(t.app).get(`/v1/patients/${patientId}/summary?days=3`).set(clinician).expect(200),
    );
    expectDocumented('get', '/v1/wards', await request(t.app).get('/v1/wards').set(clinician).expect(200));
    expectDocumented(
      'get',
      '/v1/wards/{wardId}/patients',
      await request(t.app).get(`/v1/wards/${wardId}/patients`).set(clinician).expect(200),
    );
    const path = '/v1/wards/{wardId}/summaries';
    const batch = await request(t.app)
      .get(`/v1/wards/${wardId}/summaries`)
      .set(await bearer(['clinician']))
      .expect(200);
    expectDocumented('get', path, batch);
    expectDocumented(
      'get',
      path,
      await request(t.app)
        .get(`/v1/wards/${wardId}/summaries?format=ndjson`)
        .set(await bearer(['clinician']))
        .expect(200),
    );
    expectDocumented(
      'get',
      path,
      await request(t.app)
        .get(`/v1/wards/${wardId}/summaries`)
        .set(await bearer(['service']))
        .set('Accept', 'application/x-ndjson')
        .expect(200),
    );
    expectDocumented(
      'get',
      path,
      await request(t.app)
        .get(`/v1/wards/${wardId}/summaries`)
        .set(await bearer(['clinician']))
        .set('If-None-Match', batch.headers.etag)
        .expect(304),
    );
    // The compact view (CompactSummary), single and per ward, JSON and NDJSON.
    const compact = await request(t.app).get(`/v1/patients/${patientId}/summary?view=compact`).set(clinician).expect(200);
    expect(compact.body.view).toBe('compact');
    expectDocumented('get', '/v1/patients/{patientId}/summary', compact);
    expectDocumented(
      'get',
      path,
      await request(t.app)
        .get(`/v1/wards/${wardId}/summaries?view=compact`)
        .set(await bearer(['clinician']))
        .expect(200),
    );
    expectDocumented(
      'get',
      path,
      await request(t.app)
        .get(`/v1/wards/${wardId}/summaries?view=compact&format=ndjson`)
        .set(await bearer(['clinician']))
        .expect(200),
    );
    const service = await bearer(['service']);
    expectDocumented(
      'post',
      '/v1/wards/{wardId}/prewarm',
      await request(t.app).post(`/v1/wards/${wardId}/prewarm?days=1`).set(service).expect(202),
    );
    expectDocumented(
      'post',
      '/v1/wards/{wardId}/prewarm',
      await request(t.app).post(`/v1/wards/${wardId}/prewarm?days=2&wait=true`).set(service).expect(200),
    );
  });

  test('compliance: review, one row, verify, every export format, both accountings of disclosures', async () => {
    const officer = await bearer(['compliance']);
    const get = (url: string) => request(t.app).get(url).set(officer);
    const list = await get('/v1/audit-events?limit=2').expect(200);
    expectDocumented('get', '/v1/audit-events', list);
    expectDocumented('get', '/v1/audit-events/{id}', await get(`/v1/audit-events/${list.body.events[0].id}`).expect(200));
    expectDocumented('get', '/v1/audit-events/verify', await get('/v1/audit-events/verify').expect(200));
    for (const format of ['ndjson', 'csv', 'fhir'])
      expectDocumented('get', '/v1/audit-events/export', await get(`/v1/audit-events/export?format=${format}`).expect(200));
    expectDocumented('get', '/v1/patients/{patientId}/disclosures', await get(`/v1/patients/${patientId}/disclosures`).expect(200));
    const { mrn } = await t.db.patient.findUniqueOrThrow({ where: { id: patientId } });
    expectDocumented('get', '/v1/disclosures', await get(`/v1/disclosures?mrn=${mrn.toLowerCase()}`).expect(200));
    expectDocumented('get', '/v1/audit-events', await get(`/v1/audit-events?mrn=${mrn}`).expect(200));
  });

  test('probes, metrics, this document, the API page, the pages and their assets (and their 304s)', async () => {
    expectDocumented('get', '/healthz', await request(t.app).get('/healthz').expect(200));
    expectDocumented('get', '/readyz', await request(t.app).get('/readyz').expect(200));
    expectDocumented('get', '/metrics', await request(t.app).get('/metrics').expect(200));
    expectDocumented('get', '/openapi.json', await request(t.app).get('/openapi.json').expect(200));
    expectDocumented('get', '/docs', await request(t.app).get('/docs').expect(200));
    for (const page of ['/board', '/audit']) {
      const res = await request(t.app).get(page).expect(200);
      expectDocumented('get', page, res);
      expectDocumented('get', page, await request(t.app).get(page).set('If-None-Match', res.headers.etag).expect(304));
    }
    for (const asset of ['board.js', 'ui.css', 'icon.svg'])
      expectDocumented('get', '/ui/{asset}', await request(t.app).get(`/ui/${asset}`).expect(200));
    const js = await request(t.app).get('/ui/common.js').expect(200);
    expectDocumented('get', '/ui/{asset}', await request(t.app).get('/ui/common.js').set('If-None-Match', js.headers.etag).expect(304));
    expectDocumented('get', '/ui/{asset}', await request(t.app).get('/ui/nope.js').expect(404));
  });

  test('error envelopes: 400, 401 (WWW-Authenticate), 403, 404, 413, 429 (Retry-After)', async () => {
    const path = '/v1/patients/{patientId}/summary';
    const clinician = await bearer(['clinician'], 'openapi-errors');
    const compliance = await bearer(['compliance']);
    expectDocumented('get', path, await request(t.app).get('/v1/patients/nope/summary').set(clinician).expect(400));
    expectDocumented('get', path, await request(t.app).get(`/v1/patients/${patientId}/summary`).expect(401));
    expectDocumented('get', path, await request(t.app).get(`/v1/patients/${patientId}/summary`).set(compliance).expect(403));
    expectDocumented(
      'get',
      path,
      await request(t.app).get('/v1/patients/00000000-0000-4000-8000-000000000000/summary').set(clinician).expect(404),
    );
    // The limit is 2 per minute for this app; the three requests above used 2 of this subject's tokens.
    expectDocumented('get', path, await request(t.app).get(`/v1/patients/${patientId}/summary`).set(clinician).expect(429));
    const nurse = await bearer(['clinician'], 'openapi-ward-limit');
    await request(t.app).get(`/v1/patients/${patientId}/summary`).set(nurse).expect(200);
    await request(t.app).get(`/v1/patients/${patientId}/summary`).set(nurse).expect(200);
    expectDocumented(
      'get',
      '/v1/wards/{wardId}/summaries',
      await request(t.app).get(`/v1/wards/${wardId}/summaries`).set(nurse).expect(429),
    );
    expectDocumented('get', '/v1/wards/{wardId}/patients', await request(t.app).get(`/v1/wards/${wardId}/patients`).expect(401));
    expectDocumented('get', '/v1/disclosures', await request(t.app).get('/v1/disclosures?mrn=NOSUCH0').set(compliance).expect(404));
    const big = await request(t.app)
      .get('/v1/wards')
      .set(await bearer(['clinician']))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(20_000) }));
    expect(big.status).toBe(413);
    expectDocumented('get', '/v1/wards', big);
  });

  test('a 431 from the server itself is in the envelope the document describes', async () => {
    const server = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/healthz', headers: { 'X-Padding': 'x'.repeat(17 * 1024) } }, (r) => {
          let text = '';
          r.setEncoding('utf8')
            .on('data', (c) => (text += c))
            .on('end', () => resolve({ status: r.statusCode!, headers: r.headers, text }));
        });
        req.on('error', reject);
      });
      expectDocumented('get', '/healthz', { ...res, body: JSON.parse(res.text) } as unknown as request.Response);
    } finally {
      await server.drain();
    }
  });

  test('every documented success media type was checked against a real response', () => {
    const documented = Object.entries<Record<string, any>>(spec.paths).flatMap(([path, ops]) =>
      Object.entries<any>(ops).flatMap(([method, op]) =>
        Object.entries<any>(op.responses)
          .filter(([status]) => Number(status) < 400)
          .flatMap(([status, r]) => {
            const types = Object.keys(deref(r, '').node.content ?? {});
            return types.length ? types.map((type) => `${method} ${path} ${status} ${type}`) : [`${method} ${path} ${status} `];
          }),
      ),
    );
    expect(documented.length).toBeGreaterThanOrEqual(25);
    expect(documented.filter((d) => !exercised.has(d))).toEqual([]);
  });

  test('an undocumented field, media type or header would fail (the check has teeth)', async () => {
    const clinician = await bearer(['clinician']);
    const res = await request(t.app).get('/v1/wards').set(clinician).expect(200);
    res.body.wards[0].familyName = 'Leaky';
    (res as any).text = JSON.stringify(res.body);
    expect(() => expectDocumented('get', '/v1/wards', res)).toThrow(/does not match/);
    const csv = await request(t.app).get('/v1/wards').set(clinician).expect(200);
    csv.headers['content-type'] = 'text/csv';
    expect(() => expectDocumented('get', '/v1/wards', csv)).toThrow();
    const tagged = await request(t.app).get('/v1/wards').set(clinician).expect(200);
    tagged.headers.etag = '"x"';
    expect(() => expectDocumented('get', '/v1/wards', tagged)).toThrow();
  });
});

test('/docs renders every documented route from the spec, offline, under a CSP allowing only its own style', async () => {
  const res = await request(t.app)
    .get('/docs')
    .expect(200)
    .expect('Content-Type', /text\/html/);
  for (const path of Object.keys(spec.paths)) expect(res.text).toContain(path.replace(/&/g, '&#38;'));
  // Nothing loaded from anywhere: no scripts, stylesheets, images or imports.
  expect(res.text).not.toMatch(/<script|<link|<img|\bsrc=|@import/i);
  expect(res.headers['content-security-policy']).toMatch(
    /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; frame-ancestors 'none'$/,
  );
});

test('the builder refuses two different schemas under one component id, and an undescribed tag', async () => {
  const { z } = await import('zod');
  const a = z.object({ a: z.string() }).meta({ id: 'Clash' });
  const b = z.object({ b: z.number() }).meta({ id: 'Clash' });
  const doc = (schema: typeof a | typeof b, path: string, tags?: string[]) => ({
    method: 'get' as const,
    path,
    summary: 'x',
    tags,
    responses: { 200: { description: 'x', schema } },
  });
  expect(() => buildOpenApi({ title: 't', version: '1' }, [doc(a, '/a'), doc(b, '/b')])).toThrow(/Clash/);
  expect(() => buildOpenApi({ title: 't', version: '1' }, [doc(a, '/a', ['mystery'])])).toThrow(/mystery/);
});
