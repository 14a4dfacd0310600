// terminateDupes (Prow pkg/plank/reconciler.go + pkg/pjutil/abort.go TerminateOlderJobs): of the
// unfinished runs of one presubmit on one set of pull requests, only the newest (by startTime)
// keeps running; the others are aborted with the GitHub reporter's state pre-set, so no "aborted"
// status lands on the new run's context. The key ignores SHAs: a new push supersedes the old run.
import type { Log } from '@jetprow/bus';
import { isComplete, type ProwJob, type Refs } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import { updateWithRetry, type JobStore } from '@jetprow/store';
import { toDupeAborted } from './transitions.js';

/** Prow's digestRefs: `org/repo@base_ref [pull numbers, sorted]` (Go's %v of an int slice). */
function digestRefs(r: Refs): string {
  const pulls = (r.pulls ?? []).map((p) => p.number).sort((a, b) => a - b);
  return `${r.org}/${r.repo}@${r.base_ref} [${pulls.join(' ')}]`;
}

/** The identity of "the same presubmit on the same pulls"; undefined for anything else. */
export function dupeKey(pj: ProwJob): string | undefined {
  if (pj.spec.type !== 'presubmit') return undefined;
  const ids = [pj.spec.type, pj.spec.job];
  if (pj.spec.refs) ids.push(digestRefs(pj.spec.refs));
  for (const r of pj.spec.extra_refs ?? []) ids.push(digestRefs(r));
  return ids.sort().join(',');
}

const isActive = (pj: ProwJob): boolean =>
  !isComplete(pj) && (pj.status.state === 'triggered' || pj.status.state === 'pending');

/** Newer first: startTime, then the name, so every replica picks the same survivor. */
function newer(a: ProwJob, b: ProwJob): boolean {
  const ta = Date.parse(a.status.startTime);
  const tb = Date.parse(b.status.startTime);
  if (ta !== tb) return ta > tb;
  return a.metadata.name > b.metadata.name;
}

/** The names to abort: every active run with a newer active run of the same key. */
export function olderDuplicates(jobs: readonly ProwJob[]): string[] {
  const newest = new Map<string, ProwJob>();
  const losers: string[] = [];
  for (const pj of jobs) {
    const key = isActive(pj) ? dupeKey(pj) : undefined;
    if (!key) continue;
    const prev = newest.get(key);
    if (!prev) {
      newest.set(key, pj);
    } else if (newer(pj, prev)) {
      losers.push(prev.metadata.name);
      newest.set(key, pj);
    } else {
      losers.push(pj.metadata.name);
    }
  }
  return losers;
}

/**
 * Aborts the older runs of `pj`'s presubmit on its pulls, found in `jobs` (the store's jobs).
 * Returns the names this call aborted (possibly `pj` itself, when a newer run exists).
 */
export async function terminateDupes(
  store: JobStore,
  pj: ProwJob,
  log: Log,
  jobs: readonly ProwJob[],
): Promise<string[]> {
  const key = dupeKey(pj);
  if (!key) return [];
  const same = jobs.filter((j) => j.spec.job === pj.spec.job && dupeKey(j) === key);
  const aborted: string[] = [];
  for (const name of olderDuplicates(same)) {
    let from: string | undefined;
    const done = await updateWithRetry(store, name, (j) => {
      from = j.status.state;
      return toDupeAborted(j);
    });
    if (!done) continue;
    aborted.push(name);
    log.info({ ...jobFields(done), from, to: 'aborted' }, 'Transitioning states');
  }
  return aborted;
}
