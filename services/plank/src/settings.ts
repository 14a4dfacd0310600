// plank's settings, read through a getter on every use (hot reload is free). Every field has
// Prow's default.
import type { ProwJob } from '@jetprow/schemas';

export interface PlankSettings {
  /** Prow `plank.max_revivals`: re-creations of a lost build before the job errors. Default 3. */
  maxRevivals?: number;
  /** Period of the bus-wide resync (every incomplete job is looked at again). Default 30 s. */
  resyncPeriodMs?: number;
  /** `status.url` of a job. Default: `jobUrlBase` + `/view/<name>` (plank's own log page). */
  jobUrl?: (pj: ProwJob) => string;
  /** Where plank's log page is reachable from a browser. Default `http://localhost:8081`. */
  jobUrlBase?: string;
}

export interface ResolvedPlankSettings {
  maxRevivals: number;
  resyncPeriodMs: number;
  jobUrl: (pj: ProwJob) => string;
}

export const DEFAULT_MAX_REVIVALS = 3;
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
    resyncPeriodMs: s.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS,
    jobUrl: s.jobUrl ?? ((pj) => viewUrl(base, pj)),
  };
}
