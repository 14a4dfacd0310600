// Concurrency limits and terminateDupes through the reconciler (one replica; replicas.test.ts
// runs several), with an injected clock.
import { beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '@jetprow/bus';
import type { KvJobStore } from '@jetprow/store';
import { localAdmissionLock } from './admission-lock.js';
import { FakeRunner } from '../testing/fake-runner.js';
import { createReconciler } from './reconciler.js';
import {
  NOW,
  T0,
  configWithPlank,
  newJob,
  pending,
  setup,
  useKvStore,
} from '../testing/reconciler-fixtures.js';

let store: KvJobStore;
useKvStore((s) => (store = s));

describe('reconcile: concurrency limits (Prow canExecuteConcurrently), one replica', () => {
  beforeEach(async () => {
    for (const j of await store.list()) await store.delete(j.metadata.name);
  });
  const RECHECK = Math.floor((NOW.getTime() + 10_000) / 10_000) * 10_000;

  it('per-job max_concurrency: the oldest runs first, the others wait for a 10 s re-check', async () => {
    const { reconciler } = setup(store);
    const lim = { max_concurrency: 2, job: 'pull-limited' };
    for (const [i, name] of ['c0', 'c1', 'c2', 'c3'].entries()) {
      await store.create(
        newJob(name, lim, new Date(Date.parse(T0) + i * 1000).toISOString(), 3000 + i),
      );
    }
    // the youngest first: it must not overtake
    expect(await reconciler.reconcile('c3')).toEqual({ outcome: 'blocked', requeueAt: RECHECK });
    expect(await reconciler.reconcile('c1')).toEqual({ outcome: 'started' });
    expect(await reconciler.reconcile('c2')).toEqual({ outcome: 'blocked', requeueAt: RECHECK });
    expect(await reconciler.reconcile('c0')).toEqual({ outcome: 'started' });
    expect(await reconciler.reconcile('c2')).toEqual({ outcome: 'blocked', requeueAt: RECHECK });
    const c0 = (await store.get('c0'))!;
    await store.update({
      ...c0,
      status: { ...c0.status, state: 'success', completionTime: NOW.toISOString() },
    });
    expect(await reconciler.reconcile('c3')).toEqual({ outcome: 'blocked', requeueAt: RECHECK });
    expect(await reconciler.reconcile('c2')).toEqual({ outcome: 'started' });
  });

  it('plank.max_concurrency and job_queue_capacities from the config getter', async () => {
    const { reconciler } = setup(store, { max_concurrency: 2, job_queue_capacities: { heavy: 1 } });
    await store.create(newJob('g0', { job: 'a' }, T0, 3100));
    await store.create(newJob('q0', { job: 'b', job_queue_name: 'heavy' }, T0, 3101));
    await store.create(newJob('q1', { job: 'c', job_queue_name: 'heavy' }, T0, 3102));
    await store.create(newJob('g1', { job: 'd' }, T0, 3103));
    // same creation time: the name orders them, q0 first; q1 waits for the queue
    expect(await reconciler.reconcile('q1')).toEqual({ outcome: 'blocked', requeueAt: RECHECK });
    expect(await reconciler.reconcile('q0')).toEqual({ outcome: 'started' });
    expect(await reconciler.reconcile('g0')).toEqual({ outcome: 'started' });
    // two pending now: plank.max_concurrency 2 is reached
    expect(await reconciler.reconcile('g1')).toEqual({ outcome: 'blocked', requeueAt: RECHECK });
  });

  it('reads plank: through the config getter on every reconcile (a reload applies at once)', async () => {
    let current = configWithPlank({ max_concurrency: 1 });
    let n = 0;
    const reconciler = createReconciler({
      store,
      runner: new FakeRunner(),
      getConfig: () => current(),
      now: () => NOW,
      buildIds: { next: () => `b${++n}` },
      nudge: () => {},
      log: silentLog,
    });
    await store.create(newJob('h0', { job: 'a' }, T0, 3300));
    await store.create(newJob('h1', { job: 'b' }, T0, 3301));
    expect(await reconciler.reconcile('h0')).toEqual({ outcome: 'started' });
    expect(await reconciler.reconcile('h1')).toEqual({ outcome: 'blocked', requeueAt: RECHECK });
    current = configWithPlank({ max_concurrency: 2 });
    expect(await reconciler.reconcile('h1')).toEqual({ outcome: 'started' });
  });

  it('a busy admission lock → re-check after 1 s (Prow TryLock)', async () => {
    const lock = localAdmissionLock();
    const held = await lock.tryAcquire(['job/pull-locked'], 'someone else');
    const runner = new FakeRunner();
    const reconciler = createReconciler({
      store,
      runner,
      getConfig: configWithPlank(),
      now: () => NOW,
      buildIds: { next: () => 'b1' },
      nudge: () => {},
      log: silentLog,
      lock,
    });
    await store.create(newJob('l0', { job: 'pull-locked', max_concurrency: 1 }, T0, 3200));
    const second = Math.floor((NOW.getTime() + 1000) / 1000) * 1000;
    expect(await reconciler.reconcile('l0')).toEqual({ outcome: 'blocked', requeueAt: second });
    await held?.release();
    expect(await reconciler.reconcile('l0')).toEqual({ outcome: 'started' });
  });
});

describe('reconcile: terminateDupes (Prow pkg/pjutil/abort.go)', () => {
  it('a new run of a presubmit on a PR aborts the older run, pre-setting the reporter state', async () => {
    const { runner, reconciler } = setup(store);
    const old = newJob('dupe-old', {}, T0, 4000);
    old.status = {
      ...old.status,
      ...pending,
      prev_report_states: { 'github-reporter': 'pending' },
    };
    await store.create(old);
    runner.seed('dupe-old', 'b0', 'running');
    await store.create(newJob('dupe-new', {}, '2026-02-03T04:01:00.000Z', 4000));
    expect(await reconciler.reconcile('dupe-new')).toEqual({ outcome: 'started' });
    expect((await store.get('dupe-old'))?.status).toMatchObject({
      state: 'aborted',
      prev_report_states: { 'github-reporter': 'aborted' },
    });
    expect(await reconciler.reconcile('dupe-old')).toEqual({ outcome: 'stopped' });
    expect(runner.calls).toEqual(['start dupe-new b1', 'stop dupe-old']);
    expect((await store.get('dupe-new'))?.status.state).toBe('pending');
  });

  it('an older run reconciled after the newer exists aborts itself (and stops at once)', async () => {
    const { runner, reconciler } = setup(store);
    await store.create(newJob('self-new', {}, '2026-02-03T04:01:00.000Z', 4001));
    await store.create(newJob('self-old', {}, T0, 4001));
    expect(await reconciler.reconcile('self-old')).toEqual({ outcome: 'stopped' });
    expect((await store.get('self-old'))?.status).toMatchObject({
      state: 'aborted',
      completionTime: NOW.toISOString(),
      prev_report_states: { 'github-reporter': 'aborted' },
    });
    expect(runner.calls).toEqual(['stop self-old']);
    expect((await store.get('self-new'))?.status.state).toBe('triggered');
  });

  it('runs of the same presubmit on different PRs are left alone', async () => {
    const { reconciler } = setup(store);
    const other = newJob('pr-a', {}, T0, 4002);
    other.status = { ...other.status, ...pending };
    await store.create(other);
    await store.create(newJob('pr-b', {}, '2026-02-03T04:01:00.000Z', 4003));
    expect(await reconciler.reconcile('pr-b')).toEqual({ outcome: 'started' });
    expect((await store.get('pr-a'))?.status.state).toBe('pending');
  });
});
