// The sinker service on a real nats-server: the pass runs on a bus timer shared by replicas,
// survives a full restart of the service, and writes Prow's metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { connectBus, ensureStreams, silentLog, type Bus } from '@jetprow/bus';
import { KvJobStore } from '@jetprow/store';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { startSinker, type Sinker } from './sinker.js';
import type { SinkerConfigView } from './settings.js';
import type { CleanSummary } from './summary.js';
import { FakeRunner } from '../testing/fake-runner.js';
import { H, M, build, config, prowJob, withResyncPeriod } from '../testing/jobs.js';

let nats: NatsHarness;
const buses: Bus[] = [];

beforeAll(async () => {
  nats = await startNats();
  const admin = await connectBus(nats.url, 'sinker-test-admin');
  buses.push(admin);
  await ensureStreams(admin.jsm);
});
afterAll(async () => {
  for (const b of buses) await b.close();
  await nats.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One sinker replica: its own connection, store handle, runner and registry. */
async function replica(
  id: string,
  getConfig: () => SinkerConfigView,
  onPass: (id: string, s: CleanSummary) => void,
  opts: { timer?: boolean; registry?: Registry; runner?: FakeRunner; now?: () => number } = {},
): Promise<Sinker> {
  const bus = await connectBus(nats.url, `sinker-${id}`);
  buses.push(bus);
  return startSinker({
    bus,
    store: await KvJobStore.open(bus.js),
    runner: opts.runner ?? new FakeRunner(),
    log: silentLog,
    registry: opts.registry ?? new Registry(),
    getConfig,
    onPass: (s) => onPass(id, s),
    ...(opts.timer === undefined ? {} : { timer: opts.timer }),
    ...(opts.now ? { now: opts.now } : {}),
  });
}

describe('startSinker: the bus timer', () => {
  it('fires once per period across three replicas, and again after a full restart', async () => {
    const periodMs = 300;
    const fast = (): SinkerConfigView => withResyncPeriod(periodMs);
    const passes: string[] = [];
    let agedDeletes = 0;
    const onPass = (id: string, s: CleanSummary) => {
      passes.push(id);
      agedDeletes += s.prowJobsDeleted.aged;
    };
    // Real clock here: one job old enough to be cleaned, exactly once.
    const store = await KvJobStore.open(buses[0]!.js);
    const old = { name: 'old-done', startedAgo: 49 * H, completedAgo: 48 * H };
    await store.create(prowJob(old, Date.now()));

    const started = Date.now();
    const three = await Promise.all(['a', 'b', 'c'].map((id) => replica(id, fast, onPass)));
    expect(three.every((s) => s.ready())).toBe(true);
    await sleep(2000);
    await Promise.all(three.map((s) => s.stop()));
    const elapsed = Date.now() - started;
    expect(three.some((s) => s.ready())).toBe(false);

    // About elapsed/period passes in total (the first fires at once), never one per replica.
    const expected = elapsed / periodMs;
    expect(passes.length).toBeGreaterThanOrEqual(2);
    expect(passes.length).toBeLessThanOrEqual(Math.ceil(1.5 * expected) + 1);
    expect(passes.length).toBeLessThan(3 * Math.floor(expected));
    expect(agedDeletes).toBe(1);
    expect(await store.get('old-done')).toBeUndefined();

    // Every replica is gone; a new one picks the timer up and keeps firing. Usually within a
    // period; but when the tick was sitting in a stopped replica's pull buffer, runConsumer's
    // stop() leaves it un-nak'ed and JetStream redelivers it only after the timer's ack_wait
    // (60 s), hence the long poll.
    const before = passes.length;
    const fresh = await replica('d', fast, onPass);
    await expect
      .poll(() => passes.slice(before), { timeout: 90_000, interval: 100 })
      .toEqual(expect.arrayContaining(['d', 'd', 'd']));
    await fresh.stop();
  }, 150_000);

  it('reads the period through the getter on every tick (hot reload)', async () => {
    // Like Prow's loop (`time.Sleep(config().Sinker.ResyncPeriod)`), a new period applies from
    // the next tick on: here a short period, then a long one that stops the passes.
    let periodMs = 200;
    const get = (): SinkerConfigView => withResyncPeriod(periodMs);
    const passes: string[] = [];
    const s = await replica('hot', get, (id) => passes.push(id));
    // (Up to the timer's 60 s ack_wait when the previous test's replica held the tick at stop.)
    await expect.poll(() => passes.length, { timeout: 90_000, interval: 100 }).toBeGreaterThan(2);
    periodMs = 60 * M;
    await sleep(1000); // the tick already armed with the short period may still fire once
    const held = passes.length;
    await sleep(1500);
    expect(passes.length).toBe(held);
    await s.stop();
  }, 150_000);
});

describe('startSinker: runOnce and metrics', () => {
  it("runs one pass on demand and sets Prow's sinker metrics", async () => {
    const registry = new Registry();
    const runner = new FakeRunner();
    const now = Date.now();
    const store = await KvJobStore.open(buses[0]!.js);
    await store.create(prowJob({ name: 'm-old', startedAgo: 49 * H, completedAgo: 48 * H }, now));
    await store.create(prowJob({ name: 'm-young', startedAgo: 1 * H, completedAgo: 50 * M }, now));
    runner.add(build({ name: 'm-young', startedAgo: 1 * H }, now));
    runner.add(build({ name: 'm-ghost', startedAgo: 1 * H }, now));

    const s = await replica(
      'once',
      () => config,
      () => {},
      {
        timer: false,
        registry,
        runner,
        now: () => now,
      },
    );
    const summary = await s.runOnce();
    await s.stop();

    expect(summary).toMatchObject({
      prowJobsDeleted: { aged: 1, 'aged-periodic': 0 },
      buildsDeleted: { aged: 0, ttled: 1, orphaned: 1 },
      errors: 0,
    });
    const value = async (name: string, reason?: string): Promise<number | undefined> => {
      const m = await registry.getSingleMetric(name)?.get();
      return m?.values.find((v) => reason === undefined || v.labels.reason === reason)?.value;
    };
    expect(await value('sinker_prow_jobs_existing')).toBe(summary.prowJobsExisting);
    expect(await value('sinker_pods_existing')).toBe(2);
    expect(await value('sinker_prow_jobs_cleaned', 'aged')).toBe(1);
    expect(await value('sinker_prow_jobs_cleaned', 'aged-periodic')).toBe(0);
    expect(await value('sinker_pods_removed', 'ttled')).toBe(1);
    expect(await value('sinker_pods_removed', 'orphaned')).toBe(1);
    expect(await value('sinker_pods_removed', 'aged')).toBe(0);
    expect(await value('sinker_pod_removal_errors', 'orphaned')).toBe(0);
    expect(await value('sinker_prow_jobs_cleaning_errors', 'aged')).toBe(0);
    expect(await value('sinker_loop_duration_seconds')).toBeGreaterThan(0);
  });
});
