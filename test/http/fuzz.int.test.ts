// Hostile input, property-based (fast-check): malformed ids, queries, headers, bodies, tokens and raw bytes against
// the real server. Whatever arrives: never a 5xx, never a stack trace or PHI, every error in the envelope.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createApp } from '../../src/http/app';
import { jwksVerifier, mintToken } from '../../src/http/auth';
import { createHttpServer, type HttpServer } from '../../src/http/server';
import { createLogger } from '../../src/log';
import { appServices, startTestApp, TEST_SECRET, type TestApp } from '../support/app';

const ISSUER = 'https://idp.fuzz.example/';
const AUDIENCE = 'shiftnote';

let t: TestApp;
let hsServer: HttpServer;
let jwksServer: HttpServer;
let keyServer: http.Server;
let hsPort: number;
let jwksPort: number;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

let patientIds: string[] = [];
let wardIds: string[] = [];
let phi: string[] = [];
let rsaKey: CryptoKey;
let publicJwk: JWK;
let casesRun = 0;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function listen(server: HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  t = await startTestApp();
  const patients = await t.db.patient.findMany({ include: { notes: { select: { text: true } } } });
  patientIds = patients.map((p) => p.id);
  wardIds = (await t.db.ward.findMany({ select: { id: true } })).map((w) => w.id);
  phi = patients.flatMap((p) => [
    `${p.givenName} ${p.familyName}`,
    p.mrn,
    p.birthDate.toISOString().slice(0, 10),
    ...p.notes.map((n) => n.text.slice(0, 24)),
  ]);

  // An OIDC deployment of the same app: RS256 keys served from a local JWKS endpoint.
  const pair = await generateKeyPair('RS256', { extractable: true });
  rsaKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'fuzz-1', alg: 'RS256', use: 'sig' };
  keyServer = http.createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })),
  );
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/jwks.json`;
  const jwksApp = createApp({
    services: appServices({ db: t.db, audit: t.audit, auditPool: t.pool, completer: null }),
    logger: createLogger('silent'),
    verifier: jwksVerifier(jwksUrl, { issuer: ISSUER, audience: AUDIENCE }),
    defaultDays: 7,
    readiness: { check: async () => ({ ok: true, details: {} }) },
  });

  hsServer = createHttpServer(t.app);
  jwksServer = createHttpServer(jwksApp);
  hsPort = await listen(hsServer);
  jwksPort = await listen(jwksServer);
}, 60_000);

afterAll(async () => {
  agent.destroy();
  await hsServer.drain();
  await jwksServer.drain();
  await new Promise<void>((resolve) => keyServer.close(() => resolve()));
  await t.close();
  // The closing note reports this number.
  console.log(`fuzz cases run: ${casesRun}`);
});

// ---------- what every response must satisfy ----------

const STACK_TRACE = /\bat [\w.<>$]+ \(|\.(ts|js):\d+:\d+|node_modules|\bError: /;

function checkReply(reply: Reply, method = 'GET'): void {
  casesRun += 1;
  assertSafe(reply, method);
}

function assertSafe(reply: Reply, method: string): void {
  const context = `${reply.status} ${reply.body.slice(0, 300)}`;
  if (reply.status >= 500) throw new Error(`5xx: ${context}`);
  const requestId = reply.headers['x-request-id'];
  if (typeof requestId !== 'string' || requestId.length === 0) throw new Error(`no X-Request-Id: ${context}`);
  const everything = reply.body + JSON.stringify(reply.headers);
  if (STACK_TRACE.test(everything)) throw new Error(`stack trace in response: ${context}`);
  const leaked = phi.find((secret) => everything.includes(secret));
  if (leaked) throw new Error(`PHI in response: ${context}`);
  if (reply.status >= 400 && method !== 'HEAD') {
    let body: unknown;
    try {
      body = JSON.parse(reply.body);
    } catch {
      throw new Error(`error without a JSON envelope: ${context}`);
    }
    const e = (body as { error?: Record<string, unknown> }).error;
    const envelope =
      Object.keys(body as object).length === 1 &&
      e !== undefined &&
      Object.keys(e).sort().join() === 'code,message,requestId' &&
      typeof e.code === 'string' &&
      typeof e.message === 'string' &&
      e.requestId === requestId;
    if (!envelope) throw new Error(`not the error envelope (or requestId ≠ X-Request-Id): ${context}`);
  }
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---------- arbitraries ----------

/** Percent-encodes what an HTTP client cannot put in a request target (controls, space, non-ASCII), keeps the rest raw. */
const target = (s: string) =>
  Array.from(s)
    .map((c) =>
      /^[\x21-\x7e]$/.test(c) ? c : [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    )
    .join('');

const hostileSegment = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.constantFrom(
    '%ZZ',
    '%',
    '%00',
    '%2e%2e',
    '..',
    '%2F',
    '%E0%A4%A',
    '%C0%AE',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    "1' OR '1'='1",
    '${jndi:ldap://x}',
    '<script>alert(1)</script>',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '😀',
    'a'.repeat(2000),
    '-1',
    '1e309',
    'NaN',
  ),
  fc.constant(null).map(() => patientIds[0]),
);

const hostilePath = fc.oneof(
  { weight: 4, arbitrary: hostileSegment.map((s) => `/v1/patients/${target(s)}/summary`) },
  { weight: 2, arbitrary: hostileSegment.map((s) => `/v1/wards/${target(s)}/patients`) },
  { weight: 1, arbitrary: hostileSegment.map((s) => `/v1/patients/${target(s)}/disclosures`) },
  { weight: 1, arbitrary: hostileSegment.map((s) => `/v1/audit-events/${target(s)}`) },
  { weight: 1, arbitrary: hostileSegment.map((s) => `/v1/${target(s)}`) },
  { weight: 1, arbitrary: hostileSegment.map((s) => `/${target(s)}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '/v1/wards',
      '/v1/audit-events',
      '/v1/audit-events/verify',
      '/v1/audit-events/export',
      '/healthz',
      '/readyz',
      '/openapi.json',
      '/docs',
      '/metrics',
    ),
  },
);

