// What syncPending does with what the runner reports: Prow's syncPendingJob table
// (pkg/plank/reconciler.go; reference/prow.md §4.3) as a pure function of the job, the build's
// facts, the timeouts and the clock.
import type { BuildStatus } from '@jetprow/runner';
import type { ProwJob, ProwJobState } from '@jetprow/schemas';
import type { JobTimeouts } from './timeouts.js';

/** Prow's PodUnexpectedStopCause values (they appear in the max-revivals description). */
export type StopCause = 'unknown' | 'evicted' | 'oomkilled' | 'unreachable';

/**
 * The local runner's `reason` for a build whose process vanished without an exit code (a reboot,
 * the process group killed from outside): the build was stopped unexpectedly, like a Pod in phase
 * Unknown. A status value the runner defines, not error text.
 */
export const LOST_REASON = 'lost';

export const Descriptions = {
  triggered: 'Job triggered.',
  succeeded: 'Job succeeded.',
  failed: 'Job failed.',
  oomKilled: 'Job pod was OOM killed by the cluster.',
  evicted: 'Job pod was evicted by the cluster.',
  notAllSucceeded: "Pod was in succeeded phase but some containers didn't finish",
  schedulingTimeout: 'Pod scheduling timeout.',
  pendingTimeout: 'Pod pending timeout.',
  runningTimeout: 'Pod running timeout.',
  deletedUnexpectedly: 'Pod got deleted unexpectedly',
} as const;

export function maxRevivalsDescription(revivals: number, cause: StopCause): string {
  return `Job pod reached max revivals (${revivals}) after being stopped unexpectedly (${cause})`;
}

export type PendingDecision =
  /** Nothing to do now; look again at `requeueAt` (a timeout's deadline) or when the build ends. */
  | { kind: 'wait'; requeueAt?: number }
  /** End the job; `stopBuild`: stop (Pods: delete) the build first. */
  | { kind: 'complete'; state: ProwJobState; description: string; stopBuild: boolean }
  /** No build: start a new one with a new build id (Prow: "Pod is missing, starting a new pod"). */
  | { kind: 'start' }
  /** Stopped unexpectedly, revivals left: count one, remove the build, start a new one. */
  | { kind: 'revive'; cause: StopCause }
  /** A replaced build of this job is still there: remove it (unless it is going) and wait. */
  | { kind: 'clear'; remove: boolean };

/** Prow's getPodUnexpectedStopCause, over the runner's facts. */
export function unexpectedStopCause(build: BuildStatus): StopCause | undefined {
  if (build.disruption === 'Evicted') return 'evicted';
  if (build.disruption === 'NodeLost' && build.deleting) return 'unreachable';
  if (build.disruption === 'OOMKilled' && build.phase === 'running') return 'oomkilled';
  if (build.phase === 'unknown') return 'unknown';
  if (build.phase === 'missing' && build.reason === LOST_REASON) return 'unknown';
  return undefined;
}

export interface PendingContext {
  maxRevivals: number;
  timeouts: JobTimeouts;
  /** Epoch ms. */
  now: number;
}

const time = (iso: string | undefined): number | undefined => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

/**
 * The build is an earlier one than the job records (a revival replaced it). Revivals record the
 * new build id before removing the old build, so the old one is never counted twice.
 */
function isReplaced(pj: ProwJob, build: BuildStatus): boolean {
  const recorded = pj.status.build_id;
  return !!build.buildId && !!recorded && build.buildId !== recorded;
}

function complete(state: ProwJobState, description: string, stopBuild = false): PendingDecision {
  return { kind: 'complete', state, description, stopBuild };
}

function pendingPhase(pj: ProwJob, build: BuildStatus, ctx: PendingContext): PendingDecision {
  const { timeouts, now } = ctx;
  const started = time(build.startedAt);
  let requeueAt: number | undefined;
  if (started === undefined) {
    // Not started on a node yet: the unscheduled timeout runs from the build's creation.
    const since = time(build.createdAt) ?? time(pj.status.pendingTime);
    if (since !== undefined) {
      if (now - since >= timeouts.unscheduledMs)
        return complete('error', Descriptions.schedulingTimeout, true);
      requeueAt = since + timeouts.unscheduledMs;
    }
  } else {
    if (now - started >= timeouts.pendingMs)
      return complete('error', Descriptions.pendingTimeout, true);
    requeueAt = started + timeouts.pendingMs;
  }
  if (build.deleting) return complete('error', Descriptions.deletedUnexpectedly);
  return requeueAt === undefined ? { kind: 'wait' } : { kind: 'wait', requeueAt };
}

function runningPhase(build: BuildStatus, ctx: PendingContext): PendingDecision {
  if (build.deleting) return complete('error', Descriptions.deletedUnexpectedly);
  const started = time(build.startedAt);
  if (started === undefined) return { kind: 'wait' };
  const deadline = started + ctx.timeouts.runningMs;
  if (ctx.now >= deadline) return complete('aborted', Descriptions.runningTimeout, true);
  return { kind: 'wait', requeueAt: deadline };
}

export function pendingDecision(
  pj: ProwJob,
  build: BuildStatus,
  ctx: PendingContext,
): PendingDecision {
  const cause = unexpectedStopCause(build);
  if (build.phase === 'missing' && !cause) return { kind: 'start' };
  const replaced = isReplaced(pj, build);
  if (cause) {
    if (replaced) return { kind: 'clear', remove: !build.deleting };
    const revivals = pj.status.pod_revival_count ?? 0;
    if (cause === 'oomkilled') return complete('error', Descriptions.oomKilled);
    if (cause === 'evicted' && pj.spec.error_on_eviction)
      return complete('error', Descriptions.evicted);
    if (revivals >= ctx.maxRevivals)
      return complete('error', maxRevivalsDescription(revivals, cause));
    return { kind: 'revive', cause };
  }
  if (replaced && build.deleting) return { kind: 'clear', remove: false };
  switch (build.phase) {
    case 'succeeded':
      return build.allContainersSucceeded === false
        ? complete('error', Descriptions.notAllSucceeded)
        : complete('success', Descriptions.succeeded);
    case 'failed':
      return complete('failure', Descriptions.failed);
    case 'pending':
      return pendingPhase(pj, build, ctx);
    case 'running':
      return runningPhase(build, ctx);
    default:
      // 'unknown' and a lost 'missing' build have a stop cause; nothing else reaches here.
      return build.deleting
        ? complete('error', Descriptions.deletedUnexpectedly)
        : { kind: 'wait' };
  }
}
