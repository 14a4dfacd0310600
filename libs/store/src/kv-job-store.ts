// JobStore on a JetStream KV bucket (`prowjobs`): key = ProwJob name, value = the ProwJob JSON,
// resourceVersion = the KV revision. create() is KV create (fails if the key exists), update() is
// KV update with the expected revision (compare-and-swap). list() is served by the ProwJob cache
// (job-informer.ts), which follows the bucket through one KV watch per store; the store's own
// writes are applied to it before they return (read-your-writes), and a fresh list waits until
// the watch has reached the bucket's last revision (one stream-info request).
import type { KV, KvEntry } from '@nats-io/kv';
import { ensureKv, isWrongLastSequence, type BucketHost } from '@jetprow/kv';
import { decoder, ProwJob } from '@jetprow/schemas';
import { CachedJobStore, JobInformer } from './job-informer.js';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  matchesSelector,
  type JobChange,
  type JobStore,
  type JobWatch,
  type Selector,
} from './job-store.js';

const PROWJOB_BUCKET = 'prowjobs';
const decodeJob = decoder('ProwJob', ProwJob);
const encoder = new TextEncoder();

function fromEntry(e: KvEntry): ProwJob {
  const job = decodeJob.decode(e.json());
  job.metadata.resourceVersion = String(e.revision);
  return job;
}

/** The stored value: the ProwJob without resourceVersion (that is the KV revision). */
function toBytes(job: ProwJob): Uint8Array {
  const { resourceVersion: _, ...metadata } = job.metadata;
  return encoder.encode(JSON.stringify({ ...job, metadata }));
}

/**
 * Stops a KV watch and deletes its consumer. nats.js's watch is an ordered push consumer with a
 * 5-minute inactive threshold that stop() leaves on the server; the iterator holds the consumer
 * (`_data`, with delete()). Best effort: a consumer not deleted expires by itself.
 */
function stopWatch(iter: { stop(): void }): void {
  iter.stop();
  const consumer = (iter as { _data?: { delete?: () => Promise<unknown> } })._data;
  if (typeof consumer?.delete === 'function') void consumer.delete().catch(() => undefined);
}

export class KvJobStore extends CachedJobStore implements JobStore {
  readonly kv: KV;
  /** The ProwJob cache list() reads: one KV watch, started by the first list. */
  readonly informer: JobInformer;
  private constructor(kv: KV) {
    super();
    this.kv = kv;
    this.informer = new JobInformer({
      watch: (onChange) => this.watch(onChange),
      list: (selector) => this.listDirect(selector),
      revision: async () => (await this.kv.status()).streamInfo.state.last_seq,
    });
  }

  /**
   * Opens (or creates) the bucket. `host` is the Bus (its --nats-replicas: a bucket with fewer
   * replicas is raised) or a bare JetStreamClient (created with one replica, an existing count
   * kept).
   */
  static async open(host: BucketHost, opts: { history?: number } = {}): Promise<KvJobStore> {
    const kv = await ensureKv(host, PROWJOB_BUCKET, { history: opts.history ?? 5 });
    return new KvJobStore(kv);
  }

  async get(name: string): Promise<ProwJob | undefined> {
    const e = await this.kv.get(name);
    if (!e || e.operation !== 'PUT') return undefined;
    return fromEntry(e);
  }

  async create(job: ProwJob): Promise<ProwJob> {
    try {
      const rev = await this.kv.create(job.metadata.name, toBytes(job));
      const stored = { ...job, metadata: { ...job.metadata, resourceVersion: String(rev) } };
      this.informer.observe(stored);
      return stored;
    } catch (err) {
      if (isWrongLastSequence(err)) {
        throw new AlreadyExistsError(`prowjob ${job.metadata.name} already exists`, { cause: err });
      }
      throw new Error(`create prowjob ${job.metadata.name}`, { cause: err });
    }
  }

  async update(job: ProwJob): Promise<ProwJob> {
    const rv = Number(job.metadata.resourceVersion);
    if (!Number.isInteger(rv) || rv <= 0) {
      throw new Error(`update prowjob ${job.metadata.name}: no resourceVersion`);
    }
    try {
      const rev = await this.kv.update(job.metadata.name, toBytes(job), rv);
      const stored = { ...job, metadata: { ...job.metadata, resourceVersion: String(rev) } };
      this.informer.observe(stored);
      return stored;
    } catch (err) {
      if (isWrongLastSequence(err)) {
        const current = await this.kv.get(job.metadata.name);
        if (!current || current.operation !== 'PUT') {
          throw new NotFoundError(`prowjob ${job.metadata.name} not found`, { cause: err });
        }
        throw new ConflictError(
          `prowjob ${job.metadata.name}: resourceVersion ${rv} is stale (now ${current.revision})`,
          { cause: err },
        );
      }
      throw new Error(`update prowjob ${job.metadata.name}`, { cause: err });
    }
  }

  async delete(name: string, resourceVersion?: string): Promise<void> {
    const current = await this.kv.get(name);
    if (!current || current.operation !== 'PUT') {
      this.informer.forget(name, current ? String(current.revision) : undefined); // gone already
      return;
    }
    try {
      await this.kv.delete(name, resourceVersion ? { previousSeq: Number(resourceVersion) } : {});
    } catch (err) {
      if (isWrongLastSequence(err))
        throw new ConflictError(`delete prowjob ${name}: stale`, { cause: err });
      throw err;
    }
    this.informer.forget(name, resourceVersion ?? String(current.revision));
  }

  /** A direct read: the bucket's current values, replayed by a short-lived watch. */
  private async listDirect(selector?: Selector): Promise<ProwJob[]> {
    const out: ProwJob[] = [];
    const w = await this.watch(
      (c) => {
        if (!c.isUpdate && c.job && matchesSelector(c.job, selector)) out.push(c.job);
      },
      { initialOnly: true },
    );
    await w.synced;
    w.stop();
    return out;
  }

  async watch(
    onChange: (change: JobChange) => void | Promise<void>,
    opts: { initialOnly?: boolean } = {},
  ): Promise<JobWatch> {
    const status = await this.kv.status();
    const lastSeq = status.streamInfo.state.last_seq;
    const iter = await this.kv.watch();
    let resolveSynced!: () => void;
    const synced = new Promise<void>((r) => (resolveSynced = r));
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    let isSynced = false;
    const markSynced = (): void => {
      if (!isSynced) {
        isSynced = true;
        resolveSynced();
      }
    };
    if (lastSeq === 0 || status.values === 0) markSynced();
    void (async () => {
      try {
        for await (const e of iter) {
          const isUpdate = isSynced;
          if (opts.initialOnly && isSynced) break;
          let change: JobChange;
          if (e.operation === 'PUT') {
            try {
              change = {
                type: 'put',
                name: e.key,
                job: fromEntry(e),
                resourceVersion: String(e.revision),
                isUpdate,
              };
            } catch {
              change = {
                type: 'delete',
                name: e.key,
                resourceVersion: String(e.revision),
                isUpdate,
              };
            }
          } else {
            change = { type: 'delete', name: e.key, resourceVersion: String(e.revision), isUpdate };
          }
          if (!(opts.initialOnly && change.type === 'delete')) await onChange(change);
          if (e.revision >= lastSeq || e.delta === 0) markSynced();
          if (opts.initialOnly && isSynced) break;
        }
      } finally {
        // done first: a watcher that awaits synced learns that the feed ended during its replay.
        resolveDone();
        markSynced();
      }
    })();
    return {
      synced,
      done,
      revision: String(lastSeq),
      stop: () => stopWatch(iter),
    };
  }
}