const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer({ min: -100, max: 100 }).map(String),
  fc.double().map(String),
  fc.constantFrom(
    '',
    '7',
    ' 7',
    '7 ',
    '0x10',
    '1e1',
    '1e309',
    '-0',
    '14',
    '15',
    'Infinity',
    '[]',
    '{}',
    '%',
    '%ZZ',
    'ndjson',
    'csv',
    'fhir',
    'xml',
    '2026-01-01',
    '2026-13-45T99:99:99Z',
    'MQ',
    '!!',
  ),
);
const queryKey = fc.oneof(
  fc.constantFrom(
    'days',
    'limit',
    'cursor',
    'from',
    'to',
    'format',
    'patientId',
    'actorId',
    'action',
    '__proto__',
    'constructor',
    'days[]',
    'days[0]',
    'a.b',
  ),
  fc.string({ maxLength: 10 }),
);
const hostileQuery = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${target(k)}=${target(v)}`).join('&')}` : ''));

/** Header values an HTTP client may send: no CR/LF/NUL. */
const headerValue = fc.string({ maxLength: 200 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, ''));
const hostileHeaders = fc.record(
  {
    'X-Request-Id': fc.oneof(headerValue, fc.constantFrom('a'.repeat(129), 'ok-id', '../../etc/passwd', '<x>', 'id with spaces')),
    Accept: fc.oneof(headerValue, fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml')),
    'Content-Type': fc.oneof(
      headerValue,
      fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'multipart/form-data'),
    ),
    'If-None-Match': headerValue,
    Origin: fc.oneof(headerValue, fc.constantFrom('https://evil.example', 'null')),
    'X-Forwarded-For': headerValue,
    'Accept-Encoding': fc.constantFrom('gzip', 'br', 'identity', '*', 'x'),
    Cookie: headerValue,
  },
  { requiredKeys: [] },
);

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constant('GET') },
  { weight: 1, arbitrary: fc.constantFrom('HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') },
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('{', '{"a":', '[1,2', 'null', '"x"', '{"__proto__":{"admin":true}}', 'x'.repeat(20_000)),
);

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** Claims as an attacker might shape them: wrong types, unknown roles, odd ward ids, huge values. */
const hostileClaims = fc.record(
  {
    sub: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null), fc.constant('')),
    roles: fc.oneof(
      fc.subarray(['clinician', 'compliance', 'service'] as const, { minLength: 1 }),
      fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
      fc.constantFrom('clinician', null, 42, [['clinician']], ['admin'], ['clinician', 'clinician', 'clinician', 'clinician']),
    ),
    ward_ids: fc.oneof(
      fc.array(fc.constantFrom(...['00000000-0000-4000-8000-000000000000', 'not-a-uuid']), { maxLength: 3 }),
      fc.constantFrom(null, 'ward', [], [1, 2]),
    ),
    exp: fc.oneof(
      fc.integer({ min: -100_000, max: 100_000 }).map((d) => now() + d),
      fc.constantFrom('tomorrow', null, 1e20),
    ),
    nbf: fc.integer({ min: -1000, max: 100_000 }).map((d) => now() + d),
    iat: fc.integer({ min: -100_000, max: 100_000 }).map((d) => now() + d),
  },
  { requiredKeys: [] },
);

