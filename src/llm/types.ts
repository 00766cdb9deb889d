// The LLM client's public types: the chat port (structurally the same as src/clinical/types.ts), audit hooks, client surface.

/** Provider-neutral chat request: the port the domain needs from an LLM client. */
export interface ChatRequest {
  system: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  maxTokens: number;
  temperature?: number;
  /** Ask for a JSON object answer where the provider supports it. */
  json?: boolean;
}

export interface ChatResponse {
  text: string;
  provider: string;
  model: string;
  usage?: { inputTokens: number; outputTokens: number };
  stopReason?: string;
}

/** Opaque context carried to the audit hooks (actor, request id, patient id...). The client never reads it. */
export type AttemptMeta = Record<string, unknown>;

export interface CompleteOptions {
  signal?: AbortSignal;
  meta: AttemptMeta;
  /** Provider names not to use for this call (e.g. one that already produced an ungrounded answer). */
  excludeProviders?: string[];
  /** Use only this provider (a repair turn goes back to the provider that answered). */
  onlyProvider?: string;
  /**
   * Absolute deadline (epoch ms, Date.now clock) shared by every call one piece of work makes (first answer,
   * repair, second round): this call ends by then even if routing.deadline_ms would allow longer.
   */
  deadlineAt?: number;
}

export interface ChatCompleter {
  complete(request: ChatRequest, options: CompleteOptions): Promise<ChatResponse>;
}

export const PROVIDER_TYPES = ['openai', 'azure-openai', 'anthropic', 'bedrock', 'vertex'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/**
 * How one attempt ended. `5xx`, `429`, `timeout` and `connection` are also `fallback_on` classes; `transient`
 * (408, 409, or `x-should-retry: true` on another 4xx), `malformed` and `too_large` count as 5xx.
 */
export type AttemptOutcome =
  | 'success'
  | '5xx'
  | '429'
  | 'transient'
  | 'timeout'
  | 'connection'
  /** The provider declined (refusal, content filter, safety block): never retried there, not a breaker failure. */
  | 'refused'
  /** 400, 401, 403 or 404: the provider cannot answer this configuration; out of rotation for a cool-down. */
  | 'misconfigured'
  /** Another 4xx that no retry will fix (413, 422, 424...). */
  | 'client_error'
  | 'malformed'
  /** The answer was larger than max_response_bytes: cut off while reading, never kept. */
  | 'too_large'
  /** Credentials could not be obtained (token endpoint, metadata service, credential chain): nothing was sent. */
  | 'auth_error'
  | 'aborted'
  | 'hedge_lost';

export type FallbackClass = '5xx' | 'timeout' | '429' | 'connection';

/** What the audit hook is told before an attempt is sent. No content: only hashes, sizes and routing facts. */
export interface AttemptStart {
  provider: string;
  type: ProviderType;
  model: string;
  /** host[:port] of the provider's base URL: the recipient of the disclosure. */
  host: string;
  /** Business associate agreement on file for this provider. */
  baa: boolean;
  /** 1-based across the whole complete() call. */
  attempt: number;
  /** 1-based within this provider for this call. */
  providerAttempt: number;
  /** True when this attempt was started as a hedge while another was still in flight. */
  hedge: boolean;
  requestBytes: number;
  /** Hex SHA-256 of the exact request body bytes sent. */
  requestSha256: string;
  meta: AttemptMeta;
}

export interface AttemptEnd extends AttemptStart {
  auditEventId: string;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  outcome: AttemptOutcome;
  latencyMs: number;
  usage?: { inputTokens: number; outputTokens: number };
  /** The provider's own error type or stop reason for a failed or refused attempt (e.g. `not_found_error`). */
  reason?: string;
}

export interface AttemptHooks {
  /** Writes and commits the `llm.request` audit row; resolves to its id. A rejection means the attempt is not sent. */
  beforeAttempt(attempt: AttemptStart): Promise<string>;
  /** Records how the attempt ended (`llm.response`). Its failure is logged, never turned into a failed answer. */
  afterAttempt(attempt: AttemptEnd): Promise<void>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A provider as routing sees it: `misconfigured` wins over the breaker (it is out of rotation either way). */
export type ProviderState = 'available' | 'half-open' | 'open' | 'misconfigured';

export interface ProviderStatus {
  name: string;
  type: ProviderType;
  model: string;
  host: string;
  baa: boolean;
  breaker: BreakerState;
  state: ProviderState;
  /** Why it is misconfigured: status, the provider's error type and message (never prompt or answer content). */
  cause?: string;
}

/** What /readyz reports about the LLM: degraded while any provider is out of rotation (the fallback still serves). */
export interface LlmHealth {
  status: 'ok' | 'degraded';
  providers: ProviderStatus[];
  /** One line per provider that is not available, e.g. `anthropic: misconfigured (404 not_found_error: model: ...)`. */
  reasons: string[];
}

export interface LlmClient extends ChatCompleter {
  enabledProviders(): ProviderStatus[];
  health(): LlmHealth;
  /** Lets in-flight calls finish (bounded by the deadline), then closes the connection pools. */
  close(): Promise<void>;
}

/** The slice of a pino logger the client uses. */
export interface LlmLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}
