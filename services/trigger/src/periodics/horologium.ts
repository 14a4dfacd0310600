// horologium inside trigger: ONE bus timer (`prow.timers.horologium`, period
// `horologium.tick_interval`) whose tick creates the periodic ProwJobs that are due. The timer
// fires once per period across all trigger replicas and survives restarts; the last tick and the
// cron entries persist in KV; each periodic gets at most one run per tick, so an outage never
// fires a backlog. Run names derive from (periodic, slot, previous run), so a retried tick or a
// racing replica creates nothing twice.
import { runTimer, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import type { LoadedConfig } from '@jetprow/config';
import { newProwJob, periodicSpec, prowJobName } from '@jetprow/core';
import { Labels, type ProwJob } from '@jetprow/schemas';
import type { JobStore } from '@jetprow/store';
import { createOnce } from '../create-once.js';
import { cronTick } from './cron-tick.js';
import { decideRuns, latestRuns, type PeriodicRun } from './decide.js';
import type { HorologiumStateStore } from './state-store.js';

export const HOROLOGIUM_TIMER = 'horologium';

/** The deterministic name of a periodic run. */
export function periodicRunName(run: PeriodicRun): string {
  return prowJobName(`horologium/${run.slot}`, run.periodic.name, run.previous ?? '');
}

export function periodicProwJob(run: PeriodicRun, cfg: LoadedConfig, now: Date): ProwJob {
  const p = run.periodic;
  return newProwJob(periodicSpec(p), {
    name: periodicRunName(run),
    now,
    namespace: cfg.prow.prowjob_namespace,
    labels: run.labels,
    annotations: { ...(p.annotations ?? {}) },
  });
}

export interface HorologiumDeps {
  store: JobStore;
  state: HorologiumStateStore;
  getConfig: () => LoadedConfig;
  log: Log;
  now?: () => Date;
}

/** One tick: horologium's sync. Returns the names of the runs created (or found created). */
export async function syncPeriodics(deps: HorologiumDeps): Promise<string[]> {
  const now = (deps.now ?? (() => new Date()))();
  const cfg = deps.getConfig();
  const state = await deps.state.load();
  const tick = cronTick(state, cfg.jobs.periodics, now);
  for (const e of tick.errors)
    deps.log.error({ job: e.name, err: e.error }, 'cannot schedule cron periodic');
  // Fresh: the previous tick may have run on another replica, and its runs must be seen.
  const jobs = await deps.store.list({ [Labels.type]: 'periodic' }, { fresh: true });
  const runs = decideRuns({
    periodics: cfg.jobs.periodics,
    latest: latestRuns(jobs),
    cronFired: tick.fired,
    now,
  });
  const created: string[] = [];
  for (const run of runs) {
    const pj = periodicProwJob(run, cfg, now);
    if (await createOnce(deps.store, pj)) {
      deps.log.info(
        { job: run.periodic.name, name: pj.metadata.name, reason: run.reason },
        'Triggering new run.',
      );
    }
    created.push(pj.metadata.name);
  }
  // Only after every run is stored: a failed tick is retried with the same window and slots.
  await deps.state.save({ last_tick: now.toISOString(), crons: tick.crons });
  return created;
}

/** Runs horologium on the bus timer; every replica may call this, one tick fires per period. */
export async function startHorologium(bus: Bus, deps: HorologiumDeps): Promise<RunningConsumer> {
  return runTimer(bus, {
    name: HOROLOGIUM_TIMER,
    periodMs: () => deps.getConfig().prow.horologium.tick_interval_ms,
    log: deps.log,
    now: deps.now ? () => deps.now!().getTime() : undefined,
    async fire() {
      const created = await syncPeriodics(deps);
      if (created.length > 0) deps.log.info({ prowjobs: created }, 'Synced periodic jobs');
    },
  });
}
