// The one internal shape every provider adapter speaks: encode a ChatRequest, decode a reply, know its path and headers.
import type { ChatRequest } from '../types';

/** A provider's answer, decoded into the client's single internal response type. */
export interface ProviderReply {
  text: string;
  stopReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
}

export interface ProviderAdapter {
  /** Request path on the provider's origin, including any base path and query from base_url. */
  readonly path: string;
  /** Flat [name, value, ...] header list for one attempt; the API key lives only inside this closure. */
  headers(auditEventId: string): string[];
  /** JSON request body for the configured model. */
  encode(request: ChatRequest): string;
  /** null when the JSON does not have the expected shape (counted as a 'malformed' failure). */
  decode(json: unknown): ProviderReply | null;
}

export interface AdapterOptions {
  baseUrl: URL;
  model: string;
  apiKey: string | undefined;
}

/** base path + /v1 + endpoint, without doubling a /v1 the base URL already ends with. */
export function endpointPath(baseUrl: URL, endpoint: string): string {
  let base = baseUrl.pathname.replace(/\/+$/, '');
  if (!base.endsWith('/v1')) base += '/v1';
  return base + endpoint + baseUrl.search;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function tokenUsage(input: unknown, output: unknown): ProviderReply['usage'] {
  return typeof input === 'number' && typeof output === 'number' ? { inputTokens: input, outputTokens: output } : undefined;
}
