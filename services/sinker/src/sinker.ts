// The sinker service: garbage-collects old ProwJobs and their builds, one pass per
// `sinker.resync_period`. The period is a timer on the bus (PROW_TIMERS), not an in-process
// interval, so it fires once per period however many sinker replicas run (Prow needs leader
// election for that) and keeps its schedule across restarts.
// The caller must have run ensureStreams() on the bus (main.ts does, with its stream options).
import { runTimer, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import type { JobRunner } from '@jetprow/runner';
import type { JobStore } from '@jetprow/store';
import type { Registry } from 'prom-client';
import { clean } from './clean.js';
import { sinkerMetrics } from './metrics.js';
import type { SinkerConfigView } from './settings.js';
import type { CleanSummary } from './summary.js';

/** The bus timer's name: subject `prow.timers.sinker`, durable `timer-sinker`. */
export const SINKER_TIMER = 'sinker';

export interface SinkerDeps {
  bus: Bus;
  store: JobStore;
  runner: JobRunner;
  log: Log;
  registry: Registry;
  /** The config getter (Prow's config.Getter): read at every pass and tick, never kept. */
  getConfig: () => SinkerConfigView;
  /** The clock ages are measured against (ms since epoch). The bus timer runs on real time. */
  now?: () => number;
  /** false: start no timer, only runOnce() cleans (Prow's --run-once). Default true. */
  timer?: boolean;
  /** Called after every pass with its summary (logs and metrics are already written). */
  onPass?: (summary: CleanSummary) => void;
}

export interface Sinker {
  /** Stops the timer; a pass in progress ends after its current delete. */
  stop(): Promise<void>;
  ready(): boolean;
  /** One pass now, outside the timer (passes of this process never overlap). */
  runOnce(): Promise<CleanSummary>;
}

export async function startSinker(deps: SinkerDeps): Promise<Sinker> {
  const now = deps.now ?? Date.now;
  const log = deps.log.child({ component: 'sinker' });
  const metrics = sinkerMetrics(deps.registry);
  const abort = new AbortController();
  let stopped = false;
  let last: Promise<unknown> = Promise.resolve();

  const pass = async (): Promise<CleanSummary> => {
    const started = performance.now();
    const config = deps.getConfig();
    const summary = await clean(
      { store: deps.store, runner: deps.runner, log, config, signal: abort.signal },
      now(),
    );
    const seconds = (performance.now() - started) / 1000;
    metrics.record(summary, seconds);
    log.info({ ...summary, seconds }, 'Sinker reconciliation complete.');
    deps.onPass?.(summary);
    return summary;
  };
  const runOnce = (): Promise<CleanSummary> => {
    const p = last.then(pass);
    last = p.catch(() => {});
    return p;
  };

  let timer: RunningConsumer | undefined;
  if (deps.timer !== false) {
    timer = await runTimer(deps.bus, {
      name: SINKER_TIMER,
      periodMs: () => deps.getConfig().prow.sinker.resync_period_ms,
      log,
      async fire() {
        await runOnce();
      },
    });
  }

  return {
    runOnce,
    ready: () => !stopped && !deps.bus.nc.isClosed(),
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      await timer?.stop();
      await last;
    },
  };
}
