// Which ProwJobs one pass deletes (Prow's cmd/sinker clean(), first half). Pure.
//   - incomplete jobs are never deleted;
//   - completed non-periodics go once their startTime is older than max_prowjob_age ("aged");
//   - for each periodic still in config the newest job (by startTime, complete or not) is kept
//     forever, because horologium decides the next run from it; every other completed periodic
//     follows max_prowjob_age ("aged-periodic").
import { isComplete, type ProwJob } from '@jetprow/schemas';
import { olderThan, timeMs } from './age.js';
import type { ProwJobCleanReason } from './reasons.js';
import type { SinkerConfigView } from './settings.js';

export interface ProwJobDeletion {
  job: ProwJob;
  reason: ProwJobCleanReason;
}

/** Newest periodic ProwJob per job name (Prow's pjutil.GetLatestProwJobs); ties go to the name. */
export function latestPeriodics(jobs: readonly ProwJob[]): Map<string, ProwJob> {
  const latest = new Map<string, ProwJob>();
  for (const pj of jobs) {
    if (pj.spec.type !== 'periodic') continue;
    const cur = latest.get(pj.spec.job);
    const t = timeMs(pj.status.startTime);
    const curT = cur ? timeMs(cur.status.startTime) : -Infinity;
    if (!cur || t > curT || (t === curT && pj.metadata.name > cur.metadata.name)) {
      latest.set(pj.spec.job, pj);
    }
  }
  return latest;
}

export function planProwJobDeletions(
  jobs: readonly ProwJob[],
  config: SinkerConfigView,
  now: number,
): ProwJobDeletion[] {
  const maxAgeMs = config.prow.sinker.max_prowjob_age_ms;
  const periodicNames = new Set(config.jobs.periodics.map((p) => p.name));
  const latest = latestPeriodics(jobs);
  const out: ProwJobDeletion[] = [];
  for (const pj of jobs) {
    if (!isComplete(pj)) continue;
    const periodic = pj.spec.type === 'periodic';
    if (
      periodic &&
      periodicNames.has(pj.spec.job) &&
      latest.get(pj.spec.job)?.metadata.name === pj.metadata.name
    ) {
      continue;
    }
    if (!olderThan(pj.status.startTime, maxAgeMs, now)) continue;
    out.push({ job: pj, reason: periodic ? 'aged-periodic' : 'aged' });
  }
  return out;
}
