// What a failed GitHub write means (classifyWriteError on the answer as toWriteError reads it
// from Octokit's RequestError), the 422 sentences that make a status final, and the write
// ledger's claim on a real nats-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { connectBus, type Bus } from '@jetprow/bus';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { toWriteError } from './github.js';
import {
  classifyWriteError,
  isFinalStatus422,
  kvWriteLedger,
  MAX_RATE_LIMIT_WAIT_MS,
  type WriteFailure,
  type WriteLedger,
} from './runtime.js';
import { githubError } from '../testing/fixtures.js';

const NOW = Date.parse('2024-05-01T10:00:00Z');
const nowSec = NOW / 1000;
/** GitHub's answer as Octokit throws it, read at NOW. */
const ans = (a: { status: number; headers?: Record<string, string>; body?: unknown }) =>
  githubError(a.status, a.body, a.headers, NOW);
const STATUS_CAP = 'This SHA and context has reached the maximum number of statuses.';

describe('classifyWriteError', () => {
  const cases: { name: string; err: unknown; want: WriteFailure }[] = [
    {
      name: 'network failure (no answer)',
      err: toWriteError(
        'create status',
        Object.assign(new Error('fetch failed'), { status: 500 }),
        NOW,
      ),
      want: { kind: 'retry' },
    },
    {
      name: 'not a GitHub answer at all',
      err: new Error('socket hang up'),
      want: { kind: 'retry' },
    },
    {
      name: '500',
      err: ans({ status: 500, body: { message: 'Server Error' } }),
      want: { kind: 'retry' },
    },
    { name: '502', err: ans({ status: 502 }), want: { kind: 'retry' } },
    { name: '401 bad credentials (rotating)', err: ans({ status: 401 }), want: { kind: 'retry' } },
    {
      name: '403 primary limit: wait until reset + 1 s',
      err: ans({
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSec + 120) },
      }),
      want: { kind: 'rate-limited', delayMs: 121_000 },
    },
    {
      name: '403 secondary limit with retry-after seconds',
      err: ans({ status: 403, headers: { 'retry-after': '30', 'x-ratelimit-remaining': '4000' } }),
      want: { kind: 'rate-limited', delayMs: 31_000 },
    },
    {
      name: '429 with retry-after as an HTTP date',
      err: ans({ status: 429, headers: { 'retry-after': new Date(NOW + 10_000).toUTCString() } }),
      want: { kind: 'rate-limited', delayMs: 11_000 },
    },
    {
      name: '403 without rate-limit headers: a minute',
      err: ans({ status: 403, headers: { 'x-ratelimit-remaining': '4999' } }),
      want: { kind: 'rate-limited', delayMs: 60_000 },
    },
    {
      name: 'reset already passed: at least a second',
      err: ans({
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSec - 5) },
      }),
      want: { kind: 'rate-limited', delayMs: 1000 },
    },
    {
      name: 'absurd retry-after is capped',
      err: ans({ status: 429, headers: { 'retry-after': '999999' } }),
      want: { kind: 'rate-limited', delayMs: MAX_RATE_LIMIT_WAIT_MS },
    },
    {
      name: '404 (repo or SHA gone)',
      err: ans({ status: 404, body: { message: 'Not Found' } }),
      want: { kind: 'gone' },
    },
    {
      name: '422 no commit for SHA',
      err: ans({ status: 422, body: { message: 'No commit found for SHA: abc' } }),
      want: { kind: 'gone' },
    },
    {
      name: '422 status cap',
      err: ans({
        status: 422,
        body: { message: 'Validation Failed', errors: [{ code: 'custom', message: STATUS_CAP }] },
      }),
      want: { kind: 'gone' },
    },
    {
      name: '422 other validation failure',
      err: ans({
        status: 422,
        body: { message: 'Validation Failed', errors: [{ code: 'invalid', field: 'state' }] },
      }),
      want: { kind: 'rejected' },
    },
    { name: '400 bad JSON', err: ans({ status: 400 }), want: { kind: 'rejected' } },
    { name: '409 conflict', err: ans({ status: 409 }), want: { kind: 'retry' } },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(classifyWriteError(tc.err)).toEqual(tc.want));
  }
});