type TokenCase = { kind: string; make(): Promise<string> };

/** Tokens for the HS256 deployment. */
const hsToken = fc.oneof(
  fc.constant<TokenCase>({ kind: 'valid clinician', make: () => mintToken(TEST_SECRET, { sub: 'fuzz-nurse', roles: ['clinician'] }) }),
  fc.constant<TokenCase>({ kind: 'valid compliance', make: () => mintToken(TEST_SECRET, { sub: 'fuzz-officer', roles: ['compliance'] }) }),
  fc.constant<TokenCase>({ kind: 'expired', make: () => mintToken(TEST_SECRET, { sub: 'x', roles: ['clinician'], ttlSeconds: -60 }) }),
  fc.constant<TokenCase>({
    kind: 'other secret',
    make: () => mintToken('another-secret-another-secret-another-secret', { sub: 'x', roles: ['clinician'] }),
  }),
  hostileClaims.map<TokenCase>((claims) => ({
    kind: 'hostile claims',
    make: () =>
      new SignJWT(claims as Record<string, unknown>).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET)),
  })),
  fc.constantFrom('none', 'None', 'NONE', 'HS512', 'RS256', 'ES256', '', 'HS256 ').map<TokenCase>((alg) => ({
    kind: `alg ${alg}`,
    make: async () => {
      const valid = await mintToken(TEST_SECRET, { sub: 'x', roles: ['clinician'] });
      const [, payload, signature] = valid.split('.');
      return `${b64({ alg, typ: 'JWT' })}.${payload}.${alg.toLowerCase() === 'none' ? '' : signature}`;
    },
  })),
  fc.constant<TokenCase>({
    kind: 'RS256 to an HS256 deployment',
    make: () =>
      new SignJWT({ roles: ['clinician'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'fuzz-1' })
        .setSubject('x')
        .setExpirationTime('5m')
        .sign(rsaKey),
  }),
  fc.constant<TokenCase>({
    kind: 'tampered payload',
    make: async () => {
      const [h, , s] = (await mintToken(TEST_SECRET, { sub: 'x', roles: ['clinician'], wardIds: [wardIds[0]] })).split('.');
      return `${h}.${b64({ sub: 'x', roles: ['clinician', 'compliance'], exp: now() + 600 })}.${s}`;
    },
  }),
  fc
    .tuple(fc.base64String({ maxLength: 80 }), fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 80 }))
    .map<TokenCase>(([a, b, c]) => ({
      kind: 'garbage base64',
      make: async () => `${a}.${b}.${c}`.replace(/[+/=]/g, ''),
    })),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 })).map<TokenCase>(([h, p]) => ({
    kind: 'arbitrary JSON header and payload',
    make: async () => `${b64(h)}.${b64(p)}.${b64('sig')}`,
  })),
);

