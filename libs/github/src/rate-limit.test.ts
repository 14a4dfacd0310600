import { describe, expect, it } from 'vitest';
import { blockedUntil, rateLimitFromHeaders, type RateLimitInfo } from './rate-limit.js';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const RESET_S = NOW / 1000 + 120;

describe('rateLimitFromHeaders', () => {
  const cases: { name: string; headers: Record<string, string>; want: RateLimitInfo }[] = [
    {
      name: 'primary quota headers of an ordinary answer',
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': String(RESET_S),
        'x-ratelimit-resource': 'core',
      },
      want: { limit: 5000, remaining: 4999, resetMs: RESET_S * 1000, resource: 'core' },
    },
    {
      name: 'secondary limit: retry-after in seconds',
      headers: { 'retry-after': '30' },
      want: { retryAfterMs: 30_000 },
    },
    {
      name: 'retry-after as an HTTP date',
      headers: { 'retry-after': new Date(NOW + 5000).toUTCString() },
      want: { retryAfterMs: 5000 },
    },
    { name: 'garbage is left out', headers: { 'x-ratelimit-remaining': 'many' }, want: {} },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(rateLimitFromHeaders(tc.headers, NOW)).toEqual(tc.want));
  }
});

describe('blockedUntil (GitHub: "best practices for handling rate limits")', () => {
  const cases: { name: string; info: RateLimitInfo; want: number | undefined }[] = [
    {
      name: 'quota left: not blocked',
      info: { remaining: 10, resetMs: RESET_S * 1000 },
      want: undefined,
    },
    {
      name: 'primary quota spent: wait for x-ratelimit-reset plus a second',
      info: { remaining: 0, resetMs: RESET_S * 1000, resource: 'core' },
      want: RESET_S * 1000 + 1000,
    },
    {
      name: 'a spent search quota does not block REST',
      info: { remaining: 0, resetMs: RESET_S * 1000, resource: 'search' },
      want: undefined,
    },
    {
      name: 'secondary limit: retry-after wins over the reset time',
      info: { remaining: 0, resetMs: RESET_S * 1000, retryAfterMs: 30_000 },
      want: NOW + 31_000,
    },
    {
      name: 'a reset already past still waits the slack',
      info: { remaining: 0, resetMs: NOW - 5000 },
      want: NOW + 1000,
    },
  ];
  for (const tc of cases) it(tc.name, () => expect(blockedUntil(tc.info, NOW)).toBe(tc.want));
});
