// The ProwJob status changes plank makes, as pure functions (Prow's pkg/plank/reconciler.go and
// pkg/pjutil/abort.go). Each mutator re-checks the state it expects, because it runs inside a
// compare-and-swap retry on a fresh copy of the job: when someone else changed the job meanwhile
// (trigger aborted it, another worker finished it), it declines (returns false) instead of
// overwriting.
import { GitHubReporterName, isComplete, type ProwJob, type ProwJobState } from '@jetprow/schemas';
import { Descriptions } from './pending-decision.js';

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

/** Ends a triggered or pending job (success, failure, error, aborted by a timeout). */
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
 * A pending job gets a new build: its build was missing, or (`countRevival`) it stopped
 * unexpectedly and is revived. The new build id (and the revival) is recorded before the new build
 * starts and before the old one is removed, so a crash in between costs a build id, never counts a
 * revival twice. Declines when the job moved on from the build that was looked at.
 */
export function toNewBuild(
  pj: ProwJob,
  seenBuildId: string | undefined,
  buildId: string,
  jobUrl: (pj: ProwJob) => string,
  countRevival: boolean,
): boolean {
  if (!isIn(pj, 'pending') || pj.status.build_id !== seenBuildId) return false;
  if (countRevival) pj.status.pod_revival_count = (pj.status.pod_revival_count ?? 0) + 1;
  pj.status.build_id = buildId;
  pj.status.pod_name = pj.metadata.name;
  pj.status.url = jobUrl(pj);
  return true;
}

/** The running build is not the one the status names (a crash around a new build): fix it. */
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

/**
 * Prow's TerminateOlderJobs: an older run of a presubmit is aborted, and the GitHub reporter's
 * last reported state is set to `aborted` up front so it does not post an aborted status over the
 * new run's context. The agent then stops the build and completes the job (syncAborted).
 */
export function toDupeAborted(pj: ProwJob): boolean {
  if (isComplete(pj) || (pj.status.state !== 'triggered' && pj.status.state !== 'pending')) {
    return false;
  }
  pj.status.state = 'aborted';
  pj.status.prev_report_states = {
    ...pj.status.prev_report_states,
    [GitHubReporterName]: 'aborted',
  };
  return true;
}
