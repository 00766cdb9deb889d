// What an HTTP status means for an attempt, following the official SDKs' retry rules (openai, @anthropic-ai/sdk).
import type { IncomingHttpHeaders } from 'node:http';
import type { AttemptOutcome } from './types';

export interface StatusVerdict {
  outcome: AttemptOutcome;
  /** May the same provider be asked again (budget and deadline permitting)? */
  retryable: boolean;
}

/**
 * 408, 409, 429 and 5xx (529 included) are retried; `x-should-retry: true|false` overrides the status either way.
 * 400, 401, 403 and 404 mean the provider cannot answer this configuration (key, model, parameter): misconfigured.
 * Any other 4xx fails over without a retry.
 */
export function classifyStatus(status: number, headers: IncomingHttpHeaders): StatusVerdict {
  const hint = headers['x-should-retry'];
  const override = hint === 'true' ? true : hint === 'false' ? false : undefined;
  let outcome: AttemptOutcome;
  let retryable: boolean;
  if (status >= 500) {
    outcome = '5xx';
    retryable = true;
  } else if (status === 429) {
    outcome = '429';
    retryable = true;
  } else if (status === 408 || status === 409) {
    outcome = 'transient';
    retryable = true;
  } else if (status === 400 || status === 401 || status === 403 || status === 404) {
    // A server that says this one is worth retrying knows better than the status (the SDKs obey it too).
    outcome = override === true ? 'transient' : 'misconfigured';
    retryable = false;
  } else {
    outcome = override === true ? 'transient' : 'client_error';
    retryable = false;
  }
  return { outcome, retryable: override ?? retryable };
}
