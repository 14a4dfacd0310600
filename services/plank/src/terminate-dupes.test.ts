// Prow's TerminateOlderJobs (pkg/pjutil/abort.go): which runs are older duplicates.
import { describe, expect, it } from 'vitest';
import { newProwJob, periodicSpec, postsubmitSpec, presubmitSpec } from '@jetprow/core';
import type { ProwJob, ProwJobState, Refs } from '@jetprow/schemas';
import { dupeKey, olderDuplicates } from './terminate-dupes.js';

const T0 = Date.parse('2026-02-03T00:00:00Z');
const job = { name: 'pull-unit', spec: { containers: [{ command: ['true'] }] } };
const refs = (pulls: number[], extra: Partial<Refs> = {}): Refs => ({
  org: 'o',
  repo: 'r',
  base_ref: 'main',
  base_sha: 'base-' + pulls.join(''),
  pulls: pulls.map((n) => ({ number: n, author: 'a', sha: `sha-${n}-${Math.random()}` })),
  ...extra,
});

function pre(
  name: string,
  at: number,
  r: Refs,
  state: ProwJobState = 'pending',
  jobName = 'pull-unit',
): ProwJob {
  const p = newProwJob(presubmitSpec({ ...job, name: jobName }, r), {
    name,
    now: new Date(T0 + at * 1000),
  });
  p.status.state = state;
  return p;
}

interface Case {
  name: string;
  jobs: ProwJob[];
  aborted: string[];
}

const cases: Case[] = [
  {
    name: 'two runs of a presubmit on one PR (new push) → the older is aborted',
    jobs: [pre('old', 0, refs([7])), pre('new', 5, refs([7]), 'triggered')],
    aborted: ['old'],
  },
  {
    name: 'listed newest first → still the older one',
    jobs: [pre('new', 5, refs([7]), 'triggered'), pre('old', 0, refs([7]))],
    aborted: ['old'],
  },
  {
    name: 'three runs → all but the newest',
    jobs: [pre('a', 0, refs([7])), pre('c', 9, refs([7]), 'triggered'), pre('b', 5, refs([7]))],
    aborted: ['a', 'b'],
  },
  {
    name: 'different PRs → none',
    jobs: [pre('a', 0, refs([7])), pre('b', 5, refs([8]))],
    aborted: [],
  },
  {
    name: 'different base branches → none',
    jobs: [pre('a', 0, refs([7])), pre('b', 5, refs([7], { base_ref: 'release-1' }))],
    aborted: [],
  },
  {
    name: 'different jobs on one PR → none',
    jobs: [pre('a', 0, refs([7])), pre('b', 5, refs([7]), 'pending', 'pull-lint')],
    aborted: [],
  },
  {
    name: 'batch runs with the same pulls in another order are the same → the older is aborted',
    jobs: [pre('a', 0, refs([1, 2])), pre('b', 5, refs([2, 1]))],
    aborted: ['a'],
  },
  {
    name: 'finished or aborted runs are not considered',
    jobs: [
      pre('done', 0, refs([7]), 'success'),
      pre('ab', 1, refs([7]), 'aborted'),
      pre('new', 5, refs([7]), 'triggered'),
    ],
    aborted: [],
  },
  {
    name: 'equal start times → the name decides, the same on every replica',
    jobs: [pre('b', 0, refs([7])), pre('a', 0, refs([7]))],
    aborted: ['a'],
  },
];

describe('olderDuplicates', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const jobs = tc.jobs.map((j) => {
        if (j.status.state === 'success') j.status.completionTime = new Date(T0).toISOString();
        return j;
      });
      expect(olderDuplicates(jobs).sort()).toEqual(tc.aborted);
    });
  }
});

describe('dupeKey', () => {
  it('only presubmits have one: postsubmits and periodics are never deduplicated', () => {
    const post = newProwJob(postsubmitSpec(job, refs([])), { name: 'p', now: new Date(T0) });
    const per = newProwJob(periodicSpec(job), { name: 'q', now: new Date(T0) });
    expect(dupeKey(post)).toBeUndefined();
    expect(dupeKey(per)).toBeUndefined();
  });

  it('ignores SHAs and includes extra_refs', () => {
    const a = pre('a', 0, refs([7]));
    const b = pre('b', 0, refs([7]));
    expect(dupeKey(a)).toBe(dupeKey(b));
    b.spec.extra_refs = [refs([], { repo: 'other' })];
    expect(dupeKey(a)).not.toBe(dupeKey(b));
    expect(dupeKey(a)).toBe('o/r@main [7],presubmit,pull-unit');
  });
});
