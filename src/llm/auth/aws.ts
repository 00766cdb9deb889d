// AWS SigV4 for Bedrock: credentials from the SDK's default chain, signatures from @smithy/signature-v4.
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Authorizer, SignableRequest } from './authorizer';
import { AuthFailure, CredentialCache } from './cache';

/** Access key, secret, optional session token and expiration, as the chain resolves them. */
export type AwsCredentialIdentity = Awaited<ReturnType<ReturnType<typeof fromNodeProviderChain>>>;

export interface AwsOptions {
  region: string;
  /** A named profile; default: the standard chain (env, AWS_PROFILE, SSO, web identity, container, instance role). */
  profile?: string;
  now: () => number;
  fetchTimeoutMs: number;
  onBackgroundError?: (err: unknown) => void;
}

export function classifyAws(err: unknown): AuthFailure {
  const e = err as { name?: string; message?: string };
  const message = String(e?.message ?? err).split('\n')[0];
  // The chain's own verdict: nothing in the environment, profile, container or instance gave credentials.
  if (e?.name === 'CredentialsProviderError') return new AuthFailure('misconfigured', 'CredentialsProviderError', message);
  return new AuthFailure('auth_error', e?.name ?? 'Error', message);
}

// Error types Bedrock uses for credentials that expired or were never valid.
const staleCredentialTypes = new Set(['ExpiredTokenException', 'UnrecognizedClientException', 'InvalidSignatureException']);

export function awsAuthorizer(options: AwsOptions): Authorizer<AwsCredentialIdentity> {
  const chain = fromNodeProviderChain({
    ...(options.profile ? { profile: options.profile } : {}),
    // Container and instance metadata: bounded, and one retry at most; our own timeout bounds the rest.
    timeout: Math.min(options.fetchTimeoutMs, 2000),
    maxRetries: 1,
  });
  const credentials = new CredentialCache<AwsCredentialIdentity>(
    // Always forced: this cache decides when credentials are stale; the chain's own memo would hand back old ones.
    async () => {
      const identity = await chain({ forceRefresh: true });
      return { credential: identity, expiresAt: identity.expiration?.getTime() ?? Infinity };
    },
    {
      now: options.now,
      fetchTimeoutMs: options.fetchTimeoutMs,
      onBackgroundError: options.onBackgroundError,
      classify: classifyAws,
      same: (a, b) => a.accessKeyId === b.accessKeyId && a.secretAccessKey === b.secretAccessKey && a.sessionToken === b.sessionToken,
    },
  );

  // One signer per set of credentials: it caches the derived signing key for the day.
  let signerFor: { identity: AwsCredentialIdentity; signer: SignatureV4 } | null = null;
  const signer = (identity: AwsCredentialIdentity): SignatureV4 => {
    if (signerFor?.identity !== identity) {
      signerFor = {
        identity,
        signer: new SignatureV4({ service: 'bedrock', region: options.region, credentials: identity, sha256: Sha256 }),
      };
    }
    return signerFor.signer;
  };

  return {
    credentials,
    async apply(headers: string[], identity: AwsCredentialIdentity, request: SignableRequest): Promise<string[]> {
      const named: Record<string, string> = { host: request.host, 'x-amz-content-sha256': request.sha256 };
      for (let i = 0; i < headers.length; i += 2) named[headers[i]] = headers[i + 1];
      const [path, query] = splitQuery(request.path);
      const signed = await signer(identity).sign({
        method: 'POST',
        protocol: 'https:',
        hostname: request.host,
        path,
        query,
        headers: named,
        body: request.body,
      });
      const out: string[] = [];
      for (const [name, value] of Object.entries(signed.headers)) {
        // undici sets Host from the origin; sending it twice would be a protocol error.
        if (name !== 'host') out.push(name, value);
      }
      return out;
    },
    rejected: (status, error) => (status === 403 || status === 401) && error.type !== undefined && staleCredentialTypes.has(error.type),
  };
}

function splitQuery(path: string): [string, Record<string, string>] {
  const at = path.indexOf('?');
  if (at < 0) return [path, {}];
  return [path.slice(0, at), Object.fromEntries(new URLSearchParams(path.slice(at + 1)))];
}
