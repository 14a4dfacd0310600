// syncPending (Prow's syncPendingJob): carries out pendingDecision — wait (with the next timeout
// as a deadline on the bus), complete (stopping the build on a timeout), start a new build when it
// is missing, revive one that stopped unexpectedly, or wait for a replaced build to go.
import type { BuildStatus } from '@jetprow/runner';
import type { ProwJob } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import { pendingDecision } from './pending-decision.js';
import { jobTimeouts } from './timeouts.js';
import { podCanNotBeCreated, toAdoptedBuild, toComplete, toNewBuild } from './transitions.js';
import { requeueBucket, result, type ReconcileResult, type SyncContext } from './sync-context.js';

/**
 * A new build for a pending job: record the new build id (and the revival) first, remove the old
 * build, then start the new one; when the old one takes time to go (a Pod terminating), the next
 * sync starts it (Prow: "deleting & next sync loop will restart pod").
 */
async function newBuild(
  c: SyncContext,
  pj: ProwJob,
  old: BuildStatus,
  outcome: 'restarted' | 'revived',
): Promise<ReconcileResult> {
  const name = pj.metadata.name;
  const buildId = c.deps.buildIds.next();
  const seen = pj.status.build_id;
  const revive = outcome === 'revived';
  const recorded = await c.write(name, (j) => toNewBuild(j, seen, buildId, c.jobUrl, revive));
  if (!recorded) return result('superseded');
  const log = c.deps.log.child(jobFields(recorded));
  if (revive) {
    if (!old.deleting) await c.removeBuild(name);
    if ((await c.status(name)).phase !== 'missing') {
      log.info(
        { revivals: recorded.status.pod_revival_count },
        'Pod has stopped unexpectedly, deleting & next sync loop will restart pod',
      );
      return result(outcome, requeueBucket(c.nowMs(), c.settings.removalRecheckMs));
    }
  }
  log.info(
    { buildId, revivals: recorded.status.pod_revival_count },
    'Pod is missing, starting a new pod',
  );
  const startErr = await c.startBuild(recorded, buildId);
  if (startErr) {
    const desc = podCanNotBeCreated(startErr);
    await c.write(name, (j) => toComplete(j, 'pending', 'error', desc, c.deps.now()));
    log.warn({ err: startErr.message }, 'Unprocessable pod.');
    return result('start-error');
  }
  return result(outcome);
}

export async function syncPending(c: SyncContext, pj: ProwJob): Promise<ReconcileResult> {
  const name = pj.metadata.name;
  const { runner, nudge } = c.deps;
  const plank = c.config();
  const build = await c.status(name);
  const decision = pendingDecision(pj, build, {
    maxRevivals: plank.max_revivals,
    timeouts: jobTimeouts(pj, plank),
    now: c.nowMs(),
  });
  const log = c.deps.log.child(jobFields(pj));
  switch (decision.kind) {
    case 'wait': {
      runner.watch(name, nudge);
      if (build.buildId && build.buildId !== pj.status.build_id) {
        await c.write(name, (j) => toAdoptedBuild(j, build.buildId!, c.jobUrl));
      }
      return result('running', decision.requeueAt);
    }
    case 'complete': {
      const { state, description, stopBuild } = decision;
      if (stopBuild) await c.stopBuild(name); // Prow deletes the pod, then records the end
      const done = await c.write(name, (j) =>
        toComplete(j, 'pending', state, description, c.deps.now()),
      );
      if (!done) return result('superseded');
      log.info(
        { from: 'pending', to: state, description, exitCode: build.exitCode },
        'Transitioning states.',
      );
      return result('finished');
    }
    case 'start':
      return newBuild(c, pj, build, 'restarted');
    case 'revive':
      log.info({ cause: decision.cause }, 'Pod has stopped unexpectedly');
      return newBuild(c, pj, build, 'revived');
    case 'clear': {
      // Not watched: a stopped build counts as finished, its watch would fire at once, again and
      // again. A deadline looks until it is gone (Prow waits for the Pod's delete event).
      if (decision.remove) await c.removeBuild(name);
      return result('clearing', requeueBucket(c.nowMs(), c.settings.removalRecheckMs));
    }
  }
}