/** Tokens for the OIDC deployment: issuer/audience, key confusion, unknown and hostile kids. */
const oidcToken = fc.oneof(
  fc
    .record({
      iss: fc.constantFrom(ISSUER, 'https://evil.example/', '', ISSUER + 'x'),
      aud: fc.constantFrom(AUDIENCE, 'other-app', ''),
      exp: fc.constantFrom('5m', '-5m'),
      kid: fc.oneof(fc.constant('fuzz-1'), fc.string({ maxLength: 40 }), fc.constant('../../../etc/passwd')),
    })
    .map<TokenCase>((o) => ({
      kind: 'RS256 variants',
      make: () =>
        new SignJWT({ roles: ['clinician'] })
          .setProtectedHeader({ alg: 'RS256', kid: o.kid })
          .setSubject('oidc-fuzz')
          .setIssuer(o.iss)
          .setAudience(o.aud)
          .setExpirationTime(o.exp)
          .sign(rsaKey),
    })),
  fc.constant<TokenCase>({
    kind: 'HS256 signed with the public key',
    make: () =>
      new SignJWT({ roles: ['clinician'] })
        .setProtectedHeader({ alg: 'HS256', kid: 'fuzz-1' })
        .setSubject('x')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk))),
  }),
  fc.constant<TokenCase>({
    kind: 'HS256 from the dev secret',
    make: () => mintToken(TEST_SECRET, { sub: 'x', roles: ['clinician'], issuer: ISSUER, audience: AUDIENCE }),
  }),
  hostileClaims.map<TokenCase>((claims) => ({
    kind: 'hostile claims, validly signed',
    make: () =>
      new SignJWT({ iss: ISSUER, aud: AUDIENCE, ...(claims as Record<string, unknown>) })
        .setProtectedHeader({ alg: 'RS256', kid: 'fuzz-1' })
        .sign(rsaKey),
  })),
  fc
    .record({
      alg: fc.constantFrom('none', 'RS256', 'PS256', 'ES256', 'EdDSA', 'RS1'),
      crit: fc.constantFrom(undefined, ['exp'], ['x-unknown']),
      jku: fc.constantFrom(undefined, 'http://127.0.0.1:1/evil'),
    })
    .map<TokenCase>((header) => ({
      kind: 'forged header',
      make: async () =>
        `${b64({ ...header, kid: 'fuzz-1' })}.${b64({ sub: 'x', roles: ['clinician'], iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })}.${b64('forged')}`,
    })),
);

const authorization = (token: fc.Arbitrary<TokenCase>) =>
  fc.oneof(
    { weight: 6, arbitrary: token.map((tc) => async () => `Bearer ${await tc.make()}`) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        token.map((tc) => async () => `bearer ${await tc.make()}`),
        token.map((tc) => async () => `Bearer  ${await tc.make()}`),
        token.map((tc) => async () => `Bearer ${await tc.make()}, Bearer x.y.z`),
        fc
          .constantFrom('', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a.b', 'Bearer ....', `Bearer ${'a'.repeat(9000)}.b.c`)
          .map((v) => async () => v),
        headerValue.map((v) => async () => v),
      ),
    },
    { weight: 1, arbitrary: fc.constant(async () => undefined as string | undefined) },
  );

const clean = (headers: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));

// ---------- properties ----------

jest.setTimeout(120_000);

test('malformed paths and query strings with valid tokens (both roles)', async () => {
  const valid = fc.constantFrom(
    ['clinician'] as const,
    ['compliance'] as const,
    ['service'] as const,
    ['clinician', 'compliance'] as const,
  );
  await fc.assert(
    fc.asyncProperty(hostilePath, hostileQuery, valid, async (path, query, roles) => {
      const token = await t.token([...roles], { sub: 'fuzz-paths' });
      checkReply(await send(hsPort, 'GET', path + query, { Authorization: `Bearer ${token}` }));
    }),
    { numRuns: 1000 },
  );
});

test('hostile headers, methods and bodies', async () => {
  await fc.assert(
    fc.asyncProperty(method, hostilePath, hostileHeaders, body, authorization(hsToken), async (m, path, headers, payload, auth) => {
      const withBody = m === 'GET' || m === 'HEAD' || m === 'OPTIONS' ? undefined : payload;
      const reply = await send(hsPort, m, path, clean({ ...headers, Authorization: await auth() }), withBody);
      checkReply(reply, m);
    }),
    { numRuns: 600 },
  );
});

