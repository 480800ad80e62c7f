/** Which HTTP answers are worth retrying, and how long to wait before the next attempt. */

export { isRetryableStatus } from '../shared/retryable-status.js';

/**
 * Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)].
 * A server's Retry-After wins when given, capped at `maxMs`.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), maxMs);
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Parses `Retry-After` in both forms: delay-seconds or an HTTP date. Undefined if absent or bad. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
