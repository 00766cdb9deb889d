// Bearer-token authentication (HS256 secret or OIDC JWKS via jose) and the role check; who may see what is access/policy.
import { createSecretKey } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ROLES, type Principal, type Role } from '../access/policy';
import { badRequest, forbidden, HttpError, unauthorized, unavailable } from './errors';
import { holdsNonText } from './input';

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  roles: z.array(z.enum(ROLES)).min(1).max(3),
  ward_ids: z.array(z.uuid()).max(200).optional(),
});

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export interface VerifierOptions {
  issuer?: string;
  audience?: string;
}

function toPrincipal(payload: unknown): Principal {
  // A subject the audit trail could not even store: the request is malformed, not merely unauthorised.
  if (holdsNonText((payload as { sub?: unknown } | null)?.sub)) throw badRequest('the token subject holds a character that is not allowed');
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw unauthorized('token claims are invalid');
  // UUIDs in one spelling (lower case, as PostgreSQL writes them): an upper-case claim names the same ward.
  return { sub: claims.data.sub, roles: claims.data.roles, wardIds: claims.data.ward_ids?.map((id) => id.toLowerCase()) ?? null };
}

// An OIDC provider's clock is not ours: accept its exp/nbf within this many seconds.
const IDP_CLOCK_TOLERANCE_S = 30;

/** Any verification failure is a 401 with one generic message: the client learns nothing about why. */
function rethrow(err: unknown): never {
  if (err instanceof HttpError) throw err;
  throw unauthorized('token is invalid or expired');
}

export function hs256Verifier(secret: string, options: VerifierOptions = {}): TokenVerifier {
  // A KeyObject imported once: jose would re-import raw bytes on every verify.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ['exp', 'sub'],
        });
        return toPrincipal(payload);
      } catch (err) {
        rethrow(err);
      }
    },
  };
}

export interface JwksOptions extends VerifierOptions {
  /** Keys are refetched after this long even without an unknown `kid` (so removed keys stop working). Default 10 min. */
  cacheMaxAgeMs?: number;
  /** An unknown `kid` refetches at most this often (rotation without letting junk tokens hammer the IdP). Default 30 s. */
  cooldownMs?: number;
  /** JWKS fetch timeout. Default 5 s. */
  timeoutMs?: number;
}

// Errors about the token's header versus the key set: the token's fault, so 401. Anything else came from fetching keys.
const TOKEN_KEY_ERRORS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
]);

/** The IdP's key set could not be fetched: not the client's fault, so 503 rather than 401. */
class KeySetUnavailable extends Error {}

function distinguishFetchFailures(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && TOKEN_KEY_ERRORS.has(code)) throw err;
      throw new KeySetUnavailable();
    }
  };
}

export function jwksVerifier(jwksUrl: string, options: JwksOptions = {}, getKey?: JWTVerifyGetKey): TokenVerifier {
  // jose caches the key set and refetches it on an unknown `kid` (key rotation, after the cooldown) or once it is stale.
  const keys = distinguishFetchFailures(
    getKey ??
      createRemoteJWKSet(new URL(jwksUrl), {
        cooldownDuration: options.cooldownMs ?? 30_000,
        cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
        timeoutDuration: options.timeoutMs ?? 5_000,
      }),
  );
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          // Asymmetric only: an HS256 token "signed" with a public key must never verify.
          algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: IDP_CLOCK_TOLERANCE_S,
        });
        return toPrincipal(payload);
      } catch (err) {
        if (err instanceof KeySetUnavailable) throw unavailable("the identity provider's keys are unavailable; retry shortly");
        rethrow(err);
      }
    },
  };
}

export interface MintOptions {
  sub: string;
  roles: Role[];
  wardIds?: string[];
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

export function mintToken(secret: string, o: MintOptions): Promise<string> {
  let jwt = new SignJWT({ roles: o.roles, ...(o.wardIds ? { ward_ids: o.wardIds } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(o.sub)
    .setIssuedAt()
    .setExpirationTime(`${o.ttlSeconds ?? 12 * 3600}s`);
  if (o.issuer) jwt = jwt.setIssuer(o.issuer);
  if (o.audience) jwt = jwt.setAudience(o.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

export function authenticate(verifier: TokenVerifier): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    const match = header && header.length < 8192 ? BEARER.exec(header) : null;
    if (!match) return next(unauthorized());
    verifier.verify(match[1]).then((principal) => {
      req.principal = principal;
      next();
    }, next);
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal;
    if (!principal) return next(unauthorized());
    if (!principal.roles.some((r) => roles.includes(r))) return next(forbidden(`requires one of: ${roles.join(', ')}`));
    next();
  };
}
