import { describe, expect, it } from 'vitest';
import { planBuild, type BuildDecision } from './plan-builds.js';
import {
  H,
  M,
  NOW,
  S,
  build,
  prowJob,
  config,
  type BuildSeed,
  type JobSeed,
} from '../testing/jobs.js';

interface Case {
  name: string;
  build: BuildSeed;
  job?: JobSeed;
  /** The job was deleted earlier in this pass. */
  deletedThisPass?: boolean;
  want: BuildDecision;
}

const cases: Case[] = [
  {
    name: 'max_pod_age: old build of a completed job is aged',
    build: { name: 'b', startedAgo: 13 * H },
    job: { name: 'b', startedAgo: 13 * H, completedAgo: 10 * M },
    want: { reason: 'aged', checkOrphan: false },
  },
  {
    name: 'max_pod_age: old build of an incomplete job is kept',
    build: { name: 'b', startedAgo: 13 * H },
    job: { name: 'b', startedAgo: 13 * H },
    want: { checkOrphan: false },
  },
  {
    name: 'terminated_pod_ttl: job completed longer ago is ttled',
    build: { name: 'b', startedAgo: 2 * H },
    job: { name: 'b', startedAgo: 2 * H, completedAgo: 31 * M },
    want: { reason: 'ttled', checkOrphan: false },
  },
  {
    name: 'terminated_pod_ttl: job completed recently is kept',
    build: { name: 'b', startedAgo: 2 * H },
    job: { name: 'b', startedAgo: 2 * H, completedAgo: 29 * M },
    want: { checkOrphan: false },
  },
  {
    name: 'orphan: no job listed and older than 30 s asks for a fresh read',
    build: { name: 'b', startedAgo: 31 * S },
    want: { checkOrphan: true },
  },
  {
    name: 'orphan: no job listed but younger than 30 s is left alone',
    build: { name: 'b', startedAgo: 29 * S },
    want: { checkOrphan: false },
  },
  {
    name: 'orphan: a job deleted in this pass asks for a fresh read and keeps its reason',
    build: { name: 'b', startedAgo: 49 * H },
    job: { name: 'b', startedAgo: 49 * H, completedAgo: 48 * H },
    deletedThisPass: true,
    want: { reason: 'aged', checkOrphan: true },
  },
  {
    name: 'unparseable build start is neither aged nor orphaned',
    build: { name: 'b', startedAgo: NaN },
    want: { checkOrphan: false },
  },
];

describe('planBuild', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const job = tc.job ? prowJob(tc.job) : undefined;
      const gone = !job || tc.deletedThisPass === true;
      expect(planBuild(build(tc.build), job, gone, config.prow.sinker, NOW)).toEqual(tc.want);
    });
  }
});
