// The JobStore: ProwJob CRUD with compare-and-swap, list by labels, and a change feed. Two
// backends implement it: a JetStream KV bucket (embedded default) and Prow's ProwJob CRD.
// Optimistic concurrency follows Kubernetes: `metadata.resourceVersion` is the version read;
// an update carrying a stale one fails with ConflictError.
import type { ProwJob, ProwJobState } from '@jetprow/schemas';

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
  /**
   * Resolves when the feed has ended: stopped, or lost for good (the connection closed). A feed
   * that ended delivers nothing more; watch again (and expect a replay).
   */
  done?: Promise<void>;
  /** The store revision the replay is consistent at (every job written up to it was replayed). */
  revision?: string;
}

/** Label key → value; a job matches when its labels include every pair. */
export type Selector = Record<string, string>;

export interface ListOptions {
  /** Only jobs not complete yet (no `status.completionTime`). */
  incomplete?: boolean;
  /** Only jobs in one of these states. */
  states?: readonly ProwJobState[];
  /**
   * Linearizable: the answer reflects every write completed (by any process) before the call.
   * Without it a lookup sees this process's own writes and others' within the watch's delay.
   * Costs one request on the KV store, a direct LIST on Kubernetes (see job-informer.ts).
   */
  fresh?: boolean;
}

export interface JobStore {
  get(name: string): Promise<ProwJob | undefined>;
  /** Fails with AlreadyExistsError when a job of that name exists. Returns the stored job. */
  create(job: ProwJob): Promise<ProwJob>;
  /** CAS on `metadata.resourceVersion`; ConflictError when stale, NotFoundError when gone. */
  update(job: ProwJob): Promise<ProwJob>;
  /** Deletes (CAS when `resourceVersion` is given). Deleting a missing job is not an error. */
  delete(name: string, resourceVersion?: string): Promise<void>;
  /**
   * Every job whose labels include all of `selector` (and that passes `opts`). The KV and
   * Kubernetes stores answer from their ProwJob cache (job-informer.ts): the cost is the answer's
   * size, not the store's. Each call returns its own copies. A store without a cache may ignore
   * `opts` (its reads are fresh anyway) and return more: callers keep their own filters.
   */
  list(selector?: Selector, opts?: ListOptions): Promise<ProwJob[]>;
  /** Calls `onChange` for every current job, then for every change, in order. */
  watch(onChange: (change: JobChange) => void | Promise<void>): Promise<JobWatch>;
  /** Whether list() is served from a synced cache (for readiness); absent without a cache. */
  synced?(): boolean;
  /** Starts the cache's watch and resolves once it is synced (a process warms it at start). */
  sync?(): Promise<void>;
  /** Stops the cache's watch (later lists read the store directly). */
  close?(): void;
}

export function matchesSelector(job: ProwJob, selector: Selector = {}): boolean {
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
