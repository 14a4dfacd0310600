// plank replicas on a real nats-server sharing one "cluster" (the fake runner): concurrency limits
// hold across shards and replicas, runs start oldest first, and re-checks and timeouts come from
// deadlines on the bus (the resync timer is far away in these tests).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { connectBus, delayedFilter, silentLog, type Bus } from '@jetprow/bus';
import { Streams, newProwJob, periodicSpec, shardFor } from '@jetprow/core';
import { isComplete, type ProwJob, type ProwJobSpec } from '@jetprow/schemas';
import { KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import type { NatsHarness } from '@jetprow/testing';
import { FakeRunner } from '../testing/fake-runner.js';
import { configWithPlank } from '../testing/reconciler-fixtures.js';
import { DEADLINE_QUEUE, startPlank, type Plank } from './index.js';
import type { PlankSettings } from './settings.js';

let h: StoreHarness | undefined;
let nats: NatsHarness;
let admin: Bus;
let store: KvJobStore;
const poll = { timeout: 30_000, interval: 50 };

interface Instance {
  bus: Bus;
  plank: Plank;
}

const instances: Instance[] = [];
const watches: { stop(): void }[] = [];

/** One replica; `plank` is config.yaml's `plank:` block, `settings` plank's own knobs. */
async function startInstance(
  name: string,
  runner: FakeRunner,
  limits: { settings?: PlankSettings; plank?: Record<string, unknown> },
): Promise<Instance> {
  const bus = await connectBus(nats.url, name);
  const plank = await startPlank({
    bus,
    store: await KvJobStore.open(bus.js),
    runner,
    log: silentLog,
    registry: new Registry(),
    getConfig: configWithPlank(limits.plank),
    settings: { resyncPeriodMs: 600_000, ...limits.settings },
    ackWaitMs: 5000,
  });
  const inst = { bus, plank };
  instances.push(inst);
  return inst;
}

/** Periodic jobs (no dupes to terminate), created `i` seconds apart in the past. */
function job(name: string, i: number, spec: Partial<ProwJobSpec>): ProwJob {
  const created = new Date(Date.now() - 600_000 + i * 1000);
  return newProwJob(
    { ...periodicSpec({ name: spec.job ?? 'ci' }), ...spec },
    { name, now: created },
  );
}

/** Follows the store's change feed: the most jobs of each group pending at once; start order. */
async function observe(groups: Record<string, (pj: ProwJob) => boolean>) {
  const latest = new Map<string, ProwJob>();
  const peak: Record<string, number> = Object.fromEntries(Object.keys(groups).map((g) => [g, 0]));
  const started: string[] = [];
  const watch = await store.watch((c) => {
    const before = latest.get(c.name)?.status.state;
    if (c.job) latest.set(c.name, c.job);
    else latest.delete(c.name);
    if (c.job?.status.state === 'pending' && before !== 'pending') started.push(c.name);
    const pendingNow = [...latest.values()].filter(
      (j) => j.status.state === 'pending' && !isComplete(j),
    );
    for (const [g, inGroup] of Object.entries(groups)) {
      peak[g] = Math.max(peak[g] ?? 0, pendingNow.filter(inGroup).length);
    }
  });
  await watch.synced;
  watches.push(watch);
  return { peak, started };
}

const stateOf = async (name: string): Promise<string | undefined> =>
  (await store.get(name))?.status.state;
const running = (runner: FakeRunner, names: string[]): string[] =>
  names.filter((n) => runner.builds.get(n)?.phase === 'running');

beforeAll(async () => {
  h = await startStoreHarness('replicas-admin');
  ({ nats, bus: admin, store } = h);
});
afterEach(async () => {
  // Every instance a test started, whether it passed or not: none may steal the next test's work.
  for (const w of watches.splice(0)) w.stop();
  const all = instances.splice(0);
  await Promise.all(all.map(async (i) => (await i.plank.stop(), await i.bus.close())));
});
afterAll(async () => {
  await h?.close();
});

describe('plank replicas and concurrency limits', { timeout: 90_000 }, () => {
  it('two replicas keep a job’s max_concurrency 2 across shards and start its runs oldest first', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `lim-${i}`);
    expect(new Set(names.map((n) => shardFor(n))).size).toBeGreaterThan(3); // spread over shards
    const spec = { job: 'pull-limited', max_concurrency: 2 };
    // All waiting before plank starts, youngest stored first: every replica races for them.
    for (const [i, n] of [...names.entries()].reverse()) await store.create(job(n, i, spec));
    const seen = await observe({ limited: (pj) => pj.spec.job === 'pull-limited' });
    const runner = new FakeRunner();
    runner.clock = () => new Date();
    const settings = { concurrencyRecheckMs: 200, lockRetryMs: 100 };
    await Promise.all([
      startInstance('plank-a', runner, { settings }),
      startInstance('plank-b', runner, { settings }),
    ]);
    for (let round = 0; round < 3; round++) {
      const pair = names.slice(2 * round, 2 * round + 2);
      await expect.poll(() => running(runner, names).sort(), poll).toEqual(pair);
      for (const n of pair) runner.finish(n, 0);
      for (const n of pair) await expect.poll(() => stateOf(n), poll).toBe('success');
    }
    expect(seen.peak.limited).toBe(2);
    expect(seen.started.map((n) => Math.floor(Number(n.slice(4)) / 2))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('plank.max_concurrency and a job queue’s capacity hold across replicas', async () => {
    const plain = Array.from({ length: 5 }, (_, i) => `g-${i}`);
    const queued = Array.from({ length: 3 }, (_, i) => `q-${i}`);
    for (const [i, n] of plain.entries()) await store.create(job(n, i, { job: `plain-${i}` }));
    for (const [i, n] of queued.entries()) {
      await store.create(job(n, i, { job: `heavy-${i}`, job_queue_name: 'heavy' }));
    }
    const seen = await observe({
      all: () => true,
      heavy: (pj) => pj.spec.job_queue_name === 'heavy',
    });
    const runner = new FakeRunner();
    const limits = {
      plank: { max_concurrency: 3, job_queue_capacities: { heavy: 1 } },
      settings: { concurrencyRecheckMs: 200, lockRetryMs: 100 },
    };
    await Promise.all([
      startInstance('plank-c', runner, limits),
      startInstance('plank-d', runner, limits),
    ]);
    const all = [...plain, ...queued];
    await expect.poll(() => running(runner, all).length, poll).toBe(3); // up to the limit
    // Then finish one build at a time, as soon as the limits let one run.
    for (let done = 0; done < all.length; done++) {
      await expect.poll(() => running(runner, all).length, poll).toBeGreaterThan(0);
      const [next] = running(runner, all).sort();
      runner.finish(next!, 0);
      await expect.poll(() => stateOf(next!), poll).toBe('success');
    }
    for (const n of all) expect(await stateOf(n)).toBe('success');
    expect(seen.peak.all).toBeLessThanOrEqual(3);
    expect(seen.peak.heavy).toBe(1);
    expect(seen.started.filter((n) => n.startsWith('q-'))).toEqual(queued); // the queue is FIFO
  });

  it('a running timeout fires from its deadline on the bus; a finished job’s deadline is removed', async () => {
    const runner = new FakeRunner();
    runner.clock = () => new Date();
    await startInstance('plank-e', runner, { plank: { pod_running_timeout: '1500ms' } });
    const deadlinesOf = async (name: string): Promise<string[]> => {
      const info = await admin.jsm.streams.info(Streams.timers, {
        subjects_filter: delayedFilter(DEADLINE_QUEUE),
      });
      return Object.keys(info.state.subjects ?? {}).filter((s) => s.split('.')[3] === name);
    };
    // One job runs into plank's running timeout; one (48 h of its own) finishes first.
    await store.create(job('slow-1', 0, { job: 'slow' }));
    await store.create(
      job('quick-1', 0, { job: 'quick', decoration_config: { pod_running_timeout: '48h' } }),
    );
    await expect.poll(() => deadlinesOf('quick-1'), poll).toHaveLength(1); // its 48 h deadline
    await expect.poll(() => stateOf('slow-1'), poll).toBe('aborted');
    expect((await store.get('slow-1'))?.status).toMatchObject({
      description: 'Pod running timeout.',
      completionTime: expect.any(String),
    });
    expect(runner.calls).toContain('stop slow-1');
    runner.finish('quick-1', 0);
    await expect.poll(() => stateOf('quick-1'), poll).toBe('success');
    await expect.poll(() => deadlinesOf('quick-1'), poll).toEqual([]);
    await expect.poll(() => deadlinesOf('slow-1'), poll).toEqual([]);
  });
});
