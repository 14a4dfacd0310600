// JobStore on a JetStream KV bucket (`prowjobs`): key = ProwJob name, value = the ProwJob JSON,
// resourceVersion = the KV revision. create() is KV create (fails if the key exists), update() is
// KV update with the expected revision (compare-and-swap).
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import type { JetStreamClient } from '@nats-io/jetstream';
import { isWrongLastSequence } from '@jetprow/kv';
import { decoder, ProwJob } from '@jetprow/schemas';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  matchesSelector,
  type JobChange,
  type JobStore,
  type JobWatch,
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

export class KvJobStore implements JobStore {
  readonly kv: KV;
  private constructor(kv: KV) {
    this.kv = kv;
  }

  static async open(js: JetStreamClient, opts: { history?: number } = {}): Promise<KvJobStore> {
    const kv = await new Kvm(js).create(PROWJOB_BUCKET, { history: opts.history ?? 5 });
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
      return { ...job, metadata: { ...job.metadata, resourceVersion: String(rev) } };
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
      return { ...job, metadata: { ...job.metadata, resourceVersion: String(rev) } };
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
    if (!current || current.operation !== 'PUT') return;
    try {
      await this.kv.delete(name, resourceVersion ? { previousSeq: Number(resourceVersion) } : {});
    } catch (err) {
      if (isWrongLastSequence(err))
        throw new ConflictError(`delete prowjob ${name}: stale`, { cause: err });
      throw err;
    }
  }

  async list(selector?: Record<string, string>): Promise<ProwJob[]> {
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
        markSynced();
      }
    })();
    return {
      synced,
      stop: () => iter.stop(),
    };
  }
}
