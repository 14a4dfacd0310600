// plank: ProwJobs from triggered to done. Wires the feeder (store changes → bus), the shard
// workers (bus → reconciler), the resync timer and the log page. Any number of replicas.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { ensureStreams, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import { snowflake, type BuildIdSource } from '@jetprow/core';
import type { JobRunner } from '@jetprow/runner';
import type { JobStore } from '@jetprow/store';
import { startFeeder, type Feeder } from './feeder.js';
import { logPageRoutes } from './log-page.js';
import { plankMetrics } from './metrics.js';
import { jobNudge } from './nudges.js';
import { publisher } from './publisher.js';
import { createReconciler } from './reconciler.js';
import { startResync } from './resync.js';
import { resolveSettings, type PlankSettings } from './settings.js';
import { startShardWorkers, type ShardWorkers } from './shards.js';

export interface PlankDeps {
  bus: Bus;
  store: JobStore;
  runner: JobRunner;
  log: Log;
  registry: Registry;
  getSettings: () => PlankSettings;
  /** The clock for status timestamps (Prow's injected clock). */
  now?: () => Date;
  /** Lease of a shard message before another replica gets it. Default 30 s. */
  ackWaitMs?: number;
  buildIds?: BuildIdSource;
}

export interface Plank {
  /** Stops taking work, finishes the reconciles in flight, returns. Builds keep running. */
  stop(): Promise<void>;
  ready(): boolean;
  /** Mounts `/view/:name` and `/logs/:name` (plank's health server). */
  routes(app: Hono): void;
}

export async function startPlank(deps: PlankDeps): Promise<Plank> {
  const { bus, store, runner, getSettings } = deps;
  const log = deps.log.child({ component: 'plank' });
  const now = deps.now ?? (() => new Date());
  const metrics = plankMetrics(deps.registry);
  const publish = publisher(bus, log);
  let stopped = false;
  let isReady = false;

  // One function for every watch, so re-watching a running build adds no listener.
  const nudge = (name: string): void => {
    if (stopped) return; // the next owner's resync takes over
    void publish(jobNudge(name, 'build-done'));
  };
  const reconciler = createReconciler({
    store,
    runner,
    getSettings,
    now,
    buildIds: deps.buildIds ?? snowflake(),
    nudge,
    log,
  });

  await ensureStreams(bus.jsm);
  let shards: ShardWorkers | undefined;
  let feeder: Feeder | undefined;
  let resync: RunningConsumer | undefined;
  const stopAll = async (): Promise<void> => {
    stopped = true;
    isReady = false;
    feeder?.stop();
    await Promise.all([shards?.stop(), resync?.stop()]);
  };
  try {
    shards = await startShardWorkers({
      bus,
      log,
      ackWaitMs: deps.ackWaitMs ?? 30_000,
      async reconcile(name) {
        const started = performance.now();
        try {
          const { outcome } = await reconciler.reconcile(name);
          metrics.reconciled(outcome, (performance.now() - started) / 1000);
        } catch (err) {
          metrics.reconcileFailed((performance.now() - started) / 1000);
          throw err;
        }
      },
    });
    feeder = await startFeeder({
      store,
      publish,
      log,
      instanceId: randomUUID(),
      observe: (c) => metrics.observeChange(c),
    });
    resync = await startResync({
      bus,
      store,
      publish,
      log,
      periodMs: () => resolveSettings(getSettings()).resyncPeriodMs,
    });
    resync.done.catch((err: unknown) => log.error({ err: String(err) }, 'resync timer ended'));
    await feeder.synced;
  } catch (err) {
    await stopAll();
    throw err;
  }
  isReady = true;
  log.info({}, 'plank started');

  return {
    stop: stopAll,
    ready: () => isReady && !bus.nc.isClosed(),
    routes: logPageRoutes({ store, runner }),
  };
}

export { createReconciler, BuildRunnerError } from './reconciler.js';
export type {
  Reconciler,
  ReconcilerDeps,
  ReconcileOutcome,
  ReconcileResult,
} from './reconciler.js';
export {
  resolveSettings,
  viewUrl,
  DEFAULT_MAX_REVIVALS,
  DEFAULT_RESYNC_PERIOD_MS,
} from './settings.js';
export type { PlankSettings, ResolvedPlankSettings } from './settings.js';
export { logPageRoutes } from './log-page.js';
export { RESYNC_TIMER } from './resync.js';
