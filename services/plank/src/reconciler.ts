// plank's reconcile, in Prow's shape (pkg/plank/reconciler.go): read the job, switch on its
// state into idempotent syncTriggered / syncPending / syncAborted. Level-triggered: a nudge only
// names the job; everything is decided from the job's current state and the build's. Every write
// is a compare-and-swap (updateWithRetry) whose mutator re-checks the state (transitions.ts).
import type { BuildIdSource } from '@jetprow/core';
import { envForProwJob } from '@jetprow/core';
import type { Log } from '@jetprow/bus';
import { BuildStartError, type JobRunner } from '@jetprow/runner';
import { isComplete, type ProwJob } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import { updateWithRetry, type JobStore } from '@jetprow/store';
import { resolveSettings, type PlankSettings } from './settings.js';
import {
  pendingDecision,
  podCanNotBeCreated,
  toAbortedComplete,
  toAdoptedBuild,
  toComplete,
  toPending,
  toRevived,
} from './transitions.js';

export type ReconcileOutcome =
  | 'absent' // no such job (deleted)
  | 'complete' // nothing left to do
  | 'ignored' // not plank's (another agent, scheduling)
  | 'started' // triggered → pending with a new build
  | 'adopted' // triggered → pending with the build that already existed
  | 'start-error' // the build can never start → error
  | 'running' // pending, build still running: watched
  | 'finished' // pending → success / failure / error
  | 'revived' // pending, build lost: started again
  | 'stopped' // aborted: build stopped, job completed
  | 'superseded'; // the job changed under us: the CAS declined, the next nudge looks again

export interface ReconcileResult {
  outcome: ReconcileOutcome;
}

export interface ReconcilerDeps {
  store: JobStore;
  runner: JobRunner;
  getSettings: () => PlankSettings;
  now: () => Date;
  buildIds: BuildIdSource;
  /** Asks for another reconcile of a job (a JobNudge). One function: runner.watch dedupes by it. */
  nudge: (name: string) => void;
  log: Log;
}

export interface Reconciler {
  reconcile(name: string): Promise<ReconcileResult>;
}

/** A retryable failure talking to the runner; the message is redelivered with back-off. */
export class BuildRunnerError extends Error {
  override readonly name = 'BuildRunnerError';
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const { store, runner, now, buildIds, nudge } = deps;
  const settings = () => resolveSettings(deps.getSettings());
  const write = (name: string, mutate: (pj: ProwJob) => boolean): Promise<ProwJob | undefined> =>
    updateWithRetry(store, name, mutate);
  const result = (outcome: ReconcileOutcome): ReconcileResult => ({ outcome });

  async function startBuild(pj: ProwJob, buildId: string): Promise<BuildStartError | undefined> {
    try {
      await runner.delete(pj.metadata.name); // leftovers of a lost build: never adopt those
      await runner.start(pj, buildId, envForProwJob(pj, buildId));
      return undefined;
    } catch (err) {
      if (err instanceof BuildStartError) return err;
      throw new BuildRunnerError(`start build ${pj.metadata.name}`, { cause: err });
    }
  }

  async function syncTriggered(pj: ProwJob): Promise<ReconcileResult> {
    const name = pj.metadata.name;
    const log = deps.log.child(jobFields(pj));
    const existing = await runner.status(name);
    let buildId: string;
    let outcome: ReconcileOutcome;
    if (existing.phase !== 'missing') {
      // A previous sync started it and then failed to record it: adopt, never start twice.
      buildId = existing.buildId ?? pj.status.build_id ?? buildIds.next();
      outcome = 'adopted';
    } else {
      buildId = buildIds.next();
      const startErr = await startBuild(pj, buildId);
      if (startErr) {
        const desc = podCanNotBeCreated(startErr);
        const done = await write(name, (j) => toComplete(j, 'triggered', 'error', desc, now()));
        log.warn({ err: startErr.message }, 'Unprocessable pod.');
        return result(done ? 'start-error' : 'superseded');
      }
      outcome = 'started';
    }
    const { jobUrl } = settings();
    const updated = await write(name, (j) => toPending(j, buildId, now(), jobUrl));
    if (!updated) return result('superseded'); // e.g. aborted meanwhile: the next sync stops it
    log.info({ from: 'triggered', to: 'pending', buildId }, 'Transitioning states.');
    return result(outcome);
  }

  async function syncPending(pj: ProwJob): Promise<ReconcileResult> {
    const name = pj.metadata.name;
    const log = deps.log.child(jobFields(pj));
    const { maxRevivals, jobUrl } = settings();
    const build = await runner.status(name);
    const decision = pendingDecision(pj, build, maxRevivals);
    switch (decision.kind) {
      case 'wait': {
        runner.watch(name, nudge);
        if (build.buildId && build.buildId !== pj.status.build_id) {
          await write(name, (j) => toAdoptedBuild(j, build.buildId!, jobUrl));
        }
        return result('running');
      }
      case 'complete': {
        const { state, description } = decision;
        const done = await write(name, (j) => toComplete(j, 'pending', state, description, now()));
        if (!done) return result('superseded');
        log.info({ from: 'pending', to: state, exitCode: build.exitCode }, 'Transitioning states.');
        return result('finished');
      }
      case 'revive': {
        const buildId = buildIds.next();
        const revived = await write(name, (j) => toRevived(j, pj.status.build_id, buildId, jobUrl));
        if (!revived) return result('superseded');
        const revivals = revived.status.pod_revival_count;
        log.info({ buildId, revivals }, 'Pod is missing, starting a new pod');
        const startErr = await startBuild(revived, buildId);
        if (startErr) {
          const desc = podCanNotBeCreated(startErr);
          await write(name, (j) => toComplete(j, 'pending', 'error', desc, now()));
          return result('start-error');
        }
        return result('revived');
      }
    }
  }

  async function syncAborted(pj: ProwJob): Promise<ReconcileResult> {
    try {
      await runner.stop(pj.metadata.name);
    } catch (err) {
      throw new BuildRunnerError(`stop build ${pj.metadata.name}`, { cause: err });
    }
    const done = await write(pj.metadata.name, (j) => toAbortedComplete(j, now()));
    return result(done ? 'stopped' : 'superseded');
  }

  return {
    async reconcile(name) {
      const pj = await store.get(name);
      if (!pj) return result('absent');
      if (isComplete(pj)) return result('complete');
      if ((pj.spec.agent ?? 'kubernetes') !== 'kubernetes') return result('ignored');
      switch (pj.status.state) {
        case 'triggered':
          return syncTriggered(pj);
        case 'pending':
          return syncPending(pj);
        case 'aborted':
          return syncAborted(pj);
        default:
          // scheduling (the scheduler's), or an end state without a completionTime
          return result('ignored');
      }
    },
  };
}
