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
//
// Pacing and coalescing: a write first waits for a slot in the shared write budget (`pace`),
// then reads the job again and writes whatever state it has by then. A job that finished while
// its pending status waited for a slot posts only its final state.
//
// Exactly once across crashes: the write ledger marks a status begun before it is sent and done
// after. A handler that finds it begun (its predecessor died mid-write, before recording) looks
// at the commit's statuses on GitHub first and writes only if the status is not there.
import { createHash } from 'node:crypto';
import type { Log } from '@jetprow/bus';
import { GitHubReporterName, type ProwJob, type ProwJobState } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import { updateWithRetry, type JobStore } from '@jetprow/store';
import type { GitHubReads, GitHubWriter, StatusWrite } from './github-writer.js';
import { GitHubWriteFailedError, performWrite, type WriteOutcome } from './perform-write.js';
import { shouldReport } from './should-report.js';
import { statusForJob } from './status-for-job.js';
import type { ReporterSettings } from './settings.js';
import type { WriteLedger } from './write-ledger.js';

export type { WriteOutcome } from './perform-write.js';

export interface ReconcileDeps {
  store: JobStore;
  writer: GitHubWriter;
  getSettings: () => ReporterSettings;
  log: Log;
  now: () => number;
  /** Waits for a write slot of the org's budget (the shared pacing); none: write at once. */
  pace?(org: string): Promise<void>;
  /** Write-ahead marks; with `reads`, a status whose write was interrupted is looked up first. */
  ledger?: WriteLedger;
  reads?: GitHubReads;
  /** The job's state is on GitHub (written now or found there): e.g. queue its PR comment. */
  onReported?(pj: ProwJob): Promise<void>;
  /** Called once per write attempt, for metrics. */
  onWrite?(outcome: WriteOutcome, pj: ProwJob, status: StatusWrite): void;
}

export type ReconcileResult =
  | { kind: 'missing' }
  | { kind: 'not-reportable' }
  | { kind: 'already-reported'; state: ProwJobState }
  | { kind: 'reported'; state: ProwJobState; writes: number };

/** What a status write is: its state plus a digest of everything GitHub shows. */
function statusIdentity(s: StatusWrite): string {
  const digest = createHash('sha256').update(JSON.stringify(s)).digest('hex').slice(0, 16);
  return `${s.state}:${digest}`;
}

/** The job as it is now, if it still has a state to report (else why not). */
async function reportable(
  deps: ReconcileDeps,
  name: string,
  force: boolean,
): Promise<
  | { pj: ProwJob; state: ProwJobState; status: StatusWrite }
  | Exclude<ReconcileResult, { kind: 'reported' }>
> {
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
  return { pj, state, status };
}

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
    let found = await reportable(deps, name, force);
    if (!('pj' in found)) return found;
    if (deps.pace) {
      await deps.pace(found.status.org);
      // Coalesce: report the state the job has now, after the wait.
      found = await reportable(deps, name, force);
      if (!('pj' in found)) return found;
    }
    const { pj, state, status } = found;

    const outcome = await writeOnce(deps, pj, status);
    if (outcome === 'written') writes++;
    if (outcome !== 'gone') await deps.onReported?.(pj);

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

/**
 * Writes the status unless the ledger says it was written, or was begun and GitHub shows it
 * already. 'gone': it can never be written (see writeStatus).
 */
async function writeOnce(
  deps: ReconcileDeps,
  pj: ProwJob,
  status: StatusWrite,
): Promise<'written' | 'found' | 'gone'> {
  const { ledger, reads } = deps;
  const key = `status/${pj.metadata.name}`;
  const what = statusIdentity(status);
  if (ledger) {
    const state = await ledger.state(key, what);
    if (state === 'done') return 'found';
    if (state === 'begun' && reads) {
      const latest = (await reads.latestStatuses(status.org, status.repo, status.sha)).get(
        status.context,
      );
      if (
        latest?.state === status.state &&
        latest.description === status.description &&
        latest.target_url === status.target_url
      ) {
        deps.log
          .child(jobFields(pj))
          .info({ state: status.state }, 'interrupted status write had landed: not written again');
        await ledger.done(key, what);
        return 'found';
      }
    }
    await ledger.begin(key, what);
  }
  const written = await writeStatus(deps, pj, status);
  await ledger?.done(key, what);
  return written ? 'written' : 'gone';
}

/**
 * Writes one status: resolves true when written, false when it never can be (SHA gone, status
 * cap); throws for the consumer (performWrite), a transient failure as StatusWriteError.
 */
async function writeStatus(
  deps: ReconcileDeps,
  pj: ProwJob,
  status: StatusWrite,
): Promise<boolean> {
  const { org, repo, sha, context, state } = status;
  const what = `create status ${org}/${repo}@${sha} ${context}=${state}`;
  try {
    const result = await performWrite(
      {
        what,
        log: deps.log.child(jobFields(pj)),
        now: deps.now,
        onOutcome: (outcome) => deps.onWrite?.(outcome, pj, status),
      },
      () => deps.writer.createStatus(status),
    );
    return result === 'done';
  } catch (err) {
    if (err instanceof GitHubWriteFailedError)
      throw new StatusWriteError(what, { cause: err.cause });
    throw err;
  }
}
