// Abuse limits and browser-facing headers: per-subject rate limit, body and header size, CORS, security headers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createHttpServer, type HttpServer } from '../../src/http/server';
import { startTestApp, type TestApp } from '../support/app';

const ORIGIN = 'https://ward-screen.example-hospital.org';
let t: TestApp;
let patientId: string;

beforeAll(async () => {
  t = await startTestApp({ rateLimit: { perMinute: 3 }, corsOrigins: [ORIGIN] });
  patientId = (await t.db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' } })).id;
});
afterAll(() => t.close());

const summary = (token: string) => request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`);

describe('per-subject rate limit on summaries', () => {
  afterEach(() => jest.restoreAllMocks());

  test('the limit passes, the next request is 429 with Retry-After and the envelope; others are unaffected', async () => {
    const nurse = await t.token(['clinician'], { sub: 'busy-nurse' });
    for (let i = 0; i < 3; i++) await summary(nurse).expect(200);
    const res = await summary(nurse).expect(429);
    expect(res.body).toEqual({ error: { code: 'too_many_requests', message: expect.any(String), requestId: res.headers['x-request-id'] } });
    // A one-minute window: at most 60 s to wait.
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    await summary(await t.token(['clinician'], { sub: 'other-nurse' })).expect(200);
    // Ward lists are cheap and not limited.
    await request(t.app).get('/v1/wards').set('Authorization', `Bearer ${nurse}`).expect(200);
  });

  test('ward batches draw on the same bucket', async () => {
    const nurse = await t.token(['clinician'], { sub: 'ward-round-nurse' });
    const wardId = (await t.db.patient.findUniqueOrThrow({ where: { id: patientId } })).wardId;
    for (let i = 0; i < 3; i++) await summary(nurse).expect(200);
    const res = await request(t.app).get(`/v1/wards/${wardId}/summaries`).set('Authorization', `Bearer ${nurse}`).expect(429);
    expect(res.body.error.code).toBe('too_many_requests');
  });

  test('the window reopens a minute later', async () => {
    let now = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const nurse = await t.token(['clinician'], { sub: 'refill-nurse' });
    for (let i = 0; i < 3; i++) await summary(nurse).expect(200);
    await summary(nurse).expect(429);
    now += 60_000;
    await summary(nurse).expect(200);
  });
});

describe('size limits', () => {
  test('a request body over 16 KB → 413 in the envelope', async () => {
    const token = await t.token(['clinician']);
    const res = await request(t.app)
      .post('/v1/wards')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(20_000) }))
      .expect(413);
    expect(res.body.error).toEqual({ code: 'payload_too_large', message: expect.any(String), requestId: res.headers['x-request-id'] });
  });

  test('request headers over 16 KB → 431 from the server, still in the envelope with an X-Request-Id', async () => {
    const server: HttpServer = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/healthz', headers: { 'X-Padding': 'x'.repeat(17 * 1024) } }, (r) => {
          let body = '';
          r.setEncoding('utf8')
            .on('data', (c) => (body += c))
            .on('end', () => resolve({ status: r.statusCode!, headers: r.headers, body }));
        });
        req.on('error', reject);
      });
      expect(res.status).toBe(431);
      expect(JSON.parse(res.body)).toEqual({
        error: { code: 'headers_too_large', message: expect.any(String), requestId: res.headers['x-request-id'] },
      });
    } finally {
      await server.drain();
    }
  });
});

describe('CORS', () => {
  test('an allowed origin gets CORS headers; its preflight is answered before authentication', async () => {
    const pre = await request(t.app)
      .options(`/v1/patients/${patientId}/summary`)
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization')
      .expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(pre.headers['access-control-allow-methods']).toBe('GET, HEAD');
    const token = await t.token(['clinician'], { sub: 'cors-nurse' });
    const res = await summary(token).set('Origin', ORIGIN).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);
    expect(res.headers.vary).toMatch(/Origin/);
  });

  test('another origin gets no CORS headers, and its preflight is not approved', async () => {
    const pre = await request(t.app).options('/v1/wards').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.status).toBe(401);
    const res = await request(t.app).get('/healthz').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('with no origins configured there are no CORS headers at all', async () => {
    const plain = await startTestApp({ seed: false });
    try {
      const res = await request(plain.app).get('/healthz').set('Origin', ORIGIN).expect(200);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

test('security headers on API responses, errors included', async () => {
  for (const res of [await request(t.app).get('/healthz'), await request(t.app).get('/v1/wards'), await request(t.app).get('/nowhere')]) {
    expect(res.headers).toMatchObject({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none';frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringMatching(/max-age=\d+/),
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
  }
});

describe('configuration of the limits', () => {
  const load = (env: Record<string, string>) => loadConfig(env);

  test('CORS_ORIGINS is a comma-separated list of origins; anything else is a config error', () => {
    expect(load({ CORS_ORIGINS: 'https://a.example, http://b.example:8080' }).corsOrigins).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(load({}).corsOrigins).toEqual([]);
    expect(() => load({ CORS_ORIGINS: 'https://a.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => load({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });

  test('defaults: 60 summary reads per minute, no readiness delay, open /metrics', () => {
    expect(load({})).toMatchObject({ rateLimitPerMinute: 60, shutdownReadinessDelayMs: 0, metricsToken: undefined });
    expect(() => load({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  test('OIDC needs both the issuer and the audience check', () => {
    expect(() => load({ AUTH_JWKS_URL: 'https://idp.example/jwks' })).toThrow(/AUTH_ISSUER and AUTH_AUDIENCE/);
    expect(() => load({ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example/' })).toThrow(/AUTH_AUDIENCE/);
    expect(
      load({ AUTH_JWKS_URL: 'https://idp.example/jwks', AUTH_ISSUER: 'https://idp.example/', AUTH_AUDIENCE: 'shiftnote' }).auth,
    ).toEqual({
      mode: 'jwks',
      jwksUrl: 'https://idp.example/jwks',
    });
  });
});
