// GitHub's rate-limit headers, read into numbers (docs.github.com/rest/using-the-rest-api/
// rate-limits-for-the-rest-api). Pure: the clock is passed in.

export interface RateLimitInfo {
  /** `x-ratelimit-limit`: requests per window for this token or installation. */
  limit?: number;
  /** `x-ratelimit-remaining`. */
  remaining?: number;
  /** `x-ratelimit-reset` (epoch seconds) as epoch milliseconds. */
  resetMs?: number;
  /** `x-ratelimit-resource`, e.g. `core`, `search`, `graphql`. */
  resource?: string;
  /** `retry-after` (seconds, or an HTTP date) as milliseconds from now. */
  retryAfterMs?: number;
}

type Headers = Record<string, string | number | undefined | null>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return v === undefined || v === null ? undefined : String(v).trim();
}

function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** `retry-after` is a number of seconds (what GitHub sends) or an HTTP date. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The rate-limit facts of one answer; fields GitHub did not send are left out. */
export function rateLimitFromHeaders(headers: Headers, nowMs: number): RateLimitInfo {
  const info: RateLimitInfo = {};
  const limit = int(header(headers, 'x-ratelimit-limit'));
  const remaining = int(header(headers, 'x-ratelimit-remaining'));
  const reset = int(header(headers, 'x-ratelimit-reset'));
  const resource = header(headers, 'x-ratelimit-resource');
  const retryAfter = retryAfterMs(header(headers, 'retry-after'), nowMs);
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (reset !== undefined) info.resetMs = reset * 1000;
  if (resource) info.resource = resource;
  if (retryAfter !== undefined) info.retryAfterMs = retryAfter;
  return info;
}

/** Slack added to GitHub's reset time, as Prow does (clock skew between us and GitHub). */
export const RESET_SLACK_MS = 1000;

/**
 * Until when GitHub asks us to send nothing more on this budget, or undefined when it does not:
 * `retry-after` wins (secondary limits); else a spent primary quota waits for its reset.
 */
export function blockedUntil(info: RateLimitInfo, nowMs: number): number | undefined {
  if (info.retryAfterMs !== undefined) return nowMs + info.retryAfterMs + RESET_SLACK_MS;
  // A spent search or GraphQL quota says nothing about the REST (`core`) one.
  const core = info.resource === undefined || info.resource === 'core';
  if (core && info.remaining === 0 && info.resetMs !== undefined) {
    return Math.max(nowMs, info.resetMs) + RESET_SLACK_MS;
  }
  return undefined;
}
