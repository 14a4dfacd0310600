// Replication in one place. Every stream, KV bucket and object store jetprow creates gets the
// replica count of --nats-replicas (a Bus carries it as bus.replicas), and one that exists with
// fewer replicas is raised when a service starts: nats-server 2.9 changes a clustered stream's
// replicas in place (the new peers catch up from the leader, and durable consumers created
// without a replica count follow their stream). Nothing here ever lowers a stream: fewer copies
// is an operator's decision, made by hand. Asking for more replicas than the cluster can place,
// or for more than one on a server that is not clustered, fails with an error naming the flag.
import type {
  JetStreamClient,
  JetStreamManager,
  StreamConfig,
  StreamInfo,
} from '@nats-io/jetstream';
import { Kvm, type KV, type KvOptions } from '@nats-io/kv';
import { Objm, type ObjectStore, type ObjectStoreOptions } from '@nats-io/obj';
import {
  isStreamNotFound,
  isTransientJetStreamError,
  replicaPlacementProblem,
} from './js-errors.js';

/** JetStream's limit on the replicas of one stream. */
export const MAX_REPLICAS = 5;

/** Tries of one ensure when the cluster does not answer (each waits out the client's timeout). */
const ATTEMPTS = 4;

/** Where a raised (or kept) replica count is logged; a pino logger or the bus's Log is one. */
export interface ReplicaLog {
  info(obj: object, msg?: string): void;
}

/**
 * What streams and buckets are made with: a JetStream client, the replica count each gets, and
 * where raising one is logged. A Bus is one (connectBus keeps --nats-replicas as bus.replicas).
 */
export interface JetStreamHost {
  js: JetStreamClient;
  replicas: number;
  log?: ReplicaLog;
}

/**
 * A host, or a bare JetStreamClient: that creates a missing bucket with one replica and leaves
 * an existing bucket's replicas as they are (tests, tools).
 */
export type BucketHost = JetStreamHost | JetStreamClient;

/** The replicas asked for cannot be had: too few JetStream servers, or no cluster at all. */
export class ReplicasError extends Error {
  override readonly name = 'ReplicasError';
  /** `not-clustered` never passes by itself; `too-few-servers` may (a node coming back). */
  readonly kind: 'not-clustered' | 'too-few-servers';
  constructor(message: string, kind: ReplicasError['kind'], options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

interface Wanted {
  /** Undefined: create with one replica, leave an existing stream's count alone. */
  replicas?: number | undefined;
  log?: ReplicaLog | undefined;
}

function hostOf(host: BucketHost): { js: JetStreamClient } & Wanted {
  return 'replicas' in host ? host : { js: host };
}

/** Throws unless `replicas` is a count JetStream accepts (1..5). */
export function checkReplicas(replicas: number): number {
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    throw new RangeError(`replicas: ${replicas} is not a count from 1 to ${MAX_REPLICAS}`);
  }
  return replicas;
}

function notClustered(what: string, replicas: number, cause?: unknown): ReplicasError {
  return new ReplicasError(
    `--nats-replicas ${replicas}: ${what} cannot have ${replicas} replicas: the NATS server is not clustered (a single server keeps one copy); run a cluster of at least ${replicas} JetStream servers, or use --nats-replicas 1`,
    'not-clustered',
    { cause },
  );
}

/** The error a failed create or update means, when it is about placing replicas. */
function placementError(err: unknown, what: string, replicas: number): ReplicasError | undefined {
  const problem = replicaPlacementProblem(err);
  if (problem === 'not-clustered') return notClustered(what, replicas, err);
  if (problem === 'too-few-servers') {
    return new ReplicasError(
      `--nats-replicas ${replicas}: ${what} cannot have ${replicas} replicas: the NATS cluster cannot place them (nats-server: "${(err as Error).message}"); it needs at least ${replicas} JetStream servers up, or lower --nats-replicas`,
      'too-few-servers',
      { cause: err },
    );
  }
  return undefined;
}

/**
 * Runs `fn` again when JetStream did not answer: several services starting at once on a cluster
 * create the same R3 stream together, and requests about a stream still being created go
 * unanswered (measured on 2.9.10). Each try re-reads the stream, so a retry finds what the
 * others made.
 */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= ATTEMPTS || !isTransientJetStreamError(err)) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 200));
    }
  }
}

/** Whether any field `cfg` sets differs from the stream's config (else an update is a no-op). */
function differs(have: StreamConfig, cfg: Partial<StreamConfig>): boolean {
  const current = have as unknown as Record<string, unknown>;
  return Object.entries(cfg).some(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v));
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (isStreamNotFound(err)) return undefined;
    throw err;
  }
}

