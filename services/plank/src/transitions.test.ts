import { describe, expect, it } from 'vitest';
import { newProwJob, periodicSpec } from '@jetprow/core';
import type { ProwJob, ProwJobStatus } from '@jetprow/schemas';
import {
  toAbortedComplete,
  toComplete,
  toDupeAborted,
  toNewBuild,
  toPending,
} from './transitions.js';

const NOW = new Date('2026-02-03T04:05:06.000Z');
const url = (pj: ProwJob): string => `u/${pj.metadata.name}/${pj.status.build_id}`;

function pj(status: Partial<ProwJobStatus>): ProwJob {
  const p = newProwJob(periodicSpec({ name: 'ci' }), { name: 'j', now: new Date(0) });
  p.status = { ...p.status, ...status };
  return p;
}

describe('mutators decline when the job moved on (they run inside a CAS retry)', () => {
  const cases: { name: string; job: ProwJob; apply: (j: ProwJob) => boolean; ok: boolean }[] = [
    {
      name: 'toPending on triggered',
      job: pj({ state: 'triggered' }),
      apply: (j) => toPending(j, 'b1', NOW, url),
      ok: true,
    },
    {
      name: 'toPending on aborted',
      job: pj({ state: 'aborted' }),
      apply: (j) => toPending(j, 'b1', NOW, url),
      ok: false,
    },
    {
      name: 'toComplete on an already complete job',
      job: pj({ state: 'pending', completionTime: 'x' }),
      apply: (j) => toComplete(j, 'pending', 'success', 'Job succeeded.', NOW),
      ok: false,
    },
    {
      name: 'toNewBuild when the lost build is still the recorded one',
      job: pj({ state: 'pending', build_id: 'b0' }),
      apply: (j) => toNewBuild(j, 'b0', 'b1', url, true),
      ok: true,
    },
    {
      name: 'toNewBuild when another worker already replaced it',
      job: pj({ state: 'pending', build_id: 'b5' }),
      apply: (j) => toNewBuild(j, 'b0', 'b1', url, true),
      ok: false,
    },
    {
      name: 'toDupeAborted on a pending run',
      job: pj({ state: 'pending' }),
      apply: toDupeAborted,
      ok: true,
    },
    {
      name: 'toDupeAborted on a run that finished meanwhile',
      job: pj({ state: 'success', completionTime: 'x' }),
      apply: toDupeAborted,
      ok: false,
    },
    {
      name: 'toDupeAborted on a run already aborted',
      job: pj({ state: 'aborted' }),
      apply: toDupeAborted,
      ok: false,
    },
    {
      name: 'toAbortedComplete on aborted',
      job: pj({ state: 'aborted' }),
      apply: (j) => toAbortedComplete(j, NOW),
      ok: true,
    },
    {
      name: 'toAbortedComplete on pending',
      job: pj({ state: 'pending' }),
      apply: (j) => toAbortedComplete(j, NOW),
      ok: false,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const before = structuredClone(tc.job);
      expect(tc.apply(tc.job)).toBe(tc.ok);
      if (!tc.ok) expect(tc.job).toEqual(before); // declining changes nothing
    });
  }

  it('toNewBuild counts a revival only when asked (a missing pod is not one)', () => {
    const lost = pj({ state: 'pending', build_id: 'b0', pod_revival_count: 1 });
    toNewBuild(lost, 'b0', 'b1', url, false);
    expect(lost.status).toMatchObject({ build_id: 'b1', pod_revival_count: 1, url: 'u/j/b1' });
    toNewBuild(lost, 'b1', 'b2', url, true);
    expect(lost.status).toMatchObject({ build_id: 'b2', pod_revival_count: 2 });
  });

  it('toDupeAborted pre-sets the GitHub reporter’s state and keeps the others', () => {
    const job = pj({
      state: 'pending',
      prev_report_states: { 'github-reporter': 'pending', other: 'pending' },
    });
    toDupeAborted(job);
    expect(job.status.state).toBe('aborted');
    expect(job.status.prev_report_states).toEqual({
      'github-reporter': 'aborted',
      other: 'pending',
    });
    expect(job.status.completionTime).toBeUndefined(); // plank stops the build, then completes it
  });

  it('toPending sets the build id before computing the URL', () => {
    const job = pj({ state: 'triggered' });
    toPending(job, 'b7', NOW, url);
    expect(job.status).toMatchObject({ state: 'pending', build_id: 'b7', url: 'u/j/b7' });
  });
});
