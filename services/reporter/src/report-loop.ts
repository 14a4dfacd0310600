// crier's controller (pkg/crier/controller.go), level-triggered: a report nudge only names a job.
// Read it; every target that should report it and has not reported its current state reports
// it; then `status.prev_report_states[target.name] = state` is recorded, so a redelivered nudge
// reports nothing. Safe to run any number of times, and concurrently for one job (replicas, a
// newer nudge replacing one in flight).
//
// Pacing and coalescing: a target that writes to GitHub first waits for a slot in the shared
// write budget; then the job is read again and whatever state it has by then is reported. A job
// that finished while its pending status waited posts only its final state.
//
// Concurrency: GitHub shows the newest status per context, so two handlers could land their
// writes out of order (pending after success). After reporting S the loop re-reads the job while
// recording; if it has moved past S it reports again, whatever the record says. So the last
// report any handler makes is of a state that was current after it, and every later change
// brings its own nudge. The price is a rare repeated write when two handlers race.
import type { ProwJob, ProwJobState } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import { updateWithRetry } from '@jetprow/store';
import type { Runtime } from './runtime.js';

/** One way of reporting a job (crier's reportClient). */
export interface ReportTarget {
  /** The key of `status.prev_report_states` recording what it reported (crier's GetName). */
  readonly name: string;
  /** report() writes to GitHub: the loop takes a slot of the org's budget for it first. */
  readonly paced: boolean;
  shouldReport(pj: ProwJob): boolean;
  /**
   * Reports the job's current state, idempotently: 'written' now, 'found' already there, or
   * 'gone' (it never can be: the commit is gone), which ends the round (later targets would
   * report on nothing) and is recorded as reported.
   */
  report(pj: ProwJob): Promise<'written' | 'found' | 'gone'>;
}

export type ReportResult =
  | { kind: 'missing' }
  | { kind: 'not-reportable' }
  | { kind: 'already-reported'; state: ProwJobState }
  | { kind: 'reported'; state: ProwJobState; writes: number };

type Due = { pj: ProwJob; state: ProwJobState; targets: ReportTarget[] };

/** Rounds of report-then-recheck before giving up to the consumer's back-off (states are few). */
const MAX_ROUNDS = 8;

export async function reportJob(
  rt: Runtime,
  targets: readonly ReportTarget[],
  name: string,
): Promise<ReportResult> {
  let force = false;
  let writes = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const first = await due(rt, targets, name, force);
    if (!('pj' in first)) return first;
    for (const t of first.targets) if (t.paced) await rt.pace(first.pj.spec.refs?.org ?? '');
    // Coalesce: report the state the job has now, after the wait.
    const now = await due(rt, targets, name, force);
    if (!('pj' in now)) return now;
    const { pj, state } = now;

    for (const t of now.targets) {
      const outcome = await t.report(pj);
      if (outcome === 'written') writes++;
      if (outcome === 'gone') break;
    }
    const names = new Set(now.targets.map((t) => t.name));
    let moved = false;
    await updateWithRetry(rt.store, name, (job) => {
      moved = job.status.state !== state;
      const prev = job.status.prev_report_states ?? {};
      if (moved || [...names].every((n) => prev[n] === state)) return false;
      job.status.prev_report_states = { ...prev };
      for (const n of names) job.status.prev_report_states[n] = state;
      return true;
    });
    if (!moved) return { kind: 'reported', state, writes };
    rt.log.child(jobFields(pj)).info({}, 'state changed while reporting: write again');
    force = true;
  }
  throw new Error(`report prowjob ${name}: state changed in all ${MAX_ROUNDS} rounds`);
}

/** The job as it is now and the targets that still have its state to report, else why none. */
async function due(
  rt: Runtime,
  targets: readonly ReportTarget[],
  name: string,
  force: boolean,
): Promise<Due | Exclude<ReportResult, { kind: 'reported' }>> {
  const pj = await rt.store.get(name);
  if (!pj) return { kind: 'missing' };
  const state = pj.status.state;
  const should = state === undefined ? [] : targets.filter((t) => t.shouldReport(pj));
  if (state === undefined || should.length === 0) return { kind: 'not-reportable' };
  const prev = pj.status.prev_report_states ?? {};
  const todo = force ? should : should.filter((t) => prev[t.name] !== state);
  return todo.length === 0 ? { kind: 'already-reported', state } : { pj, state, targets: todo };
}
