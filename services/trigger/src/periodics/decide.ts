// horologium's sync, pure (kubernetes-sigs/prow:cmd/horologium/main.go `sync`,
// `shouldTriggerFailedRun`): given the periodics, the newest run of each, which crons fired since
// the last tick and the time, which runs to create — each with a deterministic slot.
import type { Periodic } from '@jetprow/config';
import type { ProwJob } from '@jetprow/schemas';
import { isComplete } from '@jetprow/schemas';

/** Prow's kube.ReRunLabel: the retry attempt of a failed periodic. */
export const RERUN_LABEL = 'prow.k8s.io/re-run';
/** horologium's maxRetries: retry.attempts is capped at this. */
export const MAX_RETRIES = 10;

export interface PeriodicRun {
  periodic: Periodic;
  /** What makes this run unique: two decisions with the same slot are the same run. */
  slot: string;
  /** The run it follows (the newest run when decided), if any. */
  previous?: string;
  labels: Record<string, string>;
  reason: 'first-run' | 'interval' | 'minimum-interval' | 'cron' | 'retry';
}

/** pjutil.GetLatestProwJobs: the newest periodic run (by startTime) of each job name. */
export function latestRuns(jobs: readonly ProwJob[]): Map<string, ProwJob> {
  const latest = new Map<string, ProwJob>();
  for (const j of jobs) {
    if (j.spec.type !== 'periodic') continue;
    const cur = latest.get(j.spec.job);
    if (!cur || Date.parse(j.status.startTime) > Date.parse(cur.status.startTime))
      latest.set(j.spec.job, j);
  }
  return latest;
}

const ms = (iso: string | undefined): number => (iso ? Date.parse(iso) : 0);

/**
 * shouldTriggerFailedRun: a complete (or, with run_all, any) previous run is retried while
 * attempts remain and retry.interval has passed since it started; successes only with run_all.
 * Returns the attempt number, or undefined.
 */
export function retryAttempt(prev: ProwJob, p: Periodic, now: Date): number | undefined {
  const retry = p.retry;
  if (!retry) return undefined;
  if (!isComplete(prev) && !retry.run_all) return undefined;
  let runCount = 1;
  const label = prev.metadata.labels?.[RERUN_LABEL];
  if (label !== undefined) {
    if (!/^[+-]?\d+$/.test(label)) return undefined;
    runCount = Number(label) + 1;
  }
  if (runCount > Math.min(retry.attempts, MAX_RETRIES)) return undefined;
  if (now.getTime() - ms(prev.status.startTime) <= retry.interval_ms) return undefined;
  if (!retry.run_all && prev.status.state === 'success') return undefined;
  return runCount;
}

export interface DecideInput {
  periodics: readonly Periodic[];
  latest: ReadonlyMap<string, ProwJob>;
  /** Cron periodics whose cron fired since the last tick → the firing time they run for. */
  cronFired: ReadonlyMap<string, Date>;
  now: Date;
}

/** One tick of horologium: at most one run per periodic. */
export function decideRuns({ periodics, latest, cronFired, now }: DecideInput): PeriodicRun[] {
  const runs: PeriodicRun[] = [];
  for (const p of periodics) {
    const prev = latest.get(p.name);
    let shouldTrigger = false;
    let reason: PeriodicRun['reason'];
    let slot: string;
    if (!p.cron) {
      reason = p.minimum_interval ? 'minimum-interval' : 'interval';
      slot = reason;
      if (prev && isComplete(prev)) {
        const ref = p.minimum_interval ? ms(prev.status.completionTime) : ms(prev.status.startTime);
        const wait = p.minimum_interval ? p.minimum_interval_ms : p.interval_ms;
        shouldTrigger = now.getTime() - ref > wait;
      }
    } else {
      const fired = cronFired.get(p.name);
      if (!fired) continue; // the cron did not fire since the last tick
      reason = 'cron';
      slot = `cron@${fired.toISOString()}`;
      // A firing while the previous run is unfinished is dropped, not queued.
      shouldTrigger = prev !== undefined && isComplete(prev);
    }
    const labels = { ...(p.labels ?? {}) };
    if (!prev) {
      // No run yet: interval periodics start now; a cron one runs for the firing it has.
      if (!p.cron) [slot, reason] = ['first-run', 'first-run'];
      runs.push({ periodic: p, slot, labels, reason });
      continue;
    }
    if (shouldTrigger) {
      runs.push({ periodic: p, slot, previous: prev.metadata.name, labels, reason });
      continue;
    }
    const attempt = retryAttempt(prev, p, now);
    if (attempt !== undefined) {
      labels[RERUN_LABEL] = String(attempt);
      runs.push({
        periodic: p,
        slot: `retry-${attempt}`,
        previous: prev.metadata.name,
        labels,
        reason: 'retry',
      });
    }
  }
  return runs;
}
