// The reporter service: the durable `reporter` consumer on PROW_REPORTS. A message only names a
// job; the handler reads the job from the JobStore and reconciles its GitHub status.
import type { Registry } from 'prom-client';
import { runConsumer, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import { Streams, Subjects } from '@jetprow/core';
import { decoder, ReportNudge } from '@jetprow/schemas';
import type { JobStore } from '@jetprow/store';
import type { GitHubWriter } from './github-writer.js';
import { keyedLock } from './keyed-lock.js';
import { reporterMetrics } from './metrics.js';
import { reconcileReport, type ReconcileDeps } from './reconcile-report.js';
import { reportLatencySeconds } from './report-latency.js';
import type { ReporterSettings } from './settings.js';

export const REPORTER_DURABLE = 'reporter';
const decodeNudge = decoder('report nudge', ReportNudge);

export interface ReporterDeps {
  bus: Bus;
  store: JobStore;
  writer: GitHubWriter;
  log: Log;
  registry: Registry;
  getSettings: () => ReporterSettings;
  now?: () => number;
  /** Messages handled at once by this process (default 4). */
  concurrency?: number;
}

export interface Reporter {
  /** Stops taking messages and waits for the ones in flight. */
  stop(): Promise<void>;
  ready(): boolean;
}

/** Starts consuming; PROW_REPORTS must exist (ensureStreams). */
export async function startReporter(deps: ReporterDeps): Promise<Reporter> {
  const now = deps.now ?? Date.now;
  const log = deps.log.child({ component: 'reporter' });
  const metrics = reporterMetrics(deps.registry);
  const reconcileDeps: ReconcileDeps = {
    store: deps.store,
    writer: deps.writer,
    getSettings: deps.getSettings,
    log,
    now,
    onWrite(outcome, pj) {
      metrics.writes.inc({ kind: 'status', outcome });
      if (outcome !== 'success') return;
      const seconds = reportLatencySeconds(pj, now());
      if (seconds !== undefined) metrics.latency.observe({ state: pj.status.state ?? '' }, seconds);
    },
  };

  // One job at a time in this process: a nudge replacing one in flight waits, then finds the
  // state reported.
  const perJob = keyedLock();
  let running = true;
  const consumer: RunningConsumer = await runConsumer(deps.bus, {
    stream: Streams.reports,
    durable: REPORTER_DURABLE,
    filterSubject: Subjects.reports,
    concurrency: deps.concurrency ?? 4,
    decode: decodeNudge,
    log,
    async handle(nudge) {
      const result = await perJob.run(nudge.name, () => reconcileReport(reconcileDeps, nudge.name));
      log.debug({ prowjob: nudge.name, nudged: nudge.state, result }, 'report reconciled');
    },
  });
  consumer.done.then(
    () => {
      running = false;
    },
    (err: unknown) => {
      running = false;
      log.error({ err: String(err) }, 'report consumer ended');
    },
  );

  return {
    ready: () => running,
    async stop() {
      running = false;
      await consumer.stop();
    },
  };
}
