// The one internal shape every provider adapter speaks: where to POST, the body for a ChatRequest, the reply decoded.
import type { IncomingHttpHeaders } from 'node:http';
import type { ModelParams } from '../params';
import type { ChatRequest } from '../types';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** A provider's 2xx answer in the client's single internal response type. */
export interface Decoded {
  /** The provider declined: a refusal, a content filter or a safety block. `text` is then empty. */
  refused: boolean;
  text: string;
  /** The provider's own finish or stop reason (`end_turn`, `STOP`, `content_filter`...), for telemetry. */
  finishReason: string | undefined;
  /** The same in the OpenAI vocabulary the rest of shiftnote uses (`stop`, `length`...). */
  stopReason: string | undefined;
  /** The model the provider says answered, when it says. */
  responseModel: string | undefined;
  usage: Usage | undefined;
}

/** What a provider's error body says, read from a bounded prefix of it. Never logged without scrubbing. */
export interface ProviderError {
  type?: string;
  message?: string;
  /** A 4xx that is really a content filter on the prompt (Azure's `content_filter`). */
  refusal?: boolean;
}

export interface Endpoint {
  /** scheme://host[:port] for the connection pool. */
  origin: string;
  /** host[:port]: the recipient named in the audit row. */
  host: string;
  /** Path and query of the one POST. */
  path: string;
}

export interface ProviderAdapter {
  readonly endpoint: Endpoint;
  /** OpenTelemetry gen_ai.provider.name. */
  readonly genAiProvider: string;
  /** Flat [name, value, ...] header list for one attempt, before any token or signature; keys live in this closure. */
  headers(auditEventId: string): string[];
  /** JSON request body. */
  encode(request: ChatRequest): string;
  /** null when a 2xx body does not have the expected shape (a 'malformed' attempt). */
  decode(json: unknown): Decoded | null;
  /** Type and message from an error body (JSON already parsed, or undefined) and headers. */
  error(json: unknown, headers: IncomingHttpHeaders): ProviderError;
  /** Replaces this provider's own key wherever an error message echoes it (the key stays in this closure). */
  redact: (text: string) => string;
}

export interface AdapterContext {
  model: string;
  params: ModelParams;
}

/** scheme://host[:port] and base path of a URL, without a trailing slash. */
export function splitUrl(url: URL): { origin: string; host: string; base: string } {
  return { origin: url.origin, host: url.host, base: url.pathname.replace(/\/+$/, '') };
}

/** base path + /v1 + endpoint, without doubling a /v1 the base URL already ends with. */
export function endpointPath(baseUrl: URL, endpoint: string): string {
  let base = baseUrl.pathname.replace(/\/+$/, '');
  if (!base.endsWith('/v1')) base += '/v1';
  return base + endpoint + baseUrl.search;
}

export type Turn = { role: 'user' | 'assistant'; content: string };

/**
 * The conversation as every provider accepts it: an assistant turn with no text is dropped (the real Anthropic
 * API rejects an empty one with 400, others treat it as noise), and turns left next to one of the same role are
 * joined. The common case (no empty turn, alternating roles) returns the array as it is.
 */
export function conversation(messages: readonly Turn[]): readonly Turn[] {
  let clean = true;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if ((m.role === 'assistant' && m.content.trim() === '') || (i > 0 && messages[i - 1].role === m.role)) {
      clean = false;
      break;
    }
  }
  if (clean) return messages;
  const out: Turn[] = [];
  for (const m of messages) {
    if (m.role === 'assistant' && m.content.trim() === '') continue;
    const last = out[out.length - 1];
    if (last && last.role === m.role) out[out.length - 1] = { role: m.role, content: `${last.content}\n\n${m.content}` };
    else out.push({ role: m.role, content: m.content });
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function tokenUsage(input: unknown, output: unknown): Usage | undefined {
  return typeof input === 'number' && typeof output === 'number' ? { inputTokens: input, outputTokens: output } : undefined;
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * `{ error: { code|type|status, message } }`, the shape OpenAI, Azure, Anthropic and Google errors share. The
 * most specific name wins: OpenAI's and Azure's `code` (model_not_found), else the `type`, else Google's `status`.
 */
export function nestedError(json: unknown): ProviderError {
  if (!isRecord(json)) return {};
  const err = isRecord(json.error) ? json.error : json;
  const type = stringOrUndefined(err.code) ?? stringOrUndefined(err.type) ?? stringOrUndefined(err.status);
  return { type, message: stringOrUndefined(err.message) };
}

/** A redact() that hides `secret` (when there is one) in any text. */
export function redactor(secret: string | undefined): (text: string) => string {
  if (secret === undefined || secret.length < 4) return (text) => text;
  return (text) => text.split(secret).join('[redacted]');
}
