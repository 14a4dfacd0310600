// plank's own knobs: what plank needs that Prow's config.yaml does not say, each defaulted here
// and nowhere else. What config.yaml says (`plank.pod_*_timeout_ms`, `max_revivals`,
// `max_concurrency`, `job_queue_capacities`, `job_url_template`) comes defaulted and parsed from
// @jetprow/config and is read through the config getter on every use, so a reload is free.
import type { PlankConfig } from '@jetprow/config';
import type { ProwJob } from '@jetprow/schemas';

/** The part of the loaded config plank reads (Prow's config.Getter; a LoadedConfig is one). */
export interface PlankConfigView {
  prow: { plank: PlankConfig };
}

export interface PlankSettings {
  /** A job held back by a concurrency limit is looked at again after this. Prow: 10 s. */
  concurrencyRecheckMs?: number;
  /** A job whose admission lock is busy is looked at again after this. Prow: 1 s. */
  lockRetryMs?: number;
  /** A job whose replaced build is still going away (a Pod terminating): next look after this. */
  removalRecheckMs?: number;
  /** Period of the bus-wide resync (every incomplete job is looked at again). Default 30 s. */
  resyncPeriodMs?: number;
  /**
   * `status.url` of a job when config.yaml sets no `plank.job_url_template`. Default: `jobUrlBase`
   * + `/view/<name>` (plank's own log page).
   */
  jobUrl?: (pj: ProwJob) => string;
  /** Where plank's log page is reachable from a browser. Default `http://localhost:8081`. */
  jobUrlBase?: string;
}

export interface ResolvedPlankSettings {
  concurrencyRecheckMs: number;
  lockRetryMs: number;
  removalRecheckMs: number;
  resyncPeriodMs: number;
  jobUrl: (pj: ProwJob) => string;
}

export const DEFAULT_CONCURRENCY_RECHECK_MS = 10_000;
export const DEFAULT_LOCK_RETRY_MS = 1000;
export const DEFAULT_REMOVAL_RECHECK_MS = 2000;
export const DEFAULT_RESYNC_PERIOD_MS = 30_000;
export const DEFAULT_JOB_URL_BASE = 'http://localhost:8081';

/** The URL of plank's page for a job: `<base>/view/<name>`. */
export function viewUrl(base: string, pj: ProwJob): string {
  return `${base.replace(/\/+$/, '')}/view/${encodeURIComponent(pj.metadata.name)}`;
}

export function resolveSettings(s: PlankSettings = {}): ResolvedPlankSettings {
  const base = s.jobUrlBase ?? DEFAULT_JOB_URL_BASE;
  return {
    concurrencyRecheckMs: s.concurrencyRecheckMs ?? DEFAULT_CONCURRENCY_RECHECK_MS,
    lockRetryMs: s.lockRetryMs ?? DEFAULT_LOCK_RETRY_MS,
    removalRecheckMs: s.removalRecheckMs ?? DEFAULT_REMOVAL_RECHECK_MS,
    resyncPeriodMs: s.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS,
    jobUrl: s.jobUrl ?? ((pj) => viewUrl(base, pj)),
  };
}
