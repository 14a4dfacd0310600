// What one sinker pass reads from config (Prow's `sinker:` block plus the periodic job names),
// in milliseconds. Read through a getter at the start of every pass, so config reloads apply.

export interface SinkerSettings {
  /** `sinker.resync_period`: the bus timer's period. */
  resyncPeriodMs: number;
  /** `sinker.max_prowjob_age`: completed ProwJobs whose startTime is older are deleted. */
  maxProwJobAgeMs: number;
  /** `sinker.max_pod_age`: builds whose start is older are deleted (job complete). */
  maxPodAgeMs: number;
  /** `sinker.terminated_pod_ttl`: builds of jobs completed longer ago are deleted. */
  terminatedPodTtlMs: number;
  /** Names of the periodics in the job config: their newest ProwJob is kept forever. */
  periodicNames: ReadonlySet<string>;
}

/**
 * ProwJob listings may lag behind a build's creation (Prow: "ProwJobs are cached and the cache
 * may lag a bit behind"), so a build younger than this is never treated as an orphan.
 */
export const ORPHAN_GRACE_MS = 30_000;
