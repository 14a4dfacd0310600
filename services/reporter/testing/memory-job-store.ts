// Test support (never imported by production code): a JobStore in memory with the KV store's
// semantics (copies in and out, CAS on resourceVersion), plus a counter of updates.
import type { ProwJob } from '@jetprow/schemas';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  matchesSelector,
  type JobChange,
  type JobStore,
  type JobWatch,
} from '@jetprow/store';

export class MemoryJobStore implements JobStore {
  readonly #jobs = new Map<string, ProwJob>();
  #revision = 0;
  updates = 0;

  async get(name: string): Promise<ProwJob | undefined> {
    const job = this.#jobs.get(name);
    return job ? structuredClone(job) : undefined;
  }

  async create(job: ProwJob): Promise<ProwJob> {
    if (this.#jobs.has(job.metadata.name)) {
      throw new AlreadyExistsError(`prowjob ${job.metadata.name} already exists`);
    }
    return this.#put(job);
  }

  async update(job: ProwJob): Promise<ProwJob> {
    const current = this.#jobs.get(job.metadata.name);
    if (!current) throw new NotFoundError(`prowjob ${job.metadata.name} not found`);
    if (current.metadata.resourceVersion !== job.metadata.resourceVersion) {
      throw new ConflictError(`prowjob ${job.metadata.name} changed`);
    }
    this.updates++;
    return this.#put(job);
  }

  async delete(name: string): Promise<void> {
    this.#jobs.delete(name);
  }

  async list(selector?: Record<string, string>): Promise<ProwJob[]> {
    return [...this.#jobs.values()]
      .filter((j) => matchesSelector(j, selector))
      .map((j) => structuredClone(j));
  }

  async watch(_onChange: (change: JobChange) => void | Promise<void>): Promise<JobWatch> {
    return { synced: Promise.resolve(), stop() {} };
  }

  /** Sets a job as another writer (plank) would: read, change, CAS update. */
  async mutate(name: string, change: (job: ProwJob) => void): Promise<ProwJob> {
    const job = await this.get(name);
    if (!job) throw new NotFoundError(`prowjob ${name} not found`);
    change(job);
    return this.update(job);
  }

  #put(job: ProwJob): ProwJob {
    const stored = structuredClone(job);
    stored.metadata.resourceVersion = String(++this.#revision);
    this.#jobs.set(stored.metadata.name, stored);
    return structuredClone(stored);
  }
}
