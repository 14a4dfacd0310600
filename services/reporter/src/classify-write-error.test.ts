import { describe, expect, it } from 'vitest';
import {
  classifyWriteError,
  MAX_RATE_LIMIT_WAIT_MS,
  type WriteFailure,
} from './classify-write-error.js';
import { GitHubWriteError, type GitHubWriteErrorDetails } from './write-error.js';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const nowSec = NOW / 1000;
const gh = (d: GitHubWriteErrorDetails) => new GitHubWriteError('create status', d);
const STATUS_CAP = 'This SHA and context has reached the maximum number of statuses.';

describe('classifyWriteError', () => {
  const cases: { name: string; err: unknown; want: WriteFailure }[] = [
    { name: 'network failure (no answer)', err: gh({}), want: { kind: 'retry' } },
    {
      name: 'not a GitHub answer at all',
      err: new Error('socket hang up'),
      want: { kind: 'retry' },
    },
    {
      name: '500',
      err: gh({ status: 500, body: { message: 'Server Error' } }),
      want: { kind: 'retry' },
    },
    { name: '502', err: gh({ status: 502 }), want: { kind: 'retry' } },
    { name: '401 bad credentials (rotating)', err: gh({ status: 401 }), want: { kind: 'retry' } },
    {
      name: '403 primary limit: wait until reset + 1 s',
      err: gh({
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSec + 120) },
      }),
      want: { kind: 'rate-limited', delayMs: 121_000 },
    },
    {
      name: '403 secondary limit with retry-after seconds',
      err: gh({ status: 403, headers: { 'retry-after': '30', 'x-ratelimit-remaining': '4000' } }),
      want: { kind: 'rate-limited', delayMs: 31_000 },
    },
    {
      name: '429 with retry-after as an HTTP date',
      err: gh({ status: 429, headers: { 'retry-after': new Date(NOW + 10_000).toUTCString() } }),
      want: { kind: 'rate-limited', delayMs: 11_000 },
    },
    {
      name: '403 without rate-limit headers: a minute',
      err: gh({ status: 403, headers: { 'x-ratelimit-remaining': '4999' } }),
      want: { kind: 'rate-limited', delayMs: 60_000 },
    },
    {
      name: 'reset already passed: at least a second',
      err: gh({
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSec - 5) },
      }),
      want: { kind: 'rate-limited', delayMs: 1000 },
    },
    {
      name: 'absurd retry-after is capped',
      err: gh({ status: 429, headers: { 'retry-after': '999999' } }),
      want: { kind: 'rate-limited', delayMs: MAX_RATE_LIMIT_WAIT_MS },
    },
    {
      name: '404 (repo or SHA gone)',
      err: gh({ status: 404, body: { message: 'Not Found' } }),
      want: { kind: 'gone' },
    },
    {
      name: '422 no commit for SHA',
      err: gh({ status: 422, body: { message: 'No commit found for SHA: abc' } }),
      want: { kind: 'gone' },
    },
    {
      name: '422 status cap',
      err: gh({
        status: 422,
        body: { message: 'Validation Failed', errors: [{ code: 'custom', message: STATUS_CAP }] },
      }),
      want: { kind: 'gone' },
    },
    {
      name: '422 other validation failure',
      err: gh({
        status: 422,
        body: { message: 'Validation Failed', errors: [{ code: 'invalid', field: 'state' }] },
      }),
      want: { kind: 'rejected' },
    },
    { name: '400 bad JSON', err: gh({ status: 400 }), want: { kind: 'rejected' } },
    { name: '409 conflict', err: gh({ status: 409 }), want: { kind: 'retry' } },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(classifyWriteError(tc.err, NOW)).toEqual(tc.want));
  }
});
