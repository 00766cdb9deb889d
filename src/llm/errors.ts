// The LLM client's errors. Messages carry provider names and outcome classes only: never bodies, keys or prompt text.
import type { AttemptOutcome } from './types';

/** One failed or skipped try at a provider, as reported in LlmUnavailableError. */
export interface ProviderFailure {
  provider: string;
  outcome: AttemptOutcome | 'breaker_open';
  /** The provider's error type or stop reason, when it gave one (e.g. `not_found_error`, `refusal`). */
  reason?: string;
}

/** No provider produced an answer: the caller should use the deterministic fallback summarizer. */
export class LlmUnavailableError extends Error {
  override readonly name = 'LlmUnavailableError';
  readonly code = 'llm_unavailable';

  constructor(
    readonly failures: readonly ProviderFailure[],
    readonly reason: 'no_provider' | 'all_failed' | 'deadline' | 'not_retryable' | 'refused' | 'closed',
  ) {
    super(describe(failures, reason));
  }
}

/** The audit hook failed before an attempt: nothing was sent (fail closed), and no other provider is tried. */
export class LlmAuditError extends Error {
  override readonly name = 'LlmAuditError';
  readonly code = 'llm_audit_failed';

  constructor(
    readonly provider: string,
    cause: unknown,
  ) {
    super(`audit hook failed before the LLM request to provider "${provider}"; the request was not sent`, { cause });
  }
}

/** The caller's AbortSignal fired; in-flight upstream requests were cancelled. Named like a DOM AbortError. */
export class LlmAbortedError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'ABORT_ERR';

  constructor() {
    super('LLM request aborted by the caller');
  }
}

/** The LLM configuration file is invalid. One line per problem, each naming the key path. */
export class LlmConfigError extends Error {
  override readonly name = 'LlmConfigError';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid LLM configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const reasons: Record<LlmUnavailableError['reason'], string> = {
  no_provider: 'no LLM provider is enabled or left to try',
  all_failed: 'all LLM providers failed',
  deadline: 'LLM deadline exceeded',
  not_retryable: 'LLM failure not configured for failover',
  refused: 'the LLM provider declined to answer (routing.on_refusal: fallback)',
  closed: 'LLM client is closed',
};

function describe(failures: readonly ProviderFailure[], reason: LlmUnavailableError['reason']): string {
  if (failures.length === 0) return reasons[reason];
  // "openai: 5xx, 5xx; anthropic: timeout", in the order providers were tried.
  const byProvider = new Map<string, string[]>();
  for (const f of failures) {
    const list = byProvider.get(f.provider);
    if (list) list.push(f.outcome);
    else byProvider.set(f.provider, [f.outcome]);
  }
  const parts = [...byProvider].map(([provider, outcomes]) => `${provider}: ${outcomes.join(', ')}`);
  return `${reasons[reason]} (${parts.join('; ')})`;
}
