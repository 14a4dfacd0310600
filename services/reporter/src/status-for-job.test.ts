import { describe, expect, it } from 'vitest';
import type { ProwJobState } from '@jetprow/schemas';
import { contextDescriptionWithBaseSha } from '@jetprow/core';
import { statusForJob } from './status-for-job.js';
import {
  BASE_SHA,
  HEAD_SHA,
  postsubmitJob,
  presubmitJob,
  setState,
} from './test-support/fixtures.js';

describe('statusForJob: ProwJob state → GitHub status state', () => {
  const cases: { state: ProwJobState; want: string }[] = [
    { state: 'triggered', want: 'pending' },
    { state: 'pending', want: 'pending' },
    { state: 'success', want: 'success' },
    { state: 'failure', want: 'failure' },
    { state: 'aborted', want: 'failure' },
    { state: 'error', want: 'error' },
  ];
  for (const tc of cases) {
    it(`${tc.state} → ${tc.want}`, () => {
      const job = presubmitJob('j');
      setState(job, tc.state);
      expect(statusForJob(job)?.state).toBe(tc.want);
    });
  }
});

describe('statusForJob: where and what', () => {
  it('a presubmit goes on the PR head with context, url and the BaseSHA description', () => {
    const job = presubmitJob('j', { context: 'ci/unit' });
    setState(job, 'failure');
    expect(statusForJob(job)).toEqual({
      org: 'acme',
      repo: 'widgets',
      sha: HEAD_SHA,
      state: 'failure',
      context: 'ci/unit',
      description: contextDescriptionWithBaseSha('Job failed.', BASE_SHA),
      target_url: 'https://prow.example.com/view/j',
    });
  });

  it('a postsubmit goes on the base SHA', () => {
    const job = postsubmitJob('j');
    setState(job, 'success');
    expect(statusForJob(job)?.sha).toBe(BASE_SHA);
  });

  it('no refs, no status', () => {
    const job = postsubmitJob('j');
    delete job.spec.refs;
    expect(statusForJob(job)).toBeUndefined();
  });

  it('a job without url or description still reports (empty fields)', () => {
    const job = presubmitJob('j');
    expect(statusForJob(job)).toMatchObject({ state: 'pending', target_url: '' });
    expect(statusForJob(job)?.description.endsWith(` BaseSHA:${BASE_SHA}`)).toBe(true);
  });
});
