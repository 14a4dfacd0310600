// The JobStore: ProwJob CRUD with compare-and-swap, list by labels, and a change feed. Two
// backends implement it: a JetStream KV bucket (embedded default) and Prow's ProwJob CRD.
// Optimistic concurrency follows Kubernetes: `metadata.resourceVersion` is the version read;
// an update carrying a stale one fails with ConflictError.
import type { ProwJob } from '@jetprow/schemas';

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
export class AlreadyExistsError extends Error {
  override readonly name = 'AlreadyExistsError';
}

export interface JobChange {
  type: 'put' | 'delete';
  name: string;
  /** The job after the change; undefined for deletes. */
  job?: ProwJob;
  resourceVersion: string;
  /** False while replaying the state that existed when the watch started. */
  isUpdate: boolean;
}

export interface JobWatch {
  /** Resolves once the existing state has been replayed. */
  synced: Promise<void>;
  stop(): void;
}

export interface JobStore {
  get(name: string): Promise<ProwJob | undefined>;
  /** Fails with AlreadyExistsError when a job of that name exists. Returns the stored job. */
  create(job: ProwJob): Promise<ProwJob>;
  /** CAS on `metadata.resourceVersion`; ConflictError when stale, NotFoundError when gone. */
  update(job: ProwJob): Promise<ProwJob>;
  /** Deletes (CAS when `resourceVersion` is given). Deleting a missing job is not an error. */
  delete(name: string, resourceVersion?: string): Promise<void>;
  /** Every job whose labels include all of `selector`. */
  list(selector?: Record<string, string>): Promise<ProwJob[]>;
  /** Calls `onChange` for every current job, then for every change, in order. */
  watch(onChange: (change: JobChange) => void | Promise<void>): Promise<JobWatch>;
}

export function matchesSelector(job: ProwJob, selector: Record<string, string> = {}): boolean {
  const labels = job.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * Read-modify-write with retry on conflict (Prow's retry.RetryOnConflict): `mutate` gets a fresh
 * copy each attempt and returns false to skip the write. Returns the stored job, or undefined when
 * the job is gone or mutate declined.
 */
export async function updateWithRetry(
  store: JobStore,
  name: string,
  mutate: (job: ProwJob) => boolean | void,
  attempts = 8,
): Promise<ProwJob | undefined> {
  for (let i = 0; i < attempts; i++) {
    const job = await store.get(name);
    if (!job) return undefined;
    if (mutate(job) === false) return undefined;
    try {
      return await store.update(job);
    } catch (err) {
      if (err instanceof ConflictError) continue;
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }
  throw new ConflictError(`update prowjob ${name}: still conflicting after ${attempts} attempts`);
}
