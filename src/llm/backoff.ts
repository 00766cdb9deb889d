// Retry waits: full-jitter exponential backoff and Retry-After parsing.

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
