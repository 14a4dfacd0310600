import { describe, expect, it } from 'vitest';
import { newProwJob, periodicSpec } from '@jetprow/core';
import type { BuildStatus } from '@jetprow/runner';
import type { ProwJob, ProwJobStatus } from '@jetprow/schemas';
import {
  pendingDecision,
  toAbortedComplete,
  toComplete,
  toPending,
  toRevived,
  type PendingDecision,
} from './transitions.js';

const NOW = new Date('2026-02-03T04:05:06.000Z');
const url = (pj: ProwJob): string => `u/${pj.metadata.name}/${pj.status.build_id}`;

function pj(status: Partial<ProwJobStatus>): ProwJob {
  const p = newProwJob(periodicSpec({ name: 'ci' }), { name: 'j', now: new Date(0) });
  p.status = { ...p.status, ...status };
  return p;
}

describe('pendingDecision: what a pending job does with its build (Prow syncPendingJob)', () => {
  const cases: { name: string; build: BuildStatus; revivals?: number; want: PendingDecision }[] = [
    { name: 'running → wait', build: { phase: 'running' }, want: { kind: 'wait' } },
    { name: 'starting → wait', build: { phase: 'pending' }, want: { kind: 'wait' } },
    {
      name: 'exit 0 → success',
      build: { phase: 'succeeded', exitCode: 0 },
      want: { kind: 'complete', state: 'success', description: 'Job succeeded.' },
    },
    {
      name: 'exit ≠ 0 → failure',
      build: { phase: 'failed', exitCode: 1 },
      want: { kind: 'complete', state: 'failure', description: 'Job failed.' },
    },
    {
      name: 'missing, 2 of 3 revivals → revive',
      build: { phase: 'missing' },
      revivals: 2,
      want: { kind: 'revive' },
    },
    {
      name: 'missing, 3 of 3 revivals → error',
      build: { phase: 'missing' },
      revivals: 3,
      want: {
        kind: 'complete',
        state: 'error',
        description: 'Job pod reached max revivals (3) after being stopped unexpectedly',
      },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const job = pj({ state: 'pending', pod_revival_count: tc.revivals });
      expect(pendingDecision(job, tc.build, 3)).toEqual(tc.want);
    });
  }
});

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
      name: 'toRevived when the lost build is still the recorded one',
      job: pj({ state: 'pending', build_id: 'b0' }),
      apply: (j) => toRevived(j, 'b0', 'b1', url),
      ok: true,
    },
    {
      name: 'toRevived when another worker already revived it',
      job: pj({ state: 'pending', build_id: 'b5' }),
      apply: (j) => toRevived(j, 'b0', 'b1', url),
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

  it('toPending sets the build id before computing the URL', () => {
    const job = pj({ state: 'triggered' });
    toPending(job, 'b7', NOW, url);
    expect(job.status).toMatchObject({ state: 'pending', build_id: 'b7', url: 'u/j/b7' });
  });
});
