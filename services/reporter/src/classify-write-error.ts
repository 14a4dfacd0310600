// What to do about a failed GitHub write, decided from the HTTP status, the rate-limit headers and
// GitHub's structured error body (never from an error's message text; the one 422 sentence match
// lives in status-422.ts). Pure: `nowMs` is passed in.
import { blockedUntil, rateLimitFromHeaders, RESET_SLACK_MS } from '@jetprow/github';
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

/** At least GitHub's reset slack (a wait already over still waits a second), at most the cap. */
function clampWait(ms: number): number {
  return Math.min(MAX_RATE_LIMIT_WAIT_MS, Math.max(RESET_SLACK_MS, Math.ceil(ms)));
}

/**
 * How long a 403/429 asks us to wait: until GitHub's rate-limit headers allow requests again
 * (`retry-after` for secondary limits, else a spent primary quota's reset: blockedUntil, as the
 * budget reads them), else a minute. A bare 403 may be a secondary limit without headers or a
 * permission problem; GitHub's documented answer to both is to wait and retry.
 */
function rateLimitWait(err: GitHubWriteError, nowMs: number): number {
  const until = blockedUntil(rateLimitFromHeaders(err.headers, nowMs), nowMs);
  return until === undefined ? SECONDARY_LIMIT_WAIT_MS : clampWait(until - nowMs);
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
