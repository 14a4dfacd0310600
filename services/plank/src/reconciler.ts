// plank's reconcile, in Prow's shape (pkg/plank/reconciler.go): read the job, switch on its
// state into idempotent syncTriggered / syncPending / syncAborted. Level-triggered: a nudge only
// names the job; everything is decided from the job's current state and the build's. Every write
// is a compare-and-swap (updateWithRetry) whose mutator re-checks the state (transitions.ts).
// A result may ask for another look at a time (`requeueAt`): plank puts that on the bus as a
// deadline (timeouts, concurrency re-checks), never a sleep or a polling loop.
import { isComplete, type ProwJob } from '@jetprow/schemas';
import { localAdmissionLock } from './admission-lock.js';
import { syncPending } from './sync-pending.js';
import { syncTriggered } from './sync-triggered.js';
import { toAbortedComplete } from './transitions.js';
import {
  result,
  syncContext,
  type ReconcileResult,
  type ReconcilerDeps,
  type SyncContext,
} from './sync-context.js';

export type { ReconcileOutcome, ReconcileResult, ReconcilerDeps } from './sync-context.js';
export { BuildRunnerError, FINAL_OUTCOMES } from './sync-context.js';

export interface Reconciler {
  reconcile(name: string): Promise<ReconcileResult>;
}

/** syncAborted (Prow's syncAbortedJob): stop the build (Pods: delete it), then complete the job. */
async function syncAborted(c: SyncContext, pj: ProwJob): Promise<ReconcileResult> {
  await c.stopBuild(pj.metadata.name);
  const done = await c.write(pj.metadata.name, (j) => toAbortedComplete(j, c.deps.now()));
  return result(done ? 'stopped' : 'superseded');
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const c = syncContext(deps, localAdmissionLock());
  return {
    async reconcile(name) {
      const pj = await deps.store.get(name);
      if (!pj) return result('absent');
      if (isComplete(pj)) return result('complete');
      if ((pj.spec.agent ?? 'kubernetes') !== 'kubernetes') return result('ignored');
      switch (pj.status.state) {
        case 'triggered':
          return syncTriggered(c, pj, (aborted) => syncAborted(c, aborted));
        case 'pending':
          return syncPending(c, pj);
        case 'aborted':
          return syncAborted(c, pj);
        default:
          // scheduling (the scheduler's), or an end state without a completionTime
          return result('ignored');
      }
    },
  };
}
