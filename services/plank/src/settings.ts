// plank's settings, read through a getter on every use (hot reload is free). Every field has
// Prow's default. `settingsFromPlankConfig` maps config.yaml's `plank:` section onto them.
import { parseDuration, type PlankConfig } from '@jetprow/config';
import type { ProwJob } from '@jetprow/schemas';

export interface PlankSettings {
  /** Prow `plank.max_revivals`: re-creations of a lost build before the job errors. Default 3. */
  maxRevivals?: number;
  /** Prow `plank.pod_pending_timeout`: started but not running. Default 10 m. */
  podPendingTimeoutMs?: number;
  /** Prow `plank.pod_unscheduled_timeout`: not started (no node) yet. Default 5 m. */
  podUnscheduledTimeoutMs?: number;
  /** Prow `plank.pod_running_timeout`: running; then the job is aborted. Default 48 h. */
  podRunningTimeoutMs?: number;
  /** Prow `plank.max_concurrency`: pending jobs at once, all jobs together. 0 = unlimited. */
  maxConcurrency?: number;
  /** Prow `plank.job_queue_capacities`: pending jobs per `job_queue_name` (< 0 unlimited). */
  jobQueueCapacities?: Record<string, number>;
  /** A job held back by a concurrency limit is looked at again after this. Prow: 10 s. */
  concurrencyRecheckMs?: number;
  /** A job whose admission lock is busy is looked at again after this. Prow: 1 s. */
  lockRetryMs?: number;
  /** A job whose replaced build is still going away (a Pod terminating): next look after this. */
  removalRecheckMs?: number;
  /** Period of the bus-wide resync (every incomplete job is looked at again). Default 30 s. */
  resyncPeriodMs?: number;
  /** `status.url` of a job. Default: `jobUrlBase` + `/view/<name>` (plank's own log page). */
  jobUrl?: (pj: ProwJob) => string;
  /** Where plank's log page is reachable from a browser. Default `http://localhost:8081`. */
  jobUrlBase?: string;
}

export interface ResolvedPlankSettings {
  maxRevivals: number;
  podPendingTimeoutMs: number;
  podUnscheduledTimeoutMs: number;
  podRunningTimeoutMs: number;
  maxConcurrency: number;
  jobQueueCapacities: Record<string, number>;
  concurrencyRecheckMs: number;
  lockRetryMs: number;
  removalRecheckMs: number;
  resyncPeriodMs: number;
  jobUrl: (pj: ProwJob) => string;
}

export const DEFAULT_MAX_REVIVALS = 3;
export const DEFAULT_POD_PENDING_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_POD_UNSCHEDULED_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_POD_RUNNING_TIMEOUT_MS = 48 * 3600_000;
export const DEFAULT_CONCURRENCY_RECHECK_MS = 10_000;
export const DEFAULT_LOCK_RETRY_MS = 1000;
export const DEFAULT_REMOVAL_RECHECK_MS = 2000;
export const DEFAULT_RESYNC_PERIOD_MS = 30_000;
export const DEFAULT_JOB_URL_BASE = 'http://localhost:8081';

/** The URL of plank's page for a job: `<base>/view/<name>`. */
export function viewUrl(base: string, pj: ProwJob): string {
  return `${base.replace(/\/+$/, '')}/view/${encodeURIComponent(pj.metadata.name)}`;
}

export function resolveSettings(s: PlankSettings): ResolvedPlankSettings {
  const base = s.jobUrlBase ?? DEFAULT_JOB_URL_BASE;
  return {
    maxRevivals: s.maxRevivals ?? DEFAULT_MAX_REVIVALS,
    podPendingTimeoutMs: s.podPendingTimeoutMs ?? DEFAULT_POD_PENDING_TIMEOUT_MS,
    podUnscheduledTimeoutMs: s.podUnscheduledTimeoutMs ?? DEFAULT_POD_UNSCHEDULED_TIMEOUT_MS,
    podRunningTimeoutMs: s.podRunningTimeoutMs ?? DEFAULT_POD_RUNNING_TIMEOUT_MS,
    maxConcurrency: s.maxConcurrency ?? 0,
    jobQueueCapacities: s.jobQueueCapacities ?? {},
    concurrencyRecheckMs: s.concurrencyRecheckMs ?? DEFAULT_CONCURRENCY_RECHECK_MS,
    lockRetryMs: s.lockRetryMs ?? DEFAULT_LOCK_RETRY_MS,
    removalRecheckMs: s.removalRecheckMs ?? DEFAULT_REMOVAL_RECHECK_MS,
    resyncPeriodMs: s.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS,
    jobUrl: s.jobUrl ?? ((pj) => viewUrl(base, pj)),
  };
}

/** The part of config.yaml's `plank:` these settings come from (loadConfig has validated it). */
export type PlankConfigFields = Pick<
  PlankConfig,
  | 'max_revivals'
  | 'pod_pending_timeout'
  | 'pod_unscheduled_timeout'
  | 'pod_running_timeout'
  | 'max_concurrency'
  | 'job_queue_capacities'
>;

/** config.yaml `plank:` → settings (durations are Go duration strings, already validated). */
export function settingsFromPlankConfig(plank: PlankConfigFields): PlankSettings {
  return {
    maxRevivals: plank.max_revivals,
    podPendingTimeoutMs: parseDuration(plank.pod_pending_timeout),
    podUnscheduledTimeoutMs: parseDuration(plank.pod_unscheduled_timeout),
    podRunningTimeoutMs: parseDuration(plank.pod_running_timeout),
    maxConcurrency: plank.max_concurrency,
    jobQueueCapacities: { ...plank.job_queue_capacities },
  };
}