test('hostile tokens against the HS256 deployment', async () => {
  await fc.assert(
    fc.asyncProperty(authorization(hsToken), fc.constantFrom(0, 1, 2), async (auth, which) => {
      const path = [`/v1/patients/${patientIds[which]}/summary`, '/v1/wards', '/v1/audit-events?limit=1'][which];
      checkReply(await send(hsPort, 'GET', path, clean({ Authorization: await auth() })));
    }),
    { numRuns: 700 },
  );
});

test('hostile tokens against the OIDC (JWKS) deployment', async () => {
  await fc.assert(
    fc.asyncProperty(authorization(oidcToken), async (auth) => {
      checkReply(await send(jwksPort, 'GET', `/v1/patients/${patientIds[0]}/summary`, clean({ Authorization: await auth() })));
    }),
    { numRuns: 500 },
  );
});

// Raw bytes: what an HTTP client library would refuse to send. Each request is complete (ends with a blank line,
// announces no body), so the server always has enough to answer or reject.

/**
 * Every complete response in what the server sent (a lenient parse may split one request into several).
 * The answer to a HEAD request has a Content-Length but no body.
 */
function parseResponses(data: Buffer, firstIsHead: boolean): Reply[] {
  const replies: Reply[] = [];
  let rest = data;
  for (;;) {
    const split = rest.indexOf('\r\n\r\n');
    if (split < 0) return replies;
    const [statusLine, ...lines] = rest.subarray(0, split).toString('latin1').split('\r\n');
    const headers: http.IncomingHttpHeaders = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    const status = Number(statusLine.split(' ')[1]);
    const bodiless = (firstIsHead && replies.length === 0) || status === 204 || status === 304;
    const length = bodiless ? 0 : Number(headers['content-length'] ?? 0);
    if (rest.length < split + 4 + length) return replies;
    replies.push({ status, headers, body: rest.subarray(split + 4, split + 4 + length).toString('utf8') });
    rest = rest.subarray(split + 4 + length);
  }
}

function rawRequest(port: number, bytes: Buffer): Promise<Reply[]> {
  const head = bytes.toString('latin1').startsWith('HEAD ');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(parseResponses(Buffer.concat(chunks), head));
    };
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? finish() : reject(err)));
    // A request split by a lenient parse may leave a keep-alive connection open: what arrived by then counts.
    socket.setTimeout(2000, () => {
      if (parseResponses(Buffer.concat(chunks), head).length > 0) finish();
      else reject(new Error(`no answer to ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`));
    });
    socket.write(bytes);
  });
}

const rawByte = fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b));
const rawString = (maxLength: number) => fc.array(rawByte, { maxLength }).map((a) => a.join('').replace(/\r\n\r\n/g, ''));
const rawLine = fc.oneof(
  rawString(80),
  fc.constantFrom(
    'Content-Length: abc',
    'Content-Length: -1',
    'Content-Length: 0\r\nContent-Length: 5',
    'Transfer-Encoding: chunked\r\nContent-Length: 0',
    ' folded: header',
    'NoColon',
    ': empty-name',
    'X-Null: a\0b',
    'Host: a\r\nHost: b',
    `X-Huge: ${'h'.repeat(17 * 1024)}`,
    `Authorization: Bearer ${'a'.repeat(20_000)}`,
  ),
);
const rawRequestBytes = fc
  .record({
    method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'BREW', 'G\0T', ''), rawString(8)),
    target: fc.oneof(hostilePath, rawString(60), fc.constant('*'), fc.constant('http://evil.example/v1/wards')),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', '', 'HTTP/9'),
    lines: fc.array(rawLine, { maxLength: 3 }),
  })
  .map(({ method: m, target: path, version, lines }) =>
    Buffer.from(
      `${m} ${path} ${version}\r\nHost: 127.0.0.1\r\n${lines.map((l) => `${l}\r\n`).join('')}Connection: close\r\n\r\n`,
      'latin1',
    ),
  );

