// How a provider's requests are authorized when a static key in a header is not enough: a bearer token or SigV4.
import type { ProviderError } from '../providers/adapter';

/** The parts of one request a signature covers. */
export interface SignableRequest {
  host: string;
  path: string;
  body: Buffer;
  /** Hex SHA-256 of body (already computed for the audit row). */
  sha256: string;
}

/** Cached and refreshed credentials (CredentialCache); `peek()` is the synchronous fast path. */
export interface CredentialSource<C> {
  peek(): C | undefined;
  get(timeoutMs: number): Promise<C>;
  invalidate(credential: C): void;
}

export interface Authorizer<C = unknown> {
  readonly credentials: CredentialSource<C>;
  /** The header list with the credential applied (a bearer token, or a SigV4 signature over the whole request). */
  apply(headers: string[], credential: C, request: SignableRequest): string[] | Promise<string[]>;
  /** The provider rejected the credential itself (expired or revoked), so a fresh one may succeed. */
  rejected(status: number, error: ProviderError): boolean;
}

export function bearer(headers: string[], token: string): string[] {
  headers.push('authorization', `Bearer ${token}`);
  return headers;
}
