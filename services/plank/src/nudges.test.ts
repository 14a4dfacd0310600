import { describe, expect, it } from 'vitest';
import {
  jobSubject,
  newProwJob,
  periodicSpec,
  postsubmitSpec,
  presubmitSpec,
  reportSubject,
  shardFor,
} from '@jetprow/core';
import type { ProwJob, ProwJobStatus } from '@jetprow/schemas';
import { jobNudgeForChange, reportNudgeFor } from './nudges.js';

const base = { org: 'o', repo: 'r.io', base_ref: 'main', base_sha: 'base1' };
const refs = { ...base, pulls: [{ number: 7, author: 'a', sha: 'head1' }] };
const job = { name: 'pull-unit', spec: { containers: [{ command: ['true'] }] } };

function pj(
  kind: 'pre' | 'post' | 'periodic',
  status: Partial<ProwJobStatus>,
  context?: string,
): ProwJob {
  const spec =
    kind === 'pre'
      ? presubmitSpec({ ...job, ...(context ? { context } : {}) }, refs)
      : kind === 'post'
        ? postsubmitSpec(job, base)
        : periodicSpec(job);
  const p = newProwJob(spec, { name: 'j1', now: new Date('2026-01-01T00:00:00Z') });
  p.status = { ...p.status, ...status };
  p.metadata.resourceVersion = '12';
  return p;
}

describe('jobNudgeForChange', () => {
  const cases = [
    {
      name: 'incomplete job → nudge on its shard, id name@rv',
      pj: pj('pre', { state: 'pending' }),
      nudge: true,
    },
    {
      name: 'aborted but not complete → nudge (plank must stop it)',
      pj: pj('pre', { state: 'aborted' }),
      nudge: true,
    },
    {
      name: 'complete job → none',
      pj: pj('pre', { state: 'success', completionTime: 'x' }),
      nudge: false,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const out = jobNudgeForChange(tc.pj);
      if (!tc.nudge) return expect(out).toBeUndefined();
      expect(out).toEqual({
        subject: jobSubject(shardFor('j1')),
        data: { name: 'j1', reason: 'changed' },
        msgID: 'j1@12',
      });
    });
  }
});

it('carries the triggering delivery (event-GUID label) for the Prow-Delivery header', () => {
  const p = pj('pre', { state: 'pending' });
  p.metadata.labels = { ...p.metadata.labels, 'event-GUID': 'guid-1' };
  expect(jobNudgeForChange(p)?.delivery).toBe('guid-1');
  expect(reportNudgeFor(p)?.delivery).toBe('guid-1');
});

describe('reportNudgeFor', () => {
  const cases = [
    {
      name: 'presubmit, state not reported yet → on the PR head sha and context',
      pj: pj('pre', { state: 'pending' }, 'ci/unit'),
      subject: reportSubject('o', 'r.io', 'head1', 'ci/unit'),
      state: 'pending',
    },
    {
      name: 'postsubmit → on the base sha',
      pj: pj('post', { state: 'success', prev_report_states: { 'github-reporter': 'pending' } }),
      subject: reportSubject('o', 'r.io', 'base1', 'pull-unit'),
      state: 'success',
    },
    {
      name: 'state already reported → none',
      pj: pj('pre', { state: 'failure', prev_report_states: { 'github-reporter': 'failure' } }),
    },
    { name: 'no refs (periodic) → none', pj: pj('periodic', { state: 'pending' }) },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const out = reportNudgeFor(tc.pj);
      if (!tc.subject) return expect(out).toBeUndefined();
      expect(out).toEqual({
        subject: tc.subject,
        data: { name: 'j1', state: tc.state },
        msgID: 'j1@12',
      });
    });
  }
});
