import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, silentLog, type Bus } from '@jetprow/bus';
import { newProwJob, presubmitSpec } from '@jetprow/core';
import { BuildStartError, type BuildPhase } from '@jetprow/runner';
import type { ProwJob, ProwJobSpec, ProwJobStatus } from '@jetprow/schemas';
import { KvJobStore } from '@jetprow/store';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { FakeRunner } from './fake-runner.js';
import { createReconciler, BuildRunnerError, type ReconcileOutcome } from './reconciler.js';
import type { PlankSettings } from './settings.js';

let nats: NatsHarness;
let bus: Bus;
let store: KvJobStore;
let seq = 0;
const NOW = new Date('2026-02-03T04:05:06.000Z');
const T0 = '2026-02-03T04:00:00.000Z';

function newJob(name: string, spec: Partial<ProwJobSpec> = {}): ProwJob {
  const base = presubmitSpec(
    { name: 'pull-unit', spec: { containers: [{ command: ['make', 'test'] }] } },
    {
      org: 'o',
      repo: 'r',
      base_ref: 'main',
      base_sha: 'base1',
      pulls: [{ number: 7, author: 'a', sha: 'head1' }],
    },
  );
  return newProwJob({ ...base, ...spec }, { name, now: new Date(T0) });
}

function setup(settings: PlankSettings = {}) {
  const runner = new FakeRunner();
  let n = 0;
  const nudged: string[] = [];
  const reconciler = createReconciler({
    store,
    runner,
    getSettings: () => ({ jobUrlBase: 'http://plank.test', ...settings }),
    now: () => NOW,
    buildIds: { next: () => `b${++n}` },
    nudge: (name) => nudged.push(name),
    log: silentLog,
  });
  return { runner, reconciler, nudged };
}

beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'reconciler-test');
  store = await KvJobStore.open(bus.js);
});
afterAll(async () => {
  await bus.close();
  await nats.stop();
});

interface Row {
  name: string;
  status: Partial<ProwJobStatus>;
  spec?: Partial<ProwJobSpec>;
  build?: { phase: BuildPhase; buildId: string; exitCode?: number };
  startError?: Error;
  settings?: PlankSettings;
  /** How many times the job is reconciled (nudges replayed). Default 1. */
  times?: number;
  outcome: ReconcileOutcome;
  calls: (name: string) => string[];
  expect: (pj: ProwJob, name: string) => Partial<ProwJobStatus>;
  unchanged?: boolean;
}

