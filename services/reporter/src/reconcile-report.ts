// Level-triggered reporting of one ProwJob (crier's reconcile, pkg/crier/controller.go): read the
// job, skip it when it is not reportable or its state is already reported, write the status,
// record `status.prev_report_states['github-reporter']`. Safe to run any number of times and
// concurrently for the same job (replicas, a newer nudge replacing one in flight).
//
// Concurrency: GitHub shows the newest status per context, so two handlers for one job could land
// their writes out of order (pending after success). After writing state S the handler re-reads
// the job while recording; if the job has moved past S it writes again, whatever the record says.
// So the last write any handler makes is of a state that was current after that write, and every
// later state change brings its own nudge: the final status on GitHub is the job's final state.
// The price is a rare repeated write when two handlers race.
import { RetryLaterError, TerminalError, type Log } from '@jetprow/bus';
import { GitHubReporterName, type ProwJob, type ProwJobState } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import { updateWithRetry, type JobStore } from '@jetprow/store';
import type { GitHubWriter, StatusWrite } from './github-writer.js';
import { classifyWriteError } from './classify-write-error.js';
import { shouldReport } from './should-report.js';
import { statusForJob } from './status-for-job.js';
import type { ReporterSettings } from './settings.js';

export type WriteOutcome = 'success' | 'gone' | 'rate_limited' | 'retry' | 'rejected';

export interface ReconcileDeps {
  store: JobStore;
  writer: GitHubWriter;
  getSettings: () => ReporterSettings;
  log: Log;
  now: () => number;
  /** Called once per write attempt, for metrics. */
  onWrite?(outcome: WriteOutcome, pj: ProwJob, status: StatusWrite): void;
}

export type ReconcileResult =
  | { kind: 'missing' }
  | { kind: 'not-reportable' }
  | { kind: 'already-reported'; state: ProwJobState }
  | { kind: 'reported'; state: ProwJobState; writes: number };

/** Error wrapping a retryable write failure (the consumer naks with back-off). */
export class StatusWriteError extends Error {
  override readonly name = 'StatusWriteError';
}

/** Rounds of write-then-recheck before giving up to the consumer's back-off (states are few). */
const MAX_ROUNDS = 8;

export async function reconcileReport(deps: ReconcileDeps, name: string): Promise<ReconcileResult> {
  let force = false;
  let writes = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const pj = await deps.store.get(name);
    if (!pj) return { kind: 'missing' };
    if (!shouldReport(pj, deps.getSettings())) return { kind: 'not-reportable' };
    const state = pj.status.state;
    if (state === undefined) return { kind: 'not-reportable' };
    if (!force && pj.status.prev_report_states?.[GitHubReporterName] === state) {
      return { kind: 'already-reported', state };
    }
    const status = statusForJob(pj);
    if (!status) return { kind: 'not-reportable' };

    await writeStatus(deps, pj, status);
    writes++;

    let moved = false;
    await updateWithRetry(deps.store, name, (job) => {
      if (job.status.state !== state) {
        moved = true;
        return false;
      }
      if (job.status.prev_report_states?.[GitHubReporterName] === state) return false;
      job.status.prev_report_states = {
        ...job.status.prev_report_states,
        [GitHubReporterName]: state,
      };
      return true;
    });
    if (!moved) return { kind: 'reported', state, writes };
    deps.log.child(jobFields(pj)).info({}, 'state changed while reporting: write again');
    force = true;
  }
  throw new StatusWriteError(`report prowjob ${name}: state changed in all ${MAX_ROUNDS} rounds`);
}

/** Writes one status: resolves when written or when it never can be; throws for the consumer. */
async function writeStatus(deps: ReconcileDeps, pj: ProwJob, status: StatusWrite): Promise<void> {
  const { org, repo, sha, context, state } = status;
  const what = `create status ${org}/${repo}@${sha} ${context}=${state}`;
  try {
    await deps.writer.createStatus(status);
    deps.onWrite?.('success', pj, status);
    return;
  } catch (err) {
    const failure = classifyWriteError(err, deps.now());
    const log = deps.log.child(jobFields(pj));
    const fields = { err: String(err), cause: String((err as Error).cause ?? '') };
    switch (failure.kind) {
      case 'gone':
        // Prow swallows these (force-pushed SHA, status cap): nothing can ever be written here.
        deps.onWrite?.('gone', pj, status);
        log.info(fields, `${what}: commit cannot take statuses; recorded as reported`);
        return;
      case 'rate-limited':
        deps.onWrite?.('rate_limited', pj, status);
        throw new RetryLaterError(`${what}: rate limited`, failure.delayMs, { cause: err });
      case 'rejected':
        deps.onWrite?.('rejected', pj, status);
        throw new TerminalError(`${what}: rejected by GitHub`, { cause: err });
      case 'retry':
        deps.onWrite?.('retry', pj, status);
        throw new StatusWriteError(what, { cause: err });
    }
  }
}