describe('isFinalStatus422', () => {
  const cases: { name: string; body: unknown; want: boolean }[] = [
    {
      name: 'status cap, as GitHub sends it (errors[].message)',
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'Status',
            code: 'custom',
            field: 'context',
            message: 'This SHA and context has reached the maximum number of statuses.',
          },
        ],
      },
      want: true,
    },
    {
      name: 'status cap in the top-level message',
      body: { message: 'This SHA and context has reached the maximum number of statuses.' },
      want: true,
    },
    {
      name: 'force-pushed SHA',
      body: { message: `No commit found for SHA: ${'a'.repeat(40)}` },
      want: true,
    },
    {
      name: 'plain string errors[]',
      body: { message: 'x', errors: ['No commit found for SHA: abc'] },
      want: true,
    },
    {
      name: 'description too long is an ordinary validation failure',
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'Status',
            code: 'custom',
            field: 'description',
            message: 'description is too long (maximum is 140 characters)',
          },
        ],
      },
      want: false,
    },
    {
      name: 'invalid request',
      body: { message: 'Invalid request.\n\n"state" wasn\'t supplied.' },
      want: false,
    },
    { name: 'no body', body: undefined, want: false },
    { name: 'non-JSON body', body: 'No commit found for SHA: abc', want: true },
  ];
  for (const tc of cases) it(tc.name, () => expect(isFinalStatus422(tc.body)).toBe(tc.want));
});

describe('the write ledger (KV bucket reporter-writes)', () => {
  let nats: NatsHarness;
  let buses: Bus[];
  let ledgers: WriteLedger[];
  beforeAll(async () => {
    nats = await startNats();
    buses = [await connectBus(nats.url, 'ledger-a'), await connectBus(nats.url, 'ledger-b')];
    // Two replicas: the same bucket through two connections.
    ledgers = await Promise.all(
      buses.map(async (b) => kvWriteLedger(await new Kvm(b.js).create('ledger', { history: 1 }))),
    );
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    await nats.stop();
  });

  it('a write is new, begun, then done; a mark of another write counts as new', async () => {
    const [l] = ledgers as [WriteLedger];
    expect(await l.read('status/a', 'pending:1')).toMatchObject({ state: 'new', revision: 0 });
    expect(
      await l.begin('status/a', 'pending:1', await l.read('status/a', 'pending:1')),
    ).toBeGreaterThan(0);
    expect((await l.read('status/a', 'pending:1')).state).toBe('begun');
    await l.done('status/a', 'pending:1');
    expect((await l.read('status/a', 'pending:1')).state).toBe('done');
    expect((await l.read('status/a', 'success:2')).state).toBe('new');
  });

  it('of replicas racing from the same mark, exactly one begins the write', async () => {
    for (const key of ['intent/fresh', 'intent/over-a-mark']) {
      if (key.endsWith('mark')) {
        const [l] = ledgers as [WriteLedger];
        await l.begin(key, 'old', await l.read(key, 'old'));
        await l.done(key, 'old');
      }
      const seen = await Promise.all(ledgers.map((l) => l.read(key, 'comment')));
      const won = await Promise.all(ledgers.map((l, i) => l.begin(key, 'comment', seen[i]!)));
      expect(won.filter(Boolean), key).toHaveLength(1);
    }
  });

  it('a begun mark left by a dead writer is taken over once; a mark read before it moved is not', async () => {
    const [a, b] = ledgers as [WriteLedger, WriteLedger];
    await a.begin('status/b', 'failure:3', await a.read('status/b', 'failure:3'));
    const stale = await b.read('status/b', 'failure:3');
    expect(stale.state).toBe('begun');
    expect(await b.begin('status/b', 'failure:3', stale)).toBeGreaterThan(0);
    expect(await a.begin('status/b', 'failure:3', stale)).toBeUndefined();
  });

  it('a failed write is marked tried by its holder only; a mark that moved on is left alone', async () => {
    const [a, b] = ledgers as [WriteLedger, WriteLedger];
    const mine = await a.begin('status/c', 'failure:4', await a.read('status/c', 'failure:4'));
    await a.tried('status/c', 'failure:4', mine!);
    const tried = await b.read('status/c', 'failure:4');
    expect(tried.state).toBe('tried');
    const theirs = await b.begin('status/c', 'failure:4', tried);
    expect(theirs).toBeGreaterThan(mine!);
    await a.tried('status/c', 'failure:4', mine!); // stale: b holds it now
    expect((await b.read('status/c', 'failure:4')).state).toBe('begun');
  });
});
