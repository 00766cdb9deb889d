// OIDC identity: RS256 tokens checked against a local JWKS server, with issuer/audience checks and key rotation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { jwksVerifier } from '../../src/http/auth';
import { startTestApp, type TestApp } from '../support/app';

const ISSUER = 'https://idp.test.example/';
const AUDIENCE = 'shiftnote';
// Short enough to test expiry and refetch; production defaults are 10 min and 30 s.
const CACHE_MAX_AGE_MS = 1000;

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

let published: SigningKey[] = [];
let jwksFetches = 0;
let jwksDown = false;
let jwksServer: http.Server;
let jwksUrl: string;
let t: TestApp;
let patientId: string;

function sign(
  key: SigningKey,
  claims: Record<string, unknown> = {},
  opts: { iss?: string; aud?: string; exp?: string } = {},
): Promise<string> {
  return new SignJWT({ roles: ['clinician'], ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setSubject('oidc-nurse')
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '5m')
    .sign(key.privateKey);
}

const summary = (token: string) => request(t.app).get(`/v1/patients/${patientId}/summary`).set('Authorization', `Bearer ${token}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  jwksServer = http.createServer((_req, res) => {
    jwksFetches += 1;
    if (jwksDown) return void res.writeHead(503).end();
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: published.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  t = await startTestApp({
    verifier: jwksVerifier(jwksUrl, { issuer: ISSUER, audience: AUDIENCE, cacheMaxAgeMs: CACHE_MAX_AGE_MS, cooldownMs: 0 }),
  });
  patientId = (await t.db.patient.findFirstOrThrow({ orderBy: { bed: 'asc' } })).id;
});
afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

test('a token signed by a published key, with the right issuer and audience, is accepted', async () => {
  const k1 = await signingKey('k1');
  published = [k1];
  await summary(await sign(k1)).expect(200);
});

test('keys are cached: many verifications, one fetch', async () => {
  // Its own verifier with a long cache, so a slow machine cannot turn the check into a refetch.
  const verifier = jwksVerifier(jwksUrl, { issuer: ISSUER, audience: AUDIENCE, cacheMaxAgeMs: 60_000 });
  const fetches = jwksFetches;
  for (let i = 0; i < 5; i++)
    await expect(verifier.verify(await sign(published[0]))).resolves.toMatchObject({ sub: 'oidc-nurse', roles: ['clinician'] });
  expect(jwksFetches).toBe(fetches + 1);
});

test.each([
  ['wrong issuer', { iss: 'https://evil.example/' }],
  ['wrong audience', { aud: 'another-app' }],
  ['expired (beyond the 30 s clock tolerance)', { exp: '-2m' }],
])('%s → 401 with the envelope', async (_name, opts) => {
  const k1 = published[0];
  const res = await summary(await sign(k1, {}, opts)).expect(401);
  expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String), requestId: res.headers['x-request-id'] } });
  expect(res.headers['www-authenticate']).toBe('Bearer');
});

test('rotation: a token with a new kid is accepted once the key set is refetched', async () => {
  const k2 = await signingKey('k2');
  const token = await sign(k2);
  published = [published[0], k2];
  const fetches = jwksFetches;
  await summary(token).expect(200);
  expect(jwksFetches).toBe(fetches + 1);
});

test('rotation: a key removed from the set stops working once the cache expires', async () => {
  const [k1, k2] = published;
  const oldKeyToken = await sign(k1);
  await summary(oldKeyToken).expect(200);
  published = [k2];
  await sleep(CACHE_MAX_AGE_MS + 100);
  await summary(oldKeyToken).expect(401);
  await summary(await sign(k2)).expect(200);
});

test('a token signed by a key that was never published → 401', async () => {
  const rogue = await signingKey(published[0].kid);
  await summary(await sign(rogue)).expect(401);
});

test('HS256 "signed" with the public key (algorithm confusion) and alg none → 401', async () => {
  const [k2] = published;
  const publicKeyAsSecret = new TextEncoder().encode(JSON.stringify(k2.jwk));
  const confused = await new SignJWT({ roles: ['clinician'] })
    .setProtectedHeader({ alg: 'HS256', kid: k2.kid })
    .setSubject('x')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(publicKeyAsSecret);
  await summary(confused).expect(401);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', roles: ['clinician'], iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 })}.`;
  await summary(none).expect(401);
});

test('ward scoping holds for OIDC tokens too', async () => {
  const [k2] = published;
  const patient = await t.db.patient.findUniqueOrThrow({ where: { id: patientId } });
  const otherWard = await t.db.ward.findFirstOrThrow({ where: { id: { not: patient.wardId } } });
  await summary(await sign(k2, { ward_ids: [otherWard.id] })).expect(403);
  await summary(await sign(k2, { ward_ids: [patient.wardId] })).expect(200);
});

test('the identity provider being unreachable → 503 with Retry-After, not 401 (the token may be fine)', async () => {
  const [k2] = published;
  const token = await sign(k2);
  jwksDown = true;
  try {
    await sleep(CACHE_MAX_AGE_MS + 100);
    const res = await summary(token).expect(503);
    expect(res.body.error.code).toBe('unavailable');
    expect(res.headers['retry-after']).toBeDefined();
  } finally {
    jwksDown = false;
  }
  await summary(token).expect(200);
});