test('raw malformed requests and oversized headers reach the server directly', async () => {
  let unanswered = 0;
  await fc.assert(
    fc.asyncProperty(rawRequestBytes, async (bytes) => {
      const replies = await rawRequest(hsPort, bytes);
      casesRun += 1;
      // The server may drop a connection whose request it cannot even frame; that is never a 5xx.
      if (replies.length === 0) unanswered += 1;
      const head = bytes.toString('latin1').startsWith('HEAD ');
      replies.forEach((reply, i) => assertSafe(reply, head && i === 0 ? 'HEAD' : 'GET'));
    }),
    {
      numRuns: 400,
      // Known-tricky framings first: bare-LF line ends (split into two requests), a request line with no version.
      examples: [
        [Buffer.from('GET /healthz HTTP/1.1\nHost: x\n\nGET /v1/ HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1')],
        [Buffer.from('GET /v1/ \r\nHost: x\r\nConnection: close\r\n\r\n', 'latin1')],
        [Buffer.from('HEAD * HTTP/1.1\r\nHost: x\r\n\r\nConnection: close\r\n\r\n', 'latin1')],
      ],
    },
  );
  expect(unanswered).toBeLessThan(40);
});

test('nothing the client sends is echoed back (but a well-formed X-Request-Id)', async () => {
  const marker = fc.stringMatching(/^[a-z]{8}$/).map((s) => `zqx${s}`);
  const where = fc.constantFrom('path', 'route', 'query key', 'query value', 'header', 'body', 'audit filter');
  await fc.assert(
    fc.asyncProperty(marker, where, fc.constantFrom(['clinician'] as const, ['compliance'] as const), async (m, place, roles) => {
      const auth = { Authorization: `Bearer ${await t.token([...roles], { sub: 'fuzz-echo' })}` };
      const id = patientIds[0];
      const [verb, path, headers, payload]: [string, string, Record<string, string>, string?] = {
        path: ['GET', `/v1/patients/${m}/summary`, auth],
        route: ['GET', `/v1/${m}`, auth],
        'query key': ['GET', `/v1/patients/${id}/summary?${m}=1`, auth],
        'query value': ['GET', `/v1/patients/${id}/summary?days=${m}`, auth],
        header: ['GET', `/v1/wards/${m}/patients`, { ...auth, Accept: m, 'X-Extra': m }],
        body: ['POST', '/v1/wards', { ...auth, 'Content-Type': 'application/json' }, `{"${m}":`],
        'audit filter': ['GET', `/v1/audit-events?action=${m}&${m}=2`, auth],
      }[place] as [string, string, Record<string, string>, string?];
      const reply = await send(hsPort, verb, path, headers, payload);
      checkReply(reply, verb);
      if (reply.body.includes(m)) throw new Error(`echoed the client's ${place}: ${reply.body.slice(0, 200)}`);
    }),
    { numRuns: 300 },
  );
});

test('the checks themselves reject what they must (a 5xx, a stack, PHI, a bare or mismatched error)', () => {
  const ok = { 'x-request-id': 'r1', 'content-type': 'application/json' };
  const envelope = (requestId: string) => JSON.stringify({ error: { code: 'x', message: 'y', requestId } });
  expect(() => assertSafe({ status: 400, headers: ok, body: envelope('r1') }, 'GET')).not.toThrow();
  expect(() => assertSafe({ status: 500, headers: ok, body: envelope('r1') }, 'GET')).toThrow(/5xx/);
  expect(() => assertSafe({ status: 400, headers: ok, body: envelope('r2') }, 'GET')).toThrow(/envelope/);
  expect(() => assertSafe({ status: 400, headers: ok, body: 'Bad Request' }, 'GET')).toThrow(/envelope/);
  expect(() => assertSafe({ status: 400, headers: {}, body: envelope('r1') }, 'GET')).toThrow(/X-Request-Id/);
  expect(() => assertSafe({ status: 200, headers: ok, body: 'TypeError: x\n    at foo (/app/src/x.ts:1:2)' }, 'GET')).toThrow(/stack/);
  expect(() => assertSafe({ status: 200, headers: ok, body: `{"n":"${phi[0]}"}` }, 'GET')).toThrow(/PHI/);
});

test('the run was big enough to mean something', () => {
  expect(casesRun).toBeGreaterThanOrEqual(3500);
});
