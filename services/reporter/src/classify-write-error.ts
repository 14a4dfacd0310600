// What to do about a failed GitHub write, decided from the HTTP status, the rate-limit headers and
// GitHub's structured error body (never from an error's message text; the one 422 sentence match
// lives in status-422.ts). Pure: `nowMs` is passed in.
import { GitHubWriteError } from './write-error.js';
import { isFinalStatus422 } from './status-422.js';

export type WriteFailure =
  /** Transient (5xx, network, 401…): retry with the consumer's back-off. */
  | { kind: 'retry' }
  /** Rate limited: retry once the limit has reset. */
  | { kind: 'rate-limited'; delayMs: number }
  /** Can never be written (404, SHA gone, status cap): record as reported, as Prow swallows it. */
  | { kind: 'gone' }
  /** GitHub refuses this request as made (400, other 422…): drop the message, do not record. */
  | { kind: 'rejected' };

/** GitHub asks for at least a minute's wait after a secondary rate limit without `retry-after`. */
export const SECONDARY_LIMIT_WAIT_MS = 60_000;
/** Never park a message longer than this (the primary limit resets hourly anyway). */
export const MAX_RATE_LIMIT_WAIT_MS = 3600_000;
/** Slack added to GitHub's reset time, as Prow does (clock skew). */
const RESET_SLACK_MS = 1000;

function clampWait(ms: number): number {
  return Math.min(MAX_RATE_LIMIT_WAIT_MS, Math.max(RESET_SLACK_MS, Math.ceil(ms)));
}

/** `retry-after` is seconds (GitHub's form) or an HTTP date. */
function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000 + RESET_SLACK_MS;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at - nowMs + RESET_SLACK_MS;
}

/** Wait implied by the primary-limit headers, when the quota is exhausted. */
function primaryResetMs(
  headers: Record<string, string | undefined>,
  nowMs: number,
): number | undefined {
  if (headers['x-ratelimit-remaining'] !== '0') return undefined;
  const reset = Number(headers['x-ratelimit-reset']);
  if (!Number.isFinite(reset) || reset <= 0) return SECONDARY_LIMIT_WAIT_MS;
  return reset * 1000 - nowMs + RESET_SLACK_MS;
}

/**
 * How long a 403/429 asks us to wait: `retry-after` (secondary limits), else the primary limit's
 * reset time when the quota is spent, else a minute. A bare 403 may be a secondary limit without
 * headers or a permission problem; GitHub's documented answer to both is to wait and retry.
 */
function rateLimitWait(err: GitHubWriteError, nowMs: number): number {
  const wait =
    retryAfterMs(err.headers['retry-after'], nowMs) ?? primaryResetMs(err.headers, nowMs);
  return wait === undefined ? SECONDARY_LIMIT_WAIT_MS : clampWait(wait);
}

export function classifyWriteError(err: unknown, nowMs: number): WriteFailure {
  if (!(err instanceof GitHubWriteError) || err.status === undefined) return { kind: 'retry' };
  const status = err.status;
  if (status === 403 || status === 429) {
    return { kind: 'rate-limited', delayMs: rateLimitWait(err, nowMs) };
  }
  if (status === 404) return { kind: 'gone' };
  if (status === 422) return isFinalStatus422(err.body) ? { kind: 'gone' } : { kind: 'rejected' };
  // 401: a token being rotated; 408/409: transient by definition.
  if (status === 401 || status === 408 || status === 409) return { kind: 'retry' };
  if (status >= 400 && status < 500) return { kind: 'rejected' };
  return { kind: 'retry' };
}
