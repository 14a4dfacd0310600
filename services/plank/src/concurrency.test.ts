// Prow's canExecuteConcurrently (pkg/plank/reconciler.go) over lists of jobs.
import { describe, expect, it } from 'vitest';
import { newProwJob, periodicSpec } from '@jetprow/core';
import type { ProwJob, ProwJobSpec, ProwJobState } from '@jetprow/schemas';
import { canExecuteConcurrently, lockScopes, type ConcurrencySettings } from './concurrency.js';

const T0 = Date.parse('2026-02-03T00:00:00Z');

/** A job `name` of config job `job`, created `at` seconds after T0. */
function j(
  name: string,
  state: ProwJobState,
  at: number,
  spec: Partial<ProwJobSpec> = {},
  complete = false,
): ProwJob {
  const p = newProwJob(
    { ...periodicSpec({ name: spec.job ?? 'ci' }), ...spec },
    { name, now: new Date(T0 + at * 1000) },
  );
  p.status.state = state;
  if (complete) p.status.completionTime = new Date(T0).toISOString();
  return p;
}

const none: ConcurrencySettings = { max_concurrency: 0, job_queue_capacities: {} };
const lim = (n: number): Partial<ProwJobSpec> => ({ max_concurrency: n });
const inQueue = (job: string, q = 'q'): Partial<ProwJobSpec> => ({ job, job_queue_name: q });

interface Case {
  name: string;
  pj: ProwJob;
  others: ProwJob[];
  settings?: ConcurrencySettings;
  ok: boolean;
  misconfigured?: boolean;
}

const me = (spec: Partial<ProwJobSpec> = {}, at = 10): ProwJob => j('me', 'triggered', at, spec);

const cases: Case[] = [
  {
    name: 'no limits → start',
    pj: me(),
    others: [j('a', 'pending', 0), j('b', 'pending', 0)],
    ok: true,
  },
  {
    name: 'plank.max_concurrency 2 with 2 pending jobs (any job) → wait',
    pj: me(),
    others: [j('a', 'pending', 0), j('b', 'pending', 0, { job: 'other' })],
    settings: { ...none, max_concurrency: 2 },
    ok: false,
  },
  {
    name: 'plank.max_concurrency counts pending jobs only, not triggered or complete ones',
    pj: me(),
    others: [j('a', 'pending', 0), j('b', 'triggered', 0), j('c', 'success', 0, {}, true)],
    settings: { ...none, max_concurrency: 2 },
    ok: true,
  },
  {
    name: 'plank.max_concurrency ignores other agents’ jobs',
    pj: me(),
    others: [j('a', 'pending', 0), j('b', 'pending', 0, { agent: 'jenkins' })],
    settings: { ...none, max_concurrency: 2 },
    ok: true,
  },
  {
    name: 'max_concurrency 1 with a pending run of the job → wait',
    pj: me(lim(1)),
    others: [j('a', 'pending', 20, lim(1))],
    ok: false,
  },
  {
    name: 'max_concurrency 1 with an older triggered run → wait (oldest first)',
    pj: me(lim(1)),
    others: [j('a', 'triggered', 5, lim(1))],
    ok: false,
  },
  {
    name: 'max_concurrency 1 with only a younger triggered run → start (it waits for us)',
    pj: me(lim(1)),
    others: [j('a', 'triggered', 15, lim(1))],
    ok: true,
  },
  {
    name: 'max_concurrency 1, same creation time → the name decides, so exactly one starts',
    pj: me(lim(1)),
    others: [j('a', 'triggered', 10, lim(1))],
    ok: false, // 'a' < 'me'
  },
  {
    name: 'max_concurrency 2 with one pending run and one younger triggered → start',
    pj: me(lim(2)),
    others: [j('a', 'pending', 0, lim(2)), j('b', 'triggered', 20, lim(2))],
    ok: true,
  },
  {
    name: 'max_concurrency counts runs of the same job only',
    pj: me(lim(1)),
    others: [j('a', 'pending', 0, { job: 'other' }), j('b', 'triggered', 0, { job: 'other' })],
    ok: true,
  },
  {
    name: 'max_concurrency: aborted and complete runs do not count',
    pj: me(lim(1)),
    others: [j('a', 'aborted', 0, lim(1)), j('b', 'failure', 0, lim(1), true)],
    ok: true,
  },
  {
    name: 'queue capacity 1 with a pending job of another name in the queue → wait',
    pj: me(inQueue('x')),
    others: [j('a', 'pending', 20, inQueue('y'))],
    settings: { ...none, job_queue_capacities: { q: 1 } },
    ok: false,
  },
  {
    name: 'queue capacity 2 with an older triggered and a younger triggered → start',
    pj: me(inQueue('x')),
    others: [j('a', 'triggered', 0, inQueue('y')), j('b', 'triggered', 20, inQueue('z'))],
    settings: { ...none, job_queue_capacities: { q: 2 } },
    ok: true,
  },
  {
    name: 'queue capacity 0 → never starts',
    pj: me(inQueue('x')),
    others: [],
    settings: { ...none, job_queue_capacities: { q: 0 } },
    ok: false,
  },
  {
    name: 'negative queue capacity → unlimited',
    pj: me(inQueue('x')),
    others: [j('a', 'pending', 0, inQueue('y')), j('b', 'pending', 0, inQueue('z'))],
    settings: { ...none, job_queue_capacities: { q: -1 } },
    ok: true,
  },
  {
    name: 'a queue plank does not know → a configuration error, not started',
    pj: me(inQueue('x', 'nope')),
    others: [],
    settings: { ...none, job_queue_capacities: { q: 1 } },
    ok: false,
    misconfigured: true,
  },
  {
    name: 'the lowest applicable limit wins: job limit free, queue full → wait',
    pj: me({ ...inQueue('x'), max_concurrency: 5 }),
    others: [j('a', 'pending', 0, inQueue('y'))],
    settings: { ...none, job_queue_capacities: { q: 1 } },
    ok: false,
  },
];

describe('canExecuteConcurrently', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const got = canExecuteConcurrently(tc.pj, [tc.pj, ...tc.others], tc.settings ?? none);
      expect(got.ok).toBe(tc.ok);
      if (!got.ok) expect(got.misconfigured ?? false).toBe(tc.misconfigured ?? false);
    });
  }

  it('explains a wait in Prow’s words', () => {
    const got = canExecuteConcurrently(me(lim(1)), [j('a', 'pending', 0, lim(1))], none);
    expect(got).toEqual({
      ok: false,
      reason:
        'Not starting another instance of ci, have 1 instances that are pending or older, 1 is the limit',
    });
  });
});

describe('lockScopes: the admissions that must not interleave', () => {
  const scopes = [
    { name: 'no limits → none', pj: me(), settings: none, want: [] },
    { name: 'max_concurrency → the job name', pj: me(lim(2)), settings: none, want: ['job/ci'] },
    { name: 'a queue → the queue', pj: me(inQueue('x')), settings: none, want: ['queue/q'] },
    {
      name: 'plank.max_concurrency → every admission',
      pj: me(),
      settings: { ...none, max_concurrency: 3 },
      want: ['global'],
    },
  ];
  for (const tc of scopes)
    it(tc.name, () => expect(lockScopes(tc.pj, tc.settings)).toEqual(tc.want));
});
