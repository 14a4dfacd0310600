// The ProwJob status changes plank makes, as pure functions (Prow's pkg/plank/reconciler.go).
// Each mutator re-checks the state it expects, because it runs inside a compare-and-swap retry on
// a fresh copy of the job: when someone else changed the job meanwhile (trigger aborted it, another
// worker finished it), it declines (returns false) instead of overwriting.
import { isComplete, type ProwJob, type ProwJobState } from '@jetprow/schemas';
import type { BuildStatus } from '@jetprow/runner';

export const Descriptions = {
  triggered: 'Job triggered.',
  succeeded: 'Job succeeded.',
  failed: 'Job failed.',
} as const;

/** What syncPending does with what the runner reports. */
export type PendingDecision =
  | { kind: 'wait' }
  | { kind: 'complete'; state: ProwJobState; description: string }
  | { kind: 'revive' };

export function pendingDecision(
  pj: ProwJob,
  build: BuildStatus,
  maxRevivals: number,
): PendingDecision {
  switch (build.phase) {
    case 'pending':
    case 'running':
    case 'unknown': // the full Pod lifecycle (node lost, eviction, timeouts) belongs to the Kubernetes runner
      return { kind: 'wait' };
    case 'succeeded':
      return { kind: 'complete', state: 'success', description: Descriptions.succeeded };
    case 'failed':
      return { kind: 'complete', state: 'failure', description: Descriptions.failed };
    case 'missing': {
      const revivals = pj.status.pod_revival_count ?? 0;
      if (revivals >= maxRevivals) {
        const description = `Job pod reached max revivals (${revivals}) after being stopped unexpectedly`;
        return { kind: 'complete', state: 'error', description };
      }
      return { kind: 'revive' };
    }
  }
}

export function podCanNotBeCreated(err: Error): string {
  return `Pod can not be created: ${err.message}`;
}

const isIn = (pj: ProwJob, state: ProwJobState): boolean =>
  pj.status.state === state && !isComplete(pj);

/** syncTriggered's update: the build runs, the job is pending. */
export function toPending(
  pj: ProwJob,
  buildId: string,
  now: Date,
  jobUrl: (pj: ProwJob) => string,
): boolean {
  if (!isIn(pj, 'triggered')) return false;
  pj.status.build_id = buildId; // before the URL: a URL template may use it (Prow does the same)
  pj.status.pendingTime = now.toISOString();
  pj.status.state = 'pending';
  pj.status.pod_name = pj.metadata.name;
  pj.status.description = Descriptions.triggered;
  pj.status.url = jobUrl(pj);
  return true;
}

/** Ends a triggered or pending job (success, failure, error). */
export function toComplete(
  pj: ProwJob,
  from: ProwJobState,
  state: ProwJobState,
  description: string,
  now: Date,
): boolean {
  if (!isIn(pj, from)) return false;
  pj.status.state = state;
  pj.status.description = description;
  pj.status.completionTime = now.toISOString();
  return true;
}

/**
 * A pending job's build was lost: count a revival and record the new build id before the new
 * build starts (a crash in between costs a revival, never exceeds the limit). Declines when the
 * job moved on from the build that was found missing.
 */
export function toRevived(
  pj: ProwJob,
  lostBuildId: string | undefined,
  buildId: string,
  jobUrl: (pj: ProwJob) => string,
): boolean {
  if (!isIn(pj, 'pending') || pj.status.build_id !== lostBuildId) return false;
  pj.status.pod_revival_count = (pj.status.pod_revival_count ?? 0) + 1;
  pj.status.build_id = buildId;
  pj.status.pod_name = pj.metadata.name;
  pj.status.url = jobUrl(pj);
  return true;
}

/** The running build is not the one the status names (a crash right after a revival): fix it. */
export function toAdoptedBuild(
  pj: ProwJob,
  buildId: string,
  jobUrl: (pj: ProwJob) => string,
): boolean {
  if (!isIn(pj, 'pending') || pj.status.build_id === buildId) return false;
  pj.status.build_id = buildId;
  pj.status.url = jobUrl(pj);
  return true;
}

/** syncAborted's update: the build is stopped; the job completes, staying `aborted`. */
export function toAbortedComplete(pj: ProwJob, now: Date): boolean {
  if (!isIn(pj, 'aborted')) return false;
  pj.status.completionTime = now.toISOString();
  return true;
}
