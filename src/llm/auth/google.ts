// Google OAuth access tokens for Vertex AI: application-default credentials or a credentials file, via google-auth-library.
import { GoogleAuth, gaxios } from 'google-auth-library';
import { fetch as undiciFetch } from 'undici';
import type { Authorizer } from './authorizer';
import { bearer } from './authorizer';
import { AuthFailure, CredentialCache } from './cache';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface GoogleOptions {
  /** The project the calls bill to: given, so the library does not go looking for one (gcloud, metadata: seconds). */
  project: string;
  /** A credentials JSON file (service account key, external account...); default: application-default credentials. */
  credentialsFile?: string;
  now: () => number;
  fetchTimeoutMs: number;
  onBackgroundError?: (err: unknown) => void;
}

export function classifyGoogle(err: unknown): AuthFailure {
  const e = err as { name?: string; message?: string; status?: number; response?: { status?: number; data?: { error?: unknown } } };
  const message = String(e?.message ?? err).split('\n')[0];
  const status = e?.response?.status ?? e?.status;
  if (/Could not load the default credentials|Unable to detect a Project Id|ENOENT/.test(message)) {
    return new AuthFailure('misconfigured', 'no_credentials', message);
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
    const type = typeof e.response?.data?.error === 'string' ? e.response.data.error : `token_${status}`;
    return new AuthFailure('misconfigured', type, message);
  }
  return new AuthFailure('auth_error', e?.name ?? 'Error', message);
}

// gaxios (under google-auth-library and gcp-metadata) would otherwise load node-fetch: token and metadata-server
// requests go through undici like every other outbound request. Its default instance serves gcp-metadata.
const transporterOptions = { fetchImplementation: undiciFetch as unknown as typeof fetch };

export function googleAuthorizer(options: GoogleOptions): Authorizer<string> {
  gaxios.instance.defaults.fetchImplementation ??= transporterOptions.fetchImplementation;
  // A new GoogleAuth per fetch, for the same reason as Entra: its client caches the token it was given.
  const credentials = new CredentialCache<string>(
    async () => {
      const auth = new GoogleAuth({
        projectId: options.project,
        scopes: CLOUD_PLATFORM_SCOPE,
        clientOptions: { transporterOptions },
        ...(options.credentialsFile ? { keyFilename: options.credentialsFile } : {}),
      });
      const client = await auth.getClient();
      const { token } = await client.getAccessToken();
      if (!token) throw new AuthFailure('misconfigured', 'no_token', 'Google credentials returned no access token');
      const expiry = (client.credentials as { expiry_date?: number | null }).expiry_date;
      return { credential: token, expiresAt: typeof expiry === 'number' ? expiry : options.now() + 55 * 60_000 };
    },
    { now: options.now, fetchTimeoutMs: options.fetchTimeoutMs, onBackgroundError: options.onBackgroundError, classify: classifyGoogle },
  );
  return {
    credentials,
    apply: bearer,
    // 401 UNAUTHENTICATED: the token expired or was revoked.
    rejected: (status) => status === 401,
  };
}
