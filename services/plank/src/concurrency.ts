// Concurrency limits (Prow's canExecuteConcurrently, pkg/plank/reconciler.go), as pure functions
// over a list of jobs read from the store:
// - `plank.max_concurrency`: pending jobs, all jobs together, must stay below the limit;
// - a job's `max_concurrency`: its pending runs plus its *older* triggered runs must stay below
//   the limit, so runs start oldest first and a younger run never overtakes an older one;
// - `job_queue_name` with `plank.job_queue_capacities`: the same count over the queue; 0 blocks,
//   a negative capacity is unlimited, an undefined queue is a configuration error.
// The count is only exact when no other admission of the same scope runs at the same time: plank
// holds a lock per scope (admission-lock.ts) from the count until the job is recorded pending.
import type { PlankConfig } from '@jetprow/config';
import { isComplete, type ProwJob } from '@jetprow/schemas';

/** The limits config.yaml's `plank:` sets. */
export type ConcurrencySettings = Pick<PlankConfig, 'max_concurrency' | 'job_queue_capacities'>;

export type Admission = { ok: true } | { ok: false; reason: string; misconfigured?: true };

/** Creation order: creationTimestamp (Prow), then the name, so equal timestamps still order. */
export function createdBefore(a: ProwJob, b: ProwJob): boolean {
  const ta = Date.parse(a.metadata.creationTimestamp ?? a.status.startTime);
  const tb = Date.parse(b.metadata.creationTimestamp ?? b.status.startTime);
  if (ta !== tb) return ta < tb;
  return a.metadata.name < b.metadata.name;
}

const isPlanks = (pj: ProwJob): boolean => (pj.spec.agent ?? 'kubernetes') === 'kubernetes';

/** Prow's countPendingOrOlderTriggeredMatchingPJs (`pj` itself excluded). */
export function pendingOrOlderTriggered(pj: ProwJob, jobs: readonly ProwJob[]): number {
  let n = 0;
  for (const j of jobs) {
    if (j.metadata.name === pj.metadata.name || isComplete(j)) continue;
    if (j.status.state === 'pending') n++;
    else if (j.status.state === 'triggered' && createdBefore(j, pj)) n++;
  }
  return n;
}

/** The scopes whose admissions must not interleave with `pj`'s (the locks to hold). */
export function lockScopes(pj: ProwJob, s: ConcurrencySettings): string[] {
  const scopes: string[] = [];
  if ((pj.spec.max_concurrency ?? 0) > 0) scopes.push(`job/${pj.spec.job}`);
  if (pj.spec.job_queue_name) scopes.push(`queue/${pj.spec.job_queue_name}`);
  if (s.max_concurrency > 0) scopes.push('global');
  return scopes;
}

/** May `pj` (triggered) start now, given every job in the store? */
export function canExecuteConcurrently(
  pj: ProwJob,
  jobs: readonly ProwJob[],
  s: ConcurrencySettings,
): Admission {
  const others = jobs.filter((j) => j.metadata.name !== pj.metadata.name && isPlanks(j));
  if (s.max_concurrency > 0) {
    const running = others.filter((j) => j.status.state === 'pending' && !isComplete(j)).length;
    if (running >= s.max_concurrency) {
      return { ok: false, reason: `Not starting another job, already ${running} running.` };
    }
  }
  const max = pj.spec.max_concurrency ?? 0;
  if (max > 0) {
    const n = pendingOrOlderTriggered(
      pj,
      others.filter((j) => j.spec.job === pj.spec.job),
    );
    if (n >= max) {
      return {
        ok: false,
        reason: `Not starting another instance of ${pj.spec.job}, have ${n} instances that are pending or older, ${max} is the limit`,
      };
    }
  }
  const queue = pj.spec.job_queue_name;
  if (queue) {
    const capacity = s.job_queue_capacities[queue];
    if (capacity === undefined) {
      return {
        ok: false,
        reason: `failed to match queue name '${queue}' with Plank configuration`,
        misconfigured: true,
      };
    }
    if (capacity === 0) return { ok: false, reason: `job queue ${queue} has capacity 0` };
    if (capacity > 0) {
      const n = pendingOrOlderTriggered(
        pj,
        others.filter((j) => j.spec.job_queue_name === queue),
      );
      if (n >= capacity) {
        return {
          ok: false,
          reason: `Not starting another instance of ${pj.spec.job}, have ${n} instances in queue ${queue} that are pending or older, ${capacity} is the limit`,
        };
      }
    }
  }
  return { ok: true };
}
