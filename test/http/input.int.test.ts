// Text no request may carry (a NUL, a lone surrogate) is a 400 in the envelope wherever it comes: path, query,
// header, a token's subject. Before, a NUL in a query parameter or a token's sub reached PostgreSQL: 500.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import request from 'supertest';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app';
import { createHttpServer, type HttpServer } from '../../src/http/server';

let t: TestApp;
let patientId: string;
let officer: string;

beforeAll(async () => {
  t = await startTestApp();
  patientId = (await t.db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' } })).id;
  officer = await t.token(['compliance']);
});
afterAll(() => t.close());

const expect400 = (res: request.Response) => {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'bad_request' });
  expect(res.body.error.requestId).toBe(res.headers['x-request-id']);
};

test.each([
  ['a NUL in an audit filter', '/v1/audit-events?actorId=a%00b'],
  ['a NUL in a patient filter', `/v1/audit-events?patientId=${'%00'.repeat(3)}`],
  ['a NUL in the disclosures window', `/v1/patients/PID/disclosures?from=2026-01-01%00`],
  ['a NUL in the path', '/v1/audit-events/%00'],
  ['an undecodable escape in the path', '/v1/audit-events/%ED%A0%80'],
  ['a NUL in a ward id', '/v1/wards/%00/patients'],
])('%s → 400', async (_what, url) => {
  expect400(await request(t.app).get(url.replace('PID', patientId)).set('Authorization', `Bearer ${officer}`));
});

const tokenWithSub = (sub: string) =>
  new SignJWT({ roles: ['clinician'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TEST_SECRET));

test.each([
  ['a NUL', 'nurse\u0000one'],
  ['a lone high surrogate', 'nurse\ud800'],
  ['a lone low surrogate', '\udc00nurse'],
])('a token whose sub holds %s → 400, and nothing is audited under it', async (_what, sub) => {
  const before = await t.pool.query('SELECT count(*)::int AS n FROM audit_event');
  expect400(
    await request(t.app)
      .get(`/v1/patients/${patientId}/summary`)
      .set('Authorization', `Bearer ${await tokenWithSub(sub)}`),
  );
  expect((await t.pool.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(before.rows[0].n);
});

test('a well-formed astral character in a sub is fine', async () => {
  await request(t.app)
    .get(`/v1/patients/${patientId}/summary`)
    .set('Authorization', `Bearer ${await tokenWithSub('nurse \u{1F489}')}`)
    .expect(200);
});

describe('on the wire', () => {
  let server: HttpServer;
  let port: number;
  beforeAll(async () => {
    server = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.drain());

  const raw = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
      let reply = '';
      socket
        .setEncoding('latin1')
        .on('data', (c: string) => (reply += c))
        .on('end', () => resolve(reply))
        .on('error', reject);
    });

  test('a NUL in a header → 400 in the envelope (Node refuses it before Express)', async () => {
    const reply = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\u0000b\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"code":"bad_request"');
  });

  test('a NUL in the raw request line → 400 in the envelope', async () => {
    const reply = await raw(`GET /v1/wards?x=\u0000 HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('"code":"bad_request"');
  });
});
