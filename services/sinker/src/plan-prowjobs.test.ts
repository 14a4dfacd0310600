import { describe, expect, it } from 'vitest';
import { latestPeriodics, planProwJobDeletions } from './plan-prowjobs.js';
import { H, NOW, config, periodic, prowJob, type JobSeed } from '../testing/jobs.js';

interface Case {
  name: string;
  jobs: JobSeed[];
  /** "name:reason" of the planned deletions. */
  want: string[];
}

const cases: Case[] = [
  {
    name: 'completed job older than max_prowjob_age is aged',
    jobs: [{ name: 'a', startedAgo: 49 * H, completedAgo: 47 * H }],
    want: ['a:aged'],
  },
  {
    name: 'exactly max_prowjob_age is not older (Prow compares strictly)',
    jobs: [{ name: 'a', startedAgo: 48 * H, completedAgo: 47 * H }],
    want: [],
  },
  {
    name: 'incomplete job is never deleted',
    jobs: [{ name: 'a', startedAgo: 1000 * H }],
    want: [],
  },
  {
    name: 'unparseable startTime is never older',
    jobs: [{ name: 'a', startedAgo: NaN, completedAgo: 1 * H }],
    want: [],
  },
  {
    name: 'newest periodic in config is kept, older ones are aged-periodic',
    jobs: [
      periodic('p1', 300 * H, 299 * H),
      periodic('p2', 200 * H, 199 * H),
      periodic('p3', 100 * H, 99 * H),
    ],
    want: ['p1:aged-periodic', 'p2:aged-periodic'],
  },
  {
    name: 'a running newest periodic protects none of the completed ones',
    jobs: [periodic('p1', 100 * H, 99 * H), periodic('p2', 1 * H)],
    want: ['p1:aged-periodic'],
  },
  {
    name: 'periodic removed from config follows max_prowjob_age',
    jobs: [periodic('g1', 100 * H, 99 * H, 'gone'), periodic('g2', 1 * H, 0, 'gone')],
    want: ['g1:aged-periodic'],
  },
  {
    name: 'newest is chosen per periodic name',
    jobs: [periodic('p1', 100 * H, 99 * H), periodic('x1', 50 * H, 49 * H, 'gone')],
    want: ['x1:aged-periodic'],
  },
  {
    name: 'a tie on startTime keeps exactly one (the greater name)',
    jobs: [periodic('pa', 100 * H, 99 * H), periodic('pb', 100 * H, 99 * H)],
    want: ['pa:aged-periodic'],
  },
];

describe('planProwJobDeletions', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const jobs = tc.jobs.map((j) => prowJob(j));
      const got = planProwJobDeletions(jobs, config, NOW).map(
        (d) => `${d.job.metadata.name}:${d.reason}`,
      );
      expect(got.sort()).toEqual(tc.want);
    });
  }
});

describe('latestPeriodics', () => {
  it('ignores non-periodics and picks the newest start per job name', () => {
    const jobs = [
      prowJob({ name: 'pre', startedAgo: 0, job: 'ci-periodic' }),
      prowJob(periodic('old', 10 * H)),
      prowJob(periodic('new', 1 * H)),
    ];
    expect(latestPeriodics(jobs).get('ci-periodic')?.metadata.name).toBe('new');
  });
});
