// Microsoft Entra ID tokens for Azure OpenAI: client credentials or managed identity, through @azure/identity.
import { readFileSync } from 'node:fs';
import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { Authorizer } from './authorizer';
import { bearer } from './authorizer';
import { AuthFailure, CredentialCache } from './cache';

export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

export interface EntraOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  authorityHost?: string;
  caFile?: string;
  now: () => number;
  fetchTimeoutMs: number;
  onBackgroundError?: (err: unknown) => void;
}

/** An Entra ID failure in attempt terms: no identity or a rejected secret needs a person; anything else may pass. */
// OAuth error codes Entra answers for a wrong tenant, client, secret or scope (MSAL puts them first in the message).
const configurationCodes = /^(invalid_client|unauthorized_client|invalid_grant|invalid_scope|invalid_request|invalid_resource)\b/;

export function classifyEntra(err: unknown): AuthFailure {
  const e = err as { name?: string; message?: string; statusCode?: number; errorResponse?: { error?: string } };
  const raw = String(e?.message ?? err).split('\n')[0];
  // MSAL's message repeats boilerplate around the one useful part, "AADSTSnnnn: ...".
  const message = /AADSTS\d+:[^-]*/.exec(raw)?.[0].trim() ?? raw;
  if (e?.name === 'CredentialUnavailableError') return new AuthFailure('misconfigured', 'CredentialUnavailableError', message);
  const code = configurationCodes.exec(raw)?.[1];
  if (code !== undefined) return new AuthFailure('misconfigured', code, message);
  if (
    e?.name === 'AuthenticationError' &&
    typeof e.statusCode === 'number' &&
    e.statusCode >= 400 &&
    e.statusCode < 500 &&
    e.statusCode !== 429
  ) {
    return new AuthFailure('misconfigured', e.errorResponse?.error ?? 'AuthenticationError', message);
  }
  return new AuthFailure('auth_error', e?.name ?? 'Error', message);
}

export function entraAuthorizer(options: EntraOptions): Authorizer<string> {
  const ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;
  const common = {
    ...(options.authorityHost ? { authorityHost: options.authorityHost, disableInstanceDiscovery: true } : {}),
    ...(ca ? { tlsOptions: { ca } } : {}),
    // The attempt has its own retries and deadline; the pipeline's would outlast both.
    retryOptions: { maxRetries: 1 },
  };
  const make = (): TokenCredential =>
    options.clientSecret !== undefined && options.tenantId !== undefined && options.clientId !== undefined
      ? new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret, common)
      : new ManagedIdentityCredential({ ...(options.clientId ? { clientId: options.clientId } : {}), ...common });
  // A new credential per fetch: MSAL's own cache would otherwise hand back a token the service just rejected.
  const credentials = new CredentialCache<string>(
    async (signal) => {
      const token = await make().getToken(COGNITIVE_SERVICES_SCOPE, { abortSignal: signal });
      if (!token) throw new AuthFailure('misconfigured', 'no_token', 'Entra ID returned no token');
      return { credential: token.token, expiresAt: token.expiresOnTimestamp, refreshAt: token.refreshAfterTimestamp };
    },
    { now: options.now, fetchTimeoutMs: options.fetchTimeoutMs, onBackgroundError: options.onBackgroundError, classify: classifyEntra },
  );
  return {
    credentials,
    apply: bearer,
    // Azure answers 401 for an expired or revoked token.
    rejected: (status) => status === 401,
  };
}
