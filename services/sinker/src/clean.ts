// One sinker pass (Prow's cmd/sinker clean()): list every ProwJob and build, delete the ProwJobs
// past their age, then the builds of completed jobs past max_pod_age / terminated_pod_ttl and the
// orphans. Idempotent and safe to run concurrently with anything: ProwJob deletes are
// compare-and-swap on the listed resourceVersion, so a job that changed meanwhile is left for
// the next pass; build deletes are idempotent. Failures are counted, never fatal, except the
// ProwJob listing (nothing can be decided without it).
import type { Log } from '@jetprow/bus';
import type { JobRunner, BuildInfo } from '@jetprow/runner';
import { ConflictError, type JobStore } from '@jetprow/store';
import type { ProwJob } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import { planProwJobDeletions, type ProwJobDeletion } from './plan-prowjobs.js';
import { planBuild } from './plan-builds.js';
import type { BuildRemovalReason } from './reasons.js';
import type { SinkerConfigView } from './settings.js';
import { emptySummary, type CleanSummary } from './summary.js';

export interface CleanDeps {
  store: JobStore;
  runner: JobRunner;
  log: Log;
  /** The config, read once at the start of the pass (Prow's clean() reads `c.config()` once). */
  config: SinkerConfigView;
  /** Aborted when the service stops: the pass ends after the delete in progress. */
  signal?: AbortSignal;
}

/** The ProwJob listing failed: the pass did nothing (the timer retries it sooner). */
export class ListProwJobsError extends Error {
  override readonly name = 'ListProwJobsError';
}

export async function clean(deps: CleanDeps, now: number): Promise<CleanSummary> {
  const { store, runner, log, config, signal } = deps;
  const summary = emptySummary();
  let jobs: ProwJob[];
  try {
    jobs = await store.list(); // from the store's ProwJob cache: no read of the whole store
  } catch (cause) {
    throw new ListProwJobsError('sinker: list prowjobs', { cause });
  }
  summary.prowJobsExisting = jobs.length;
  const byName = new Map(jobs.map((j) => [j.metadata.name, j]));

  const deleted = new Set<string>();
  for (const d of planProwJobDeletions(jobs, config, now)) {
    if (signal?.aborted) return { ...summary, aborted: true };
    if (await deleteProwJob(store, log, d, summary)) deleted.add(d.job.metadata.name);
  }

  let builds: BuildInfo[];
  try {
    builds = await runner.list();
  } catch (err) {
    log.error({ err: String(err) }, 'sinker: error listing builds');
    summary.errors++;
    return summary;
  }
  summary.buildsExisting = builds.length;
  for (const build of builds) {
    if (signal?.aborted) return { ...summary, aborted: true };
    const job = byName.get(build.prowJob);
    const gone = !job || deleted.has(build.prowJob);
    const decision = planBuild(build, job, gone, config.prow.sinker, now);
    let reason: BuildRemovalReason | undefined = decision.reason;
    if (decision.checkOrphan && (await isOrphan(store, log, build, summary))) reason = 'orphaned';
    if (reason) await deleteBuild(runner, log, build, reason, summary);
  }
  return summary;
}

async function deleteProwJob(
  store: JobStore,
  log: Log,
  { job, reason }: ProwJobDeletion,
  summary: CleanSummary,
): Promise<boolean> {
  const fields = { ...jobFields(job), reason };
  const rv = job.metadata.resourceVersion;
  if (!rv) {
    // Never delete without compare-and-swap: the store returned a job without a version.
    log.error(fields, 'sinker: prowjob has no resourceVersion, not deleting');
    summary.prowJobErrors[reason]++;
    summary.errors++;
    return false;
  }
  try {
    await store.delete(job.metadata.name, rv);
    log.info(fields, 'Deleted prowjob.');
    summary.prowJobsDeleted[reason]++;
    return true;
  } catch (err) {
    if (err instanceof ConflictError) {
      log.info(fields, 'prowjob changed since listing: left for the next pass');
      summary.conflicts++;
      return false;
    }
    log.error({ ...fields, err: String(err) }, 'Error deleting prowjob.');
    summary.prowJobErrors[reason]++;
    summary.errors++;
    return false;
  }
}

/** A fresh read: the listing may be older than the build. A failed read is not an orphan. */
async function isOrphan(
  store: JobStore,
  log: Log,
  build: BuildInfo,
  summary: CleanSummary,
): Promise<boolean> {
  try {
    return (await store.get(build.prowJob)) === undefined;
  } catch (err) {
    const fields = { build: build.name, prowjob: build.prowJob, err: String(err) };
    log.error(fields, 'Failed to get prowjob');
    summary.errors++;
    return false;
  }
}

async function deleteBuild(
  runner: JobRunner,
  log: Log,
  build: BuildInfo,
  reason: BuildRemovalReason,
  summary: CleanSummary,
): Promise<void> {
  const fields = { build: build.name, prowjob: build.prowJob, reason };
  try {
    await runner.delete(build.name);
    log.info(fields, 'Deleted old completed build.');
    summary.buildsDeleted[reason]++;
  } catch (err) {
    log.error({ ...fields, err: String(err) }, 'Error deleting build.');
    summary.buildErrors[reason]++;
    summary.errors++;
  }
}
