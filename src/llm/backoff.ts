// Retry waits: full-jitter exponential backoff, and the server's own wait (retry-after-ms, Retry-After) as the SDKs read it.
import type { IncomingHttpHeaders } from 'node:http';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** random(0, min(max, base·2^n)) for the n-th retry (0-based): spreads retries so providers are not stampeded. */
export function fullJitterMs(retryIndex: number, { baseMs, maxMs }: BackoffOptions, random: () => number): number {
  return random() * Math.min(maxMs, baseMs * 2 ** retryIndex);
}

/** Retry-After as delta-seconds or an HTTP date, in ms from nowMs; null when absent or unparseable. */
export function parseRetryAfterMs(value: string | string[] | undefined, nowMs: number): number | null {
  if (Array.isArray(value)) value = value[0];
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

// setTimeout fires after 1 ms for anything above this.
const maxTimerMs = 2 ** 31 - 1;

/**
 * The wait a response asks for, as the official OpenAI and Anthropic SDKs read it: `retry-after-ms` first (a
 * non-standard header both send), then `retry-after` in seconds or as an HTTP date. null when absent, unparseable,
 * zero or negative, or too large for a timer: the caller's backoff applies then.
 */
export function serverRetryAfterMs(headers: IncomingHttpHeaders, nowMs: number): number | null {
  const msHeader = headers['retry-after-ms'];
  const ms = typeof msHeader === 'string' ? Number.parseFloat(msHeader) : Number.NaN;
  let wait: number | null = Number.isNaN(ms) ? null : ms;
  if (wait === null) wait = parseRetryAfterMs(headers['retry-after'], nowMs);
  return wait !== null && wait > 0 && wait <= maxTimerMs ? wait : null;
}
