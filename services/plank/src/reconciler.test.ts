// plank's reconcile against the KV JobStore (real nats-server) and the fake runner, with an
// injected clock: triggered, the ends of a pending job, aborted, and what plank leaves alone
// (Prow pkg/plank/reconciler.go). The Pod lifecycle rows are in reconciler-lifecycle.test.ts.
import { describe, expect, it } from 'vitest';
import { BuildStartError } from '@jetprow/runner';
import type { KvJobStore } from '@jetprow/store';
import { BuildRunnerError } from './reconciler.js';
import {
  NOW,
  T0,
  errored,
  newJob,
  pending,
  running,
  runRows,
  setup,
  type Row,
  useKvStore,
} from '../testing/reconciler-fixtures.js';

let store: KvJobStore;
useKvStore((s) => (store = s));

const rows: Row[] = [
  // triggered
  {
    name: 'triggered → pending: a new build with a new build id (Prow syncTriggeredJob)',
    status: { state: 'triggered' },
    outcome: 'started',
    calls: (n) => [`start ${n} b1`],
    expect: (_pj, n) => ({
      state: 'pending',
      pendingTime: NOW.toISOString(),
      build_id: 'b1',
      pod_name: n,
      description: 'Job triggered.',
      url: `http://plank.test/view/${n}`,
    }),
  },
  {
    name: 'triggered → pending: status.url from plank.job_url_template (Prow’s JobURL)',
    status: { state: 'triggered' },
    plank: {
      job_url_template:
        'https://prow.example/view/{{.Spec.Refs.Org}}_{{.Spec.Refs.Repo}}/{{.Spec.Job}}/{{.Status.BuildID}}/',
    },
    outcome: 'started',
    calls: (n) => [`start ${n} b1`],
    expect: () => ({
      state: 'pending',
      build_id: 'b1',
      url: 'https://prow.example/view/o_r/pull-unit/b1/',
    }),
  },
  {
    name: 'a job_url_template that fails to execute → status.url is empty (Prow logs it)',
    status: { state: 'triggered' },
    plank: { job_url_template: '{{index .Spec.Refs.Pulls 5}}' },
    outcome: 'started',
    calls: (n) => [`start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1', url: '' }),
  },
  {
    name: 'triggered with the build already there → adopt it, never start twice',
    status: { state: 'triggered' },
    build: { phase: 'running', buildId: 'b-old' },
    outcome: 'adopted',
    calls: () => [],
    expect: () => ({ state: 'pending', build_id: 'b-old', description: 'Job triggered.' }),
  },
  {
    name: 'triggered, adopted build already finished → pending, then success on the next nudge',
    status: { state: 'triggered' },
    build: { phase: 'succeeded', buildId: 'b-old', exitCode: 0 },
    times: 2,
    outcome: 'finished',
    calls: () => [],
    expect: () => ({ state: 'success', build_id: 'b-old', completionTime: NOW.toISOString() }),
  },
  {
    name: 'triggered, build cannot be created → error "Pod can not be created: …"',
    status: { state: 'triggered' },
    startError: new BuildStartError('no command to run'),
    outcome: 'start-error',
    calls: (n) => [`start ${n} b1`],
    expect: errored('Pod can not be created: no command to run'),
  },
  {
    name: 'a replayed nudge is harmless: three reconciles, one build',
    status: { state: 'triggered' },
    times: 3,
    outcome: 'running',
    calls: (n) => [`start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1' }),
  },
  // pending: ends
  {
    name: 'pending, build running → stays pending (watched)',
    status: pending,
    build: running(),
    outcome: 'running',
    calls: () => [],
    expect: () => ({ state: 'pending', build_id: 'b0' }),
    unchanged: true,
  },
  {
    name: 'pending, running build with another build id (crash around a new build) → status fixed',
    status: pending,
    build: { phase: 'running', buildId: 'b9' },
    outcome: 'running',
    calls: () => [],
    expect: () => ({ state: 'pending', build_id: 'b9' }),
  },
  {
    name: 'pending, pod Succeeded with every container 0 → success "Job succeeded."',
    status: pending,
    build: {
      phase: 'succeeded',
      buildId: 'b0',
      exitCode: 0,
      facts: { allContainersSucceeded: true },
    },
    outcome: 'finished',
    calls: () => [],
    expect: () => ({
      state: 'success',
      description: 'Job succeeded.',
      completionTime: NOW.toISOString(),
    }),
  },
  {
    name: 'pending, pod Succeeded but a container did not finish → error',
    status: pending,
    build: { phase: 'succeeded', buildId: 'b0', facts: { allContainersSucceeded: false } },
    outcome: 'finished',
    calls: () => [],
    expect: errored("Pod was in succeeded phase but some containers didn't finish"),
  },
  {
    name: 'pending, pod Failed → failure "Job failed."',
    status: pending,
    build: { phase: 'failed', buildId: 'b0', exitCode: 2 },
    outcome: 'finished',
    calls: () => [],
    expect: () => ({
      state: 'failure',
      description: 'Job failed.',
      completionTime: NOW.toISOString(),
    }),
  },
  // aborted
  {
    name: 'aborted → build stopped (pod deleted), completionTime set, state stays aborted',
    status: { ...pending, state: 'aborted' },
    build: running(),
    outcome: 'stopped',
    calls: (n) => [`stop ${n}`],
    expect: () => ({ state: 'aborted', completionTime: NOW.toISOString() }),
  },
  {
    name: 'aborted before its build started → completes all the same',
    status: { state: 'aborted' },
    outcome: 'stopped',
    calls: (n) => [`stop ${n}`],
    expect: () => ({ state: 'aborted', completionTime: NOW.toISOString() }),
  },
  // not plank's business
  {
    name: 'complete job → nothing',
    status: { state: 'success', completionTime: T0, build_id: 'b0' },
    build: { phase: 'succeeded', buildId: 'b0', exitCode: 0 },
    outcome: 'complete',
    calls: () => [],
    expect: () => ({ state: 'success', completionTime: T0 }),
    unchanged: true,
  },
  {
    name: 'another agent (jenkins) → not plank’s job',
    status: { state: 'triggered' },
    spec: { agent: 'jenkins' },
    outcome: 'ignored',
    calls: () => [],
    expect: () => ({ state: 'triggered' }),
    unchanged: true,
  },
  {
    name: 'scheduling → left to the scheduler',
    status: { state: 'scheduling' },
    outcome: 'ignored',
    calls: () => [],
    expect: () => ({ state: 'scheduling' }),
    unchanged: true,
  },
];

describe('reconcile: Prow plank behaviour by state', () => runRows(rows, () => store));

describe('reconcile: edges', () => {
  it('the build gets Prow’s env for its build id', async () => {
    const { runner, reconciler } = setup(store);
    await store.create(newJob('env-1', {}, T0, 2001));
    await reconciler.reconcile('env-1');
    expect(runner.builds.get('env-1')?.env).toMatchObject({
      BUILD_ID: 'b1',
      PROW_JOB_ID: 'env-1',
      JOB_NAME: 'pull-unit',
      JOB_TYPE: 'presubmit',
      PULL_NUMBER: '2001',
      PULL_PULL_SHA: 'head1',
    });
  });

  it('a job that is gone → nothing', async () => {
    const { runner, reconciler } = setup(store);
    expect(await reconciler.reconcile('never-created')).toEqual({ outcome: 'absent' });
    expect(runner.calls).toEqual([]);
  });

  it('a transient start failure propagates (retried); the job stays triggered', async () => {
    const { runner, reconciler } = setup(store);
    await store.create(newJob('transient-1', {}, T0, 2002));
    runner.startError = new Error('EAGAIN');
    await expect(reconciler.reconcile('transient-1')).rejects.toBeInstanceOf(BuildRunnerError);
    expect((await store.get('transient-1'))?.status.state).toBe('triggered');
    runner.startError = undefined;
    expect(await reconciler.reconcile('transient-1')).toEqual({ outcome: 'started' });
  });

  it('a job aborted while its build starts is kept; the next sync stops the build', async () => {
    const { runner, reconciler } = setup(store);
    await store.create(newJob('race-1', {}, T0, 2003));
    runner.onStart = async () => {
      const j = (await store.get('race-1'))!;
      await store.update({ ...j, status: { ...j.status, state: 'aborted' } }); // trigger aborts it
    };
    expect(await reconciler.reconcile('race-1')).toEqual({ outcome: 'superseded' });
    expect((await store.get('race-1'))?.status.state).toBe('aborted');
    runner.onStart = undefined;
    expect(await reconciler.reconcile('race-1')).toEqual({ outcome: 'stopped' });
    expect(runner.calls).toEqual(['start race-1 b1', 'stop race-1']);
    expect((await store.get('race-1'))?.status).toMatchObject({
      state: 'aborted',
      completionTime: NOW.toISOString(),
    });
  });

  it('a running build is watched: its end nudges the job, which then completes', async () => {
    const { runner, reconciler, nudged } = setup(store);
    await store.create(newJob('watch-1', {}, T0, 2004));
    await reconciler.reconcile('watch-1'); // → pending
    expect(await reconciler.reconcile('watch-1')).toEqual({ outcome: 'running' });
    expect(await reconciler.reconcile('watch-1')).toEqual({ outcome: 'running' });
    runner.finish('watch-1', 1);
    expect(nudged).toEqual(['watch-1']); // watched twice, nudged once
    expect(await reconciler.reconcile('watch-1')).toEqual({ outcome: 'finished' });
    expect((await store.get('watch-1'))?.status.state).toBe('failure');
  });

  it('an evicted pod deleted slowly: revived once, the new pod starts once the old is gone', async () => {
    const { runner, reconciler } = setup(store);
    runner.slowDelete = true;
    const job = newJob('slow-1', {}, T0, 2005);
    job.status = { ...job.status, ...pending };
    await store.create(job);
    runner.seed('slow-1', 'b0', 'failed', undefined, { disruption: 'Evicted' });
    const look = { requeueAt: NOW.getTime() + 2000 }; // looked at again until the old pod is gone
    expect(await reconciler.reconcile('slow-1')).toEqual({ outcome: 'revived', ...look });
    expect(await reconciler.reconcile('slow-1')).toEqual({ outcome: 'clearing', ...look });
    runner.gone('slow-1');
    expect((await reconciler.reconcile('slow-1')).outcome).toBe('restarted');
    expect(runner.calls).toEqual(['delete slow-1', 'start slow-1 b2']);
    expect((await store.get('slow-1'))?.status).toMatchObject({
      build_id: 'b2',
      pod_revival_count: 1,
    });
  });

  it('a revival that cannot start errors the job', async () => {
    const { runner, reconciler } = setup(store);
    const job = newJob('revive-err', {}, T0, 2006);
    job.status = { ...job.status, ...pending };
    await store.create(job);
    runner.seed('revive-err', 'b0', 'unknown');
    runner.startError = new BuildStartError('workingDir is not writable');
    expect(await reconciler.reconcile('revive-err')).toEqual({ outcome: 'start-error' });
    expect((await store.get('revive-err'))?.status).toMatchObject({
      state: 'error',
      description: 'Pod can not be created: workingDir is not writable',
      pod_revival_count: 1,
    });
  });
});
