// What one pass does with a build (Prow's cmd/sinker clean(), pod half). Pure.
//   - "aged": the build started longer ago than max_pod_age;
//   - "ttled": its ProwJob completed longer ago than terminated_pod_ttl;
//   both only when the ProwJob is complete (deleting a running job's build would make plank
//   start it again);
//   - "orphaned": the build is older than 30 s and its ProwJob is gone. The listing may be stale,
//   so this only asks for a fresh read; the caller deletes when that read finds nothing.
import type { SinkerConfig } from '@jetprow/config';
import { isComplete, type ProwJob } from '@jetprow/schemas';
import type { BuildInfo } from '@jetprow/runner';
import { olderThan } from './age.js';
import { ORPHAN_GRACE_MS } from './settings.js';

export interface BuildDecision {
  /** Delete for this reason (unless the orphan check wins). */
  reason?: 'aged' | 'ttled';
  /** Read the ProwJob afresh: when it is absent, delete the build as "orphaned". */
  checkOrphan: boolean;
}

type BuildAges = Pick<SinkerConfig, 'max_pod_age_ms' | 'terminated_pod_ttl_ms'>;

/**
 * `job` is the build's ProwJob as listed at the start of the pass (undefined when not listed);
 * `jobGone` is true when it was not listed or this pass deleted it.
 */
export function planBuild(
  build: BuildInfo,
  job: ProwJob | undefined,
  jobGone: boolean,
  sinker: BuildAges,
  now: number,
): BuildDecision {
  const checkOrphan = jobGone && olderThan(build.startedAt, ORPHAN_GRACE_MS, now);
  if (!job || !isComplete(job)) return { checkOrphan };
  if (olderThan(build.startedAt, sinker.max_pod_age_ms, now)) {
    return { reason: 'aged', checkOrphan };
  }
  if (olderThan(job.status.completionTime, sinker.terminated_pod_ttl_ms, now)) {
    return { reason: 'ttled', checkOrphan };
  }
  return { checkOrphan };
}
