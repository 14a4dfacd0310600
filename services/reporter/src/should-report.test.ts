import { describe, expect, it } from 'vitest';
import type { ProwJob } from '@jetprow/schemas';
import { periodicSpec, newProwJob } from '@jetprow/core';
import { GERRIT_REPORT_LABEL, shouldReport } from './should-report.js';
import type { ReporterSettings } from './settings.js';
import { postsubmitJob, presubmitJob } from '../testing/fixtures.js';

function edit(job: ProwJob, change: (j: ProwJob) => void): ProwJob {
  change(job);
  return job;
}

describe('shouldReport (crier github-reporter)', () => {
  const defaults: ReporterSettings = {};
  const cases: { name: string; job: ProwJob; settings?: ReporterSettings; want: boolean }[] = [
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
      settings: { jobTypesToReport: ['presubmit'] },
      want: false,
    },
    {
      name: 'type in job_types_to_report',
      job: presubmitJob('a'),
      settings: { jobTypesToReport: ['presubmit'] },
      want: true,
    },
    {
      name: 'empty job_types_to_report means the default',
      job: postsubmitJob('a'),
      settings: { jobTypesToReport: [] },
      want: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(shouldReport(tc.job, tc.settings ?? defaults)).toBe(tc.want));
  }
});
