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
}

export interface ChatCompleter {
  complete(request: ChatRequest, options: CompleteOptions): Promise<ChatResponse>;
}

export type ProviderType = 'openai' | 'anthropic';

/** How one attempt ended. The first four are also the `fallback_on` classes (malformed counts as 5xx). */
export type AttemptOutcome =
  | 'success'
  | '5xx'
  | '429'
  | 'timeout'
  | 'connection'
  | 'client_error'
  | 'malformed'
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
}

export interface AttemptHooks {
  /** Writes and commits the `llm.request` audit row; resolves to its id. A rejection means the attempt is not sent. */
  beforeAttempt(attempt: AttemptStart): Promise<string>;
  /** Records how the attempt ended (`llm.response`). Its failure is logged, never turned into a failed answer. */
  afterAttempt(attempt: AttemptEnd): Promise<void>;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface ProviderStatus {
  name: string;
  type: ProviderType;
  model: string;
  host: string;
  baa: boolean;
  breaker: BreakerState;
}

export interface LlmClient extends ChatCompleter {
  enabledProviders(): ProviderStatus[];
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
