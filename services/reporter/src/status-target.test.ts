import { describe, expect, it } from 'vitest';
import type { ProwJob, ProwJobState } from '@jetprow/schemas';
import { contextDescriptionWithBaseSha, newProwJob, periodicSpec } from '@jetprow/core';
import type { ReporterConfig } from './runtime.js';
import { GERRIT_REPORT_LABEL, shouldReport, statusForJob } from './status-target.js';
import {
  BASE_SHA,
  HEAD_SHA,
  postsubmitJob,
  presubmitJob,
  reporterConfig,
  setState,
} from '../testing/fixtures.js';

function edit(job: ProwJob, change: (j: ProwJob) => void): ProwJob {
  change(job);
  return job;
}

describe('shouldReport (crier github-reporter)', () => {
  const defaults = reporterConfig();
  const cases: { name: string; job: ProwJob; settings?: ReporterConfig; want: boolean }[] = [
    { name: 'presubmit', job: presubmitJob('a'), want: true },
    { name: 'postsubmit', job: postsubmitJob('a'), want: true },
    {
      name: 'periodic is never reported by default',
      job: newProwJob(periodicSpec({ name: 'ci-nightly' }), { name: 'p', now: new Date() }),
      want: false,
    },
    {
      name: 'skip_report (spec.report false)',
      job: edit(presubmitJob('a'), (j) => (j.spec.report = false)),
      want: false,
    },
    {
      name: 'spec.report absent',
      job: edit(presubmitJob('a'), (j) => delete j.spec.report),
      want: false,
    },
    { name: 'batch job (two pulls)', job: presubmitJob('a', { pulls: 2 }), want: false },
    { name: 'no refs', job: edit(postsubmitJob('a'), (j) => delete j.spec.refs), want: false },
    {
      name: 'Gerrit-labelled jobs belong to the Gerrit reporter',
      job: edit(presubmitJob('a'), (j) => {
        j.metadata.labels = { [GERRIT_REPORT_LABEL]: 'Verified' };
      }),
      want: false,
    },
    {
      name: 'type not in job_types_to_report',
      job: postsubmitJob('a'),
      settings: reporterConfig({ job_types_to_report: ['presubmit'] }),
      want: false,
    },
    {
      name: 'type in job_types_to_report',
      job: presubmitJob('a'),
      settings: reporterConfig({ job_types_to_report: ['presubmit'] }),
      want: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(shouldReport(tc.job, tc.settings ?? defaults)).toBe(tc.want));
  }
});

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

/** Prow's test helper: "start part1 part2 …" longer than 140 bytes for i = 140. */
const shout = (i: number): string => (i === 0 ? 'start' : `${shout(i - 1)} part${i}`);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('statusForJob: the description fitted to GitHub’s 140 characters as Prow does', () => {
  const cases: {
    name: string;
    description: string;
    baseSha: string;
    check: (d: string) => void;
  }[] = [
    {
      // Prow's loop re-measures the gap as it pads with the 3-byte U+2001, so a short
      // description gets 20 of them (123 bytes), not a full 140: kept exactly as Prow does it.
      name: 'short: padded with U+2001 before " BaseSHA:<sha>" exactly as Prow’s loop pads',
      description: 'Job succeeded.',
      baseSha: BASE_SHA,
      check: (d) => expect(d).toBe(`Job succeeded.${'\u2001'.repeat(20)} BaseSHA:${BASE_SHA}`),
    },
    {
      name: 'long (Prow shout(140)): middle-truncated with " ... ", the suffix kept whole',
      description: shout(140),
      baseSha: BASE_SHA,
      check: (d) => {
        expect(d.startsWith('start part1 part2')).toBe(true);
        expect(d).toContain(' ... ');
        expect(d.endsWith(` BaseSHA:${BASE_SHA}`)).toBe(true);
        expect(bytes(d)).toBeLessThanOrEqual(140);
      },
    },
    {
      name: 'no base SHA: no suffix, the description alone truncated to 140',
      description: shout(140),
      baseSha: '',
      check: (d) => {
        expect(d).not.toContain('BaseSHA');
        expect(bytes(d)).toBeLessThanOrEqual(140);
        expect(d).toBe(contextDescriptionWithBaseSha(shout(140), ''));
      },
    },
    {
      name: 'multi-byte text is counted in bytes, as Go counts it',
      description: 'Jöb fäiled — ✗'.repeat(12),
      baseSha: BASE_SHA,
      check: (d) => {
        expect(bytes(d)).toBeLessThanOrEqual(140);
        expect(d.endsWith(` BaseSHA:${BASE_SHA}`)).toBe(true);
      },
    },
    {
      name: 'Tide reads the base SHA back from the end of the description',
      description: 'Job failed.',
      baseSha: BASE_SHA,
      check: (d) => expect(/ BaseSHA:([0-9a-f]{40})$/.exec(d)?.[1]).toBe(BASE_SHA),
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const job = presubmitJob('j');
      setState(job, 'failure');
      job.status.description = tc.description;
      job.spec.refs!.base_sha = tc.baseSha;
      tc.check(statusForJob(job)!.description);
    });
  }
});
