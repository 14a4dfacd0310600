// Prow's sinker rules, one row each, on a real KvJobStore (real nats-server) and an in-memory
// JobRunner, with an injected clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '@jetprow/bus';
import { type JobStore, type KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import { clean, ListProwJobsError } from './clean.js';
import type { CleanSummary } from './summary.js';
import { FakeRunner } from '../testing/fake-runner.js';
import {
  H,
  M,
  NOW,
  S,
  build,
  periodic,
  config,
  prowJob,
  type BuildSeed,
  type JobSeed,
} from '../testing/jobs.js';

let h: StoreHarness | undefined;
let store: KvJobStore;
let runner: FakeRunner;

beforeAll(async () => {
  h = await startStoreHarness('sinker-clean-test', { streams: true });
  ({ store } = h);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  for (const j of await store.list()) await store.delete(j.metadata.name);
  runner = new FakeRunner();
});

async function seed(jobs: JobSeed[], builds: BuildSeed[]): Promise<void> {
  for (const j of jobs) await store.create(prowJob(j));
  for (const b of builds) runner.add(build(b));
}
const jobNames = async (): Promise<string[]> =>
  (await store.list()).map((j) => j.metadata.name).sort();
const pass = (s: JobStore = store): Promise<CleanSummary> =>
  clean({ store: s, runner, log: silentLog, config }, NOW);

interface Row {
  name: string;
  jobs: JobSeed[];
  builds?: BuildSeed[];
  jobsLeft: string[];
  buildsLeft?: string[];
  summary: Partial<CleanSummary>;
}

const rows: Row[] = [
  {
    name: 'max_prowjob_age: old complete job deleted',
    jobs: [{ name: 'old-done', startedAgo: 49 * H, completedAgo: 48 * H }],
    jobsLeft: [],
    summary: { prowJobsDeleted: { aged: 1, 'aged-periodic': 0 } },
  },
  {
    name: 'max_prowjob_age: young complete job kept',
    jobs: [{ name: 'young-done', startedAgo: 47 * H, completedAgo: 46 * H }],
    jobsLeft: ['young-done'],
    summary: { prowJobsDeleted: { aged: 0, 'aged-periodic': 0 } },
  },
  {
    name: 'max_prowjob_age: old incomplete job kept',
    jobs: [{ name: 'old-running', startedAgo: 100 * H }],
    jobsLeft: ['old-running'],
    summary: { prowJobsExisting: 1, prowJobsDeleted: { aged: 0, 'aged-periodic': 0 } },
  },
  {
    name: 'periodic retention: newest periodic kept',
    jobs: [periodic('p-only', 500 * H, 499 * H)],
    jobsLeft: ['p-only'],
    summary: { prowJobsDeleted: { aged: 0, 'aged-periodic': 0 } },
  },
  {
    name: 'periodic retention: older periodic deleted',
    jobs: [periodic('p-older', 500 * H, 499 * H), periodic('p-newer', 100 * H, 99 * H)],
    jobsLeft: ['p-newer'],
    summary: { prowJobsDeleted: { aged: 0, 'aged-periodic': 1 } },
  },
  {
    name: 'periodic retention: a running newest periodic does not protect the older one',
    jobs: [periodic('p-done', 100 * H, 99 * H), periodic('p-running', 1 * H)],
    jobsLeft: ['p-running'],
    summary: { prowJobsDeleted: { aged: 0, 'aged-periodic': 1 } },
  },
  {
    name: 'periodic retention: removed-from-config periodic follows max age',
    jobs: [periodic('gone-old', 100 * H, 99 * H, 'gone'), periodic('gone-new', 1 * H, 0, 'gone')],
    jobsLeft: ['gone-new'],
    summary: { prowJobsDeleted: { aged: 0, 'aged-periodic': 1 } },
  },
  {
    name: 'max_pod_age: old build of complete job deleted',
    jobs: [{ name: 'done', startedAgo: 13 * H, completedAgo: 10 * M }],
    builds: [{ name: 'done', startedAgo: 13 * H }],
    jobsLeft: ['done'],
    buildsLeft: [],
    summary: { buildsExisting: 1, buildsDeleted: { aged: 1, ttled: 0, orphaned: 0 } },
  },
  {
    name: 'max_pod_age: build of incomplete job kept',
    jobs: [{ name: 'running', startedAgo: 13 * H }],
    builds: [{ name: 'running', startedAgo: 13 * H }],
    jobsLeft: ['running'],
    buildsLeft: ['running'],
    summary: { buildsDeleted: { aged: 0, ttled: 0, orphaned: 0 } },
  },
  {
    name: 'max_pod_age: old build of the kept newest periodic deleted',
    jobs: [periodic('p-kept', 100 * H, 99 * H)],
    builds: [{ name: 'p-kept', startedAgo: 100 * H }],
    jobsLeft: ['p-kept'],
    buildsLeft: [],
    summary: { buildsDeleted: { aged: 1, ttled: 0, orphaned: 0 } },
  },
  {
    name: 'terminated_pod_ttl: build of job completed 31 m ago deleted',
    jobs: [{ name: 'ttl-over', startedAgo: 2 * H, completedAgo: 31 * M }],
    builds: [{ name: 'ttl-over', startedAgo: 2 * H }],
    jobsLeft: ['ttl-over'],
    buildsLeft: [],
    summary: { buildsDeleted: { aged: 0, ttled: 1, orphaned: 0 } },
  },
  {
    name: 'terminated_pod_ttl: build of job completed 29 m ago kept',
    jobs: [{ name: 'ttl-under', startedAgo: 2 * H, completedAgo: 29 * M }],
    builds: [{ name: 'ttl-under', startedAgo: 2 * H }],
    jobsLeft: ['ttl-under'],
    buildsLeft: ['ttl-under'],
    summary: { buildsDeleted: { aged: 0, ttled: 0, orphaned: 0 } },
  },
  {
    name: 'orphans: build older than 30 s without a ProwJob deleted',
    jobs: [],
    builds: [{ name: 'ghost', startedAgo: 31 * S }],
    jobsLeft: [],
    buildsLeft: [],
    summary: { buildsDeleted: { aged: 0, ttled: 0, orphaned: 1 } },
  },
  {
    name: 'orphans: build younger than 30 s without a ProwJob kept',
    jobs: [],
    builds: [{ name: 'newborn', startedAgo: 29 * S }],
    jobsLeft: [],
    buildsLeft: ['newborn'],
    summary: { buildsDeleted: { aged: 0, ttled: 0, orphaned: 0 } },
  },
  {
    name: 'orphans: the build of a ProwJob deleted in this pass goes as orphaned',
    jobs: [{ name: 'aged-out', startedAgo: 49 * H, completedAgo: 48 * H }],
    builds: [{ name: 'aged-out', startedAgo: 49 * H }],
    jobsLeft: [],
    buildsLeft: [],
    summary: {
      prowJobsDeleted: { aged: 1, 'aged-periodic': 0 },
      buildsDeleted: { aged: 0, ttled: 0, orphaned: 1 },
    },
  },
  {
    name: 'orphans: the ProwJob is found by the build label (prow.k8s.io/id), not the build name',
    jobs: [{ name: 'job-x', startedAgo: 1 * H }],
    builds: [{ name: 'pod-x', prowJob: 'job-x', startedAgo: 1 * H }],
    jobsLeft: ['job-x'],
    buildsLeft: ['pod-x'],
    summary: { buildsDeleted: { aged: 0, ttled: 0, orphaned: 0 } },
  },
];

describe('clean: Prow rules', () => {
  for (const row of rows) {
    it(row.name, async () => {
      await seed(row.jobs, row.builds ?? []);
      const summary = await pass();
      expect(summary).toMatchObject({ ...row.summary, errors: 0, conflicts: 0 });
      expect(await jobNames()).toEqual(row.jobsLeft);
      expect(runner.names()).toEqual(row.buildsLeft ?? []);
    });
  }

  it('is idempotent: a second pass deletes nothing more', async () => {
    await seed(
      [{ name: 'old-done', startedAgo: 49 * H, completedAgo: 48 * H }],
      [{ name: 'old-done', startedAgo: 49 * H }],
    );
    await pass();
    const again = await pass();
    expect(again).toMatchObject({
      prowJobsExisting: 0,
      buildsExisting: 0,
      prowJobsDeleted: { aged: 0, 'aged-periodic': 0 },
      buildsDeleted: { aged: 0, ttled: 0, orphaned: 0 },
    });
  });
});

describe('clean: concurrency and failures', () => {
  it('leaves a ProwJob that changed after the listing for the next pass (CAS)', async () => {
    await seed([{ name: 'changing', startedAgo: 49 * H, completedAgo: 48 * H }], []);
    // A store whose listing is stale: the job is updated right after it was listed.
    const staleList: JobStore = Object.assign(Object.create(store) as JobStore, {
      async list() {
        const listed = await store.list();
        const job = await store.get('changing');
        if (job) await store.update({ ...job, status: { ...job.status, description: 'touched' } });
        return listed;
      },
    });
    const first = await pass(staleList);
    expect(first).toMatchObject({ conflicts: 1, errors: 0, prowJobsDeleted: { aged: 0 } });
    expect((await store.get('changing'))?.status.description).toBe('touched');

    const second = await pass();
    expect(second).toMatchObject({ conflicts: 0, prowJobsDeleted: { aged: 1 } });
    expect(await jobNames()).toEqual([]);
  });

  it('counts a failed build delete and goes on with the others', async () => {
    await seed(
      [],
      [
        { name: 'stuck', startedAgo: 1 * H },
        { name: 'ghost', startedAgo: 1 * H },
      ],
    );
    runner.failDeletes.add('stuck');
    const summary = await pass();
    expect(summary).toMatchObject({
      errors: 1,
      buildErrors: { orphaned: 1 },
      buildsDeleted: { orphaned: 1 },
    });
    expect(runner.names()).toEqual(['stuck']);
  });

  it('still cleans ProwJobs when the build listing fails', async () => {
    await seed([{ name: 'old-done', startedAgo: 49 * H, completedAgo: 48 * H }], []);
    runner.listError = new Error('cluster unreachable');
    const summary = await pass();
    expect(summary).toMatchObject({ errors: 1, prowJobsDeleted: { aged: 1 } });
    expect(await jobNames()).toEqual([]);
  });

  it('throws ListProwJobsError (with the cause) when the ProwJob listing fails', async () => {
    const cause = new Error('bucket unavailable');
    const broken: JobStore = Object.assign(Object.create(store) as JobStore, {
      list: () => Promise.reject(cause),
    });
    const err = await pass(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ListProwJobsError);
    expect((err as Error).cause).toBe(cause);
  });

  it('stops between deletes once aborted', async () => {
    await seed([{ name: 'old-done', startedAgo: 49 * H, completedAgo: 48 * H }], []);
    const signal = AbortSignal.abort();
    const summary = await clean({ store, runner, log: silentLog, config, signal }, NOW);
    expect(summary.aborted).toBe(true);
    expect(await jobNames()).toEqual(['old-done']);
  });
});
