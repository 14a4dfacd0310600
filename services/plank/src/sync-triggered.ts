// syncTriggered (Prow's syncTriggeredJob): older runs of the same presubmit are aborted first
// (terminateDupes); a build that already exists is adopted; otherwise, when the concurrency limits
// allow it (counted under the admission locks), a build starts and the job becomes pending.
import { isComplete, Labels, type ProwJob } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import { canExecuteConcurrently, lockScopes } from './concurrency.js';
import { podCanNotBeCreated, toComplete, toPending } from './transitions.js';
import { dupeKey, terminateDupes } from './terminate-dupes.js';
import {
  requeueBucket,
  result,
  type ReconcileOutcome,
  type ReconcileResult,
  type SyncContext,
} from './sync-context.js';

/** Starts a new build and records the job pending (or errored when it can never start). */
async function start(c: SyncContext, pj: ProwJob): Promise<ReconcileResult> {
  const name = pj.metadata.name;
  const log = c.deps.log.child(jobFields(pj));
  const buildId = c.deps.buildIds.next();
  const startErr = await c.startBuild(pj, buildId);
  const now = c.deps.now;
  if (startErr) {
    const desc = podCanNotBeCreated(startErr);
    const done = await c.write(name, (j) => toComplete(j, 'triggered', 'error', desc, now()));
    log.warn({ err: startErr.message }, 'Unprocessable pod.');
    return result(done ? 'start-error' : 'superseded');
  }
  return toPendingWith(c, pj, buildId, 'started');
}

async function toPendingWith(
  c: SyncContext,
  pj: ProwJob,
  buildId: string,
  outcome: ReconcileOutcome,
): Promise<ReconcileResult> {
  const updated = await c.write(pj.metadata.name, (j) =>
    toPending(j, buildId, c.deps.now(), c.jobUrl),
  );
  if (!updated) return result('superseded'); // e.g. aborted meanwhile: the next sync stops it
  c.deps.log
    .child(jobFields(pj))
    .info({ from: 'triggered', to: 'pending', buildId }, 'Transitioning states.');
  return result(outcome);
}

/**
 * What terminateDupes and the limits look at, from the store's cache, never the whole store
 * (complete jobs count for neither): the unfinished runs of the same job on the same repo (by
 * Prow's labels), of the same job anywhere under its max_concurrency, or every unfinished job
 * when a queue or the global limit counts them. `fresh` for the count under the locks (every
 * admission another replica made before must be seen); otherwise `pj` is added when the cache has
 * not seen its creation yet.
 */
async function lookup(c: SyncContext, pj: ProwJob, fresh: boolean): Promise<ProwJob[]> {
  const labels = pj.metadata.labels ?? {};
  const keys =
    pj.spec.job_queue_name || c.config().max_concurrency > 0
      ? []
      : (pj.spec.max_concurrency ?? 0) > 0
        ? [Labels.job]
        : [Labels.job, Labels.org, Labels.repo];
  const selector = Object.fromEntries(
    keys.flatMap((k) => (labels[k] !== undefined ? [[k, labels[k]]] : [])),
  );
  const jobs = await c.deps.store.list(selector, { incomplete: true, fresh });
  if (fresh || jobs.some((j) => j.metadata.name === pj.metadata.name)) return jobs;
  return [...jobs, pj];
}

/** The job, when the limits let it start given `jobs` (default: a fresh lookup); else why not. */
async function verdict(
  c: SyncContext,
  pj: ProwJob,
  listed?: readonly ProwJob[],
): Promise<ProwJob | ReconcileResult> {
  const name = pj.metadata.name;
  const jobs = listed ?? (await lookup(c, pj, true));
  const self = jobs.find((j) => j.metadata.name === name);
  if (!self || isComplete(self) || self.status.state !== 'triggered') return result('superseded');
  const v = canExecuteConcurrently(self, jobs, c.config());
  if (v.ok) return self;
  const log = c.deps.log.child(jobFields(self));
  if (v.misconfigured) log.error({}, v.reason);
  else log.debug({}, v.reason);
  return result('blocked', requeueBucket(c.nowMs(), c.settings.concurrencyRecheckMs));
}

const isResult = (v: ProwJob | ReconcileResult): v is ReconcileResult => 'outcome' in v;

/**
 * Admission under limits. A count without the locks first: a job that must wait (all but the
 * oldest runs of a limited job) does so without contending for them. Then, under the locks, the
 * count again, and the start, so no other admission of the scope counts before this job is
 * recorded pending.
 */
async function admit(
  c: SyncContext,
  pj: ProwJob,
  scopes: string[],
  listed: readonly ProwJob[],
): Promise<ReconcileResult> {
  const first = await verdict(c, pj, listed);
  if (isResult(first)) return first;
  const lease = await c.lock.tryAcquire(scopes, `${c.holder}/${pj.metadata.name}`);
  if (!lease) {
    c.deps.log.debug({ prowjob: pj.metadata.name, scopes }, 'admission lock busy');
    return result('blocked', requeueBucket(c.nowMs(), c.settings.lockRetryMs));
  }
  try {
    const checked = await verdict(c, pj);
    return isResult(checked) ? checked : await start(c, checked);
  } finally {
    await lease.release();
  }
}

export async function syncTriggered(
  c: SyncContext,
  pj: ProwJob,
  syncAborted: (pj: ProwJob) => Promise<ReconcileResult>,
): Promise<ReconcileResult> {
  const name = pj.metadata.name;
  const scopes = lockScopes(pj, c.config());
  // One lookup serves terminateDupes and the first count (only the count under the locks must be
  // fresh: a stale list can only hold a job back until its re-check).
  const listed = dupeKey(pj) || scopes.length > 0 ? await lookup(c, pj, false) : [];
  const aborted = await terminateDupes(c.deps.store, pj, c.deps.log, listed);
  if (aborted.includes(name)) {
    const now = await c.deps.store.get(name); // a newer run exists: this one is aborted
    return now ? syncAborted(now) : result('absent');
  }
  const existing = await c.status(name);
  if (existing.phase !== 'missing') {
    // A previous sync started it and then failed to record it: adopt, never start twice.
    const buildId = existing.buildId ?? pj.status.build_id ?? c.deps.buildIds.next();
    return toPendingWith(c, pj, buildId, 'adopted');
  }
  return scopes.length === 0 ? start(c, pj) : admit(c, pj, scopes, listed);
}
