// plank: ProwJobs from triggered to done. Wires the feeder (store changes → bus), the shard
// workers (bus → reconciler), the deadlines (a reconcile's `requeueAt` → a delayed message on
// PROW_TIMERS → a nudge when due), the admission locks, the resync timer and the log page.
// Any number of replicas.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import {
  DEFAULT_ACK_WAIT_MS,
  ensureStreams,
  type Bus,
  type Log,
  type RunningConsumer,
} from '@jetprow/bus';
import { snowflake, type BuildIdSource } from '@jetprow/core';
import type { JobRunner } from '@jetprow/runner';
import type { JobStore } from '@jetprow/store';
import { openAdmissionLock, type AdmissionLock } from './admission-lock.js';
import { startDeadlines, type Deadlines } from './deadlines.js';
import { startFeeder, type Feeder } from './feeder.js';
import { logPageRoutes } from './log-page.js';
import { plankMetrics } from './metrics.js';
import { jobNudge } from './nudges.js';
import { publisher } from './publisher.js';
import { createReconciler } from './reconciler.js';
import { startResync } from './resync.js';
import { resolveSettings, type PlankConfigView, type PlankSettings } from './settings.js';
import { startShardWorkers, type ShardWorkers } from './shards.js';

export interface PlankDeps {
  bus: Bus;
  store: JobStore;
  runner: JobRunner;
  log: Log;
  registry: Registry;
  /** The config getter (Prow's config.Getter): `prow.plank` is read on every use, never kept. */
  getConfig: () => PlankConfigView;
  /** plank's own knobs, not in config.yaml (recheck intervals, resync period, job URL). */
  settings?: PlankSettings;
  /** The clock for status timestamps (Prow's injected clock). */
  now?: () => Date;
  /** Lease of a shard or deadline message before another replica gets it (bus default, 10 s). */
  ackWaitMs?: number;
  buildIds?: BuildIdSource;
  /** Admission locks for concurrency limits. Default: the KV bucket `plank-locks` on the bus. */
  lock?: AdmissionLock;
}

export interface Plank {
  /** Stops taking work, finishes the reconciles in flight, returns. Builds keep running. */
  stop(): Promise<void>;
  ready(): boolean;
  /** Mounts `/view/:name` and `/logs/:name` (plank's health server). */
  routes(app: Hono): void;
}

export async function startPlank(deps: PlankDeps): Promise<Plank> {
  const { bus, store, runner, getConfig } = deps;
  const settings = resolveSettings(deps.settings);
  const log = deps.log.child({ component: 'plank' });
  const now = deps.now ?? (() => new Date());
  const metrics = plankMetrics(deps.registry);
  const publish = publisher(bus, log);
  let stopped = false;
  let isReady = false;
  const instanceId = randomUUID();

  // One function for every watch, so re-watching a running build adds no listener.
  const nudge = (name: string): void => {
    if (stopped) return; // the next owner's resync takes over
    void publish(jobNudge(name, 'build-done'));
  };
  await ensureStreams(bus.jsm, { replicas: bus.replicas, log: bus.log });
  const reconciler = createReconciler({
    store,
    runner,
    getConfig,
    settings,
    now,
    buildIds: deps.buildIds ?? snowflake(),
    nudge,
    log,
    lock: deps.lock ?? (await openAdmissionLock(bus)),
    holder: instanceId,
  });

  let shards: ShardWorkers | undefined;
  let feeder: Feeder | undefined;
  let resync: RunningConsumer | undefined;
  let deadlines: Deadlines | undefined;
  const stopAll = async (): Promise<void> => {
    stopped = true;
    isReady = false;
    feeder?.stop();
    await Promise.all([shards?.stop(), resync?.stop(), deadlines?.stop()]);
  };
  try {
    deadlines = await startDeadlines({
      bus,
      publish,
      log,
      now: () => now().getTime(),
      ackWaitMs: deps.ackWaitMs ?? DEFAULT_ACK_WAIT_MS,
    });
    deadlines.done.catch((err: unknown) => log.error({ err: String(err) }, 'deadlines ended'));
    const { followUp } = deadlines;
    shards = await startShardWorkers({
      bus,
      log,
      ackWaitMs: deps.ackWaitMs ?? DEFAULT_ACK_WAIT_MS,
      async reconcile(name) {
        const started = performance.now();
        try {
          const res = await reconciler.reconcile(name);
          await followUp(name, res);
          metrics.reconciled(res.outcome, (performance.now() - started) / 1000);
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
      instanceId,
      observe: (c) => metrics.observeChange(c),
    });
    resync = await startResync({
      bus,
      store,
      publish,
      log,
      periodMs: () => settings.resyncPeriodMs,
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

export { createReconciler, BuildRunnerError, FINAL_OUTCOMES } from './reconciler.js';
export type {
  Reconciler,
  ReconcilerDeps,
  ReconcileOutcome,
  ReconcileResult,
} from './reconciler.js';
export {
  resolveSettings,
  viewUrl,
  DEFAULT_CONCURRENCY_RECHECK_MS,
  DEFAULT_LOCK_RETRY_MS,
  DEFAULT_REMOVAL_RECHECK_MS,
  DEFAULT_RESYNC_PERIOD_MS,
  DEFAULT_JOB_URL_BASE,
} from './settings.js';
export type { PlankSettings, ResolvedPlankSettings, PlankConfigView } from './settings.js';
export { openAdmissionLock, localAdmissionLock, LOCK_BUCKET } from './admission-lock.js';
export { DEADLINE_QUEUE, DEADLINE_CONSUMER } from './deadlines.js';
export type { AdmissionLock, Lease } from './admission-lock.js';
export { logPageRoutes } from './log-page.js';
export { RESYNC_TIMER } from './resync.js';