const pending = { state: 'pending', pendingTime: T0, build_id: 'b0' } as const;
const rows: Row[] = [
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
    expect: () => ({
      state: 'error',
      description: 'Pod can not be created: no command to run',
      completionTime: NOW.toISOString(),
    }),
  },
  {
    name: 'pending, build running → stays pending (watched)',
    status: pending,
    build: { phase: 'running', buildId: 'b0' },
    outcome: 'running',
    calls: () => [],
    expect: () => ({ state: 'pending', build_id: 'b0' }),
    unchanged: true,
  },
  {
    name: 'pending, running build with another build id (crash after a revival) → status fixed',
    status: pending,
    build: { phase: 'running', buildId: 'b9' },
    outcome: 'running',
    calls: () => [],
    expect: () => ({ state: 'pending', build_id: 'b9' }),
  },
  {
    name: 'pending, build succeeded → success "Job succeeded."',
    status: pending,
    build: { phase: 'succeeded', buildId: 'b0', exitCode: 0 },
    outcome: 'finished',
    calls: () => [],
    expect: () => ({
      state: 'success',
      description: 'Job succeeded.',
      completionTime: NOW.toISOString(),
    }),
  },
  {
    name: 'pending, build failed → failure "Job failed."',
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
  {
    name: 'pending, build missing → revived: new build id, pod_revival_count 1',
    status: pending,
    outcome: 'revived',
    calls: (n) => [`start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 1 }),
  },
  {
    name: 'pending, build missing, 2 of 3 revivals used → revived a third time',
    status: { ...pending, pod_revival_count: 2 },
    outcome: 'revived',
    calls: (n) => [`start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 3 }),
  },
  {
    name: 'pending, build missing at max revivals (3) → error "Job pod reached max revivals (3) …"',
    status: { ...pending, pod_revival_count: 3 },
    outcome: 'finished',
    calls: () => [],
    expect: () => ({
      state: 'error',
      description: 'Job pod reached max revivals (3) after being stopped unexpectedly',
      completionTime: NOW.toISOString(),
    }),
  },
  {
    name: 'max revivals comes from the settings getter',
    status: pending,
    settings: { maxRevivals: 0 },
    outcome: 'finished',
    calls: () => [],
    expect: () => ({
      state: 'error',
      description: 'Job pod reached max revivals (0) after being stopped unexpectedly',
    }),
  },
  {
    name: 'aborted → build stopped, completionTime set, state stays aborted (Prow syncAbortedJob)',
    status: { ...pending, state: 'aborted' },
    build: { phase: 'running', buildId: 'b0' },
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
    name: 'a replayed nudge is harmless: three reconciles, one build',
    status: { state: 'triggered' },
    times: 3,
    outcome: 'running',
    calls: (n) => [`start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1' }),
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

describe('reconcile: Prow plank behaviour by state', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const name = `r${++seq}`;
      const { runner, reconciler } = setup(row.settings);
      const job = newJob(name, row.spec);
      job.status = { ...job.status, ...row.status };
      const created = await store.create(job);
      if (row.build) runner.seed(name, row.build.buildId, row.build.phase, row.build.exitCode);
      runner.startError = row.startError;
      let outcome: ReconcileOutcome | undefined;
      for (let i = 0; i < (row.times ?? 1); i++) {
        outcome = (await reconciler.reconcile(name)).outcome;
      }
      expect(outcome).toBe(row.outcome);
      expect(runner.calls).toEqual(row.calls(name));
      const after = await store.get(name);
      expect(after?.status).toMatchObject(row.expect(after!, name));
      if (row.unchanged) {
        expect(after?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      }
    });
  }
});

describe('reconcile: edges', () => {
  it('the build gets Prow’s env for its build id', async () => {
    const { runner, reconciler } = setup();
    await store.create(newJob('env-1'));
    await reconciler.reconcile('env-1');
    expect(runner.builds.get('env-1')?.env).toMatchObject({
      BUILD_ID: 'b1',
      PROW_JOB_ID: 'env-1',
      JOB_NAME: 'pull-unit',
      JOB_TYPE: 'presubmit',
      PULL_NUMBER: '7',
      PULL_PULL_SHA: 'head1',
    });
  });

  it('a job that is gone → nothing', async () => {
    const { runner, reconciler } = setup();
    expect(await reconciler.reconcile('never-created')).toEqual({ outcome: 'absent' });
    expect(runner.calls).toEqual([]);
  });

  it('a transient start failure propagates (retried); the job stays triggered', async () => {
    const { runner, reconciler } = setup();
    await store.create(newJob('transient-1'));
    runner.startError = new Error('EAGAIN');
    await expect(reconciler.reconcile('transient-1')).rejects.toBeInstanceOf(BuildRunnerError);
    expect((await store.get('transient-1'))?.status.state).toBe('triggered');
    runner.startError = undefined;
    expect(await reconciler.reconcile('transient-1')).toEqual({ outcome: 'started' });
  });

  it('a job aborted while its build starts is kept; the next sync stops the build', async () => {
    const { runner, reconciler } = setup();
    await store.create(newJob('race-1'));
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
    const { runner, reconciler, nudged } = setup();
    await store.create(newJob('watch-1'));
    await reconciler.reconcile('watch-1'); // → pending
    expect(await reconciler.reconcile('watch-1')).toEqual({ outcome: 'running' });
    expect(await reconciler.reconcile('watch-1')).toEqual({ outcome: 'running' });
    runner.finish('watch-1', 1);
    expect(nudged).toEqual(['watch-1']); // watched twice, nudged once
    expect(await reconciler.reconcile('watch-1')).toEqual({ outcome: 'finished' });
    expect((await store.get('watch-1'))?.status.state).toBe('failure');
  });

  it('a lost build is revived, and a revival that cannot start errors the job', async () => {
    const { runner, reconciler } = setup();
    const job = newJob('revive-err');
    job.status = { ...job.status, ...pending };
    await store.create(job);
    runner.startError = new BuildStartError('workingDir is not writable');
    expect(await reconciler.reconcile('revive-err')).toEqual({ outcome: 'start-error' });
    expect((await store.get('revive-err'))?.status).toMatchObject({
      state: 'error',
      description: 'Pod can not be created: workingDir is not writable',
      pod_revival_count: 1,
    });
  });
});