/** The replica count an existing stream is to have: never fewer than it has. */
function target(info: StreamInfo, what: string, want: Wanted): number {
  const have = info.config.num_replicas || 1;
  if (want.replicas === undefined || want.replicas === have) return have;
  if (want.replicas < have) {
    want.log?.info(
      { stream: info.config.name, replicas: have, asked: want.replicas },
      `${what} keeps its ${have} replicas (--nats-replicas ${want.replicas}): replicas are never lowered automatically`,
    );
    return have;
  }
  // A server that is not clustered accepts an update to more replicas and keeps one copy.
  if (!info.cluster) throw notClustered(what, want.replicas);
  return want.replicas;
}

function logRaised(info: StreamInfo, to: number, what: string, log?: ReplicaLog): void {
  const from = info.config.num_replicas || 1;
  if (to > from) {
    log?.info(
      { stream: info.config.name, from, to },
      `${what}: replicas raised from ${from} to ${to}`,
    );
  }
}

/**
 * Creates the stream with `cfg` and `replicas`, or updates an existing one to `cfg` (when any of
 * it differs), raising its replicas to `replicas` when it has fewer. Safe to run from every
 * service at once.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  cfg: Partial<StreamConfig> & { name: string },
  want: Wanted = {},
): Promise<StreamInfo> {
  if (want.replicas !== undefined) checkReplicas(want.replicas);
  const what = `stream ${cfg.name}`;
  return retrying(async () => {
    let info = await streamInfo(jsm, cfg.name);
    if (!info) {
      const replicas = want.replicas ?? 1;
      try {
        return await jsm.streams.add({ ...cfg, num_replicas: replicas });
      } catch (err) {
        const why = placementError(err, what, replicas);
        if (why) throw why;
        // Another service created it between our info and add: reconcile that one.
        info = await streamInfo(jsm, cfg.name);
        if (!info) throw err;
      }
    }
    const replicas = target(info, what, want);
    const desired = { ...cfg, num_replicas: replicas };
    if (!differs(info.config, desired)) return info;
    try {
      const updated = await jsm.streams.update(cfg.name, desired);
      logRaised(info, replicas, what, want.log);
      return updated;
    } catch (err) {
      throw placementError(err, what, replicas) ?? err;
    }
  });
}

/**
 * Raises an existing bucket stream to the replicas wanted (only its replica count: the rest of
 * its config is the bucket client's). Returns the replica count to create it with, or that it
 * has now.
 */
async function reconcileBucket(
  js: JetStreamClient,
  stream: string,
  what: string,
  want: Wanted,
): Promise<number> {
  if (want.replicas !== undefined) checkReplicas(want.replicas);
  const jsm = await js.jetstreamManager(false);
  const info = await streamInfo(jsm, stream);
  if (!info) return want.replicas ?? 1;
  const replicas = target(info, what, want);
  if (replicas > (info.config.num_replicas || 1)) {
    try {
      await jsm.streams.update(stream, { num_replicas: replicas });
    } catch (err) {
      throw placementError(err, what, replicas) ?? err;
    }
    logRaised(info, replicas, what, want.log);
  }
  return replicas;
}

/**
 * Opens KV bucket `bucket` (stream `KV_<bucket>`), creating it with `opts` and the host's
 * replicas, or raising an existing one's replicas to them. `opts` applies only on creation, as
 * with nats.js's `Kvm.create`.
 */
export async function ensureKv(
  host: BucketHost,
  bucket: string,
  opts: Omit<Partial<KvOptions>, 'replicas'> = {},
): Promise<KV> {
  const h = hostOf(host);
  const what = `KV bucket ${bucket}`;
  return retrying(async () => {
    const replicas = await reconcileBucket(h.js, `KV_${bucket}`, what, h);
    try {
      // Reads from the stream leader, not direct gets: on R3 a direct get may be answered by a
      // follower that is still catching up (a node just restarted) and return a value already
      // replaced, which stalls every compare-and-swap on it (the ledger, budgets, locks, jobs).
      return await new Kvm(h.js).create(bucket, { allow_direct: false, ...opts, replicas });
    } catch (err) {
      throw placementError(err, what, replicas) ?? err;
    }
  });
}

/**
 * Opens object store `bucket` (stream `OBJ_<bucket>`), creating it with `opts` and the host's
 * replicas, or raising an existing one's replicas to them. `opts.ttl` is in nanoseconds.
 */
export async function ensureObjectStore(
  host: BucketHost,
  bucket: string,
  opts: Omit<Partial<ObjectStoreOptions>, 'replicas'> = {},
): Promise<ObjectStore> {
  const h = hostOf(host);
  const what = `object store ${bucket}`;
  return retrying(async () => {
    const replicas = await reconcileBucket(h.js, `OBJ_${bucket}`, what, h);
    try {
      return await new Objm(h.js).create(bucket, { ...opts, replicas });
    } catch (err) {
      throw placementError(err, what, replicas) ?? err;
    }
  });
}
