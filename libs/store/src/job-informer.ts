// The ProwJob cache (an informer, as client-go's): list once, then follow the store's change
// feed, keeping every job in memory with indexes for the lookups the services make, so a lookup
// costs the size of its answer, not the size of the store. One per JobStore, so one watch per
// process however many lookups it makes.
//
// Consistency (what a lookup sees):
// - Served only while the watch is live: the first lookup starts the watch and waits for its
//   replay (`synced()`); a watch that ends is restarted at once with a relist, and lookups wait
//   for that relist rather than read a cache that stopped following the store.
// - Read-your-writes: the store applies the result of each create/update/delete this process
//   made before returning it, so a lookup after a write sees at least that write. Every entry
//   keeps its resourceVersion and an older version (a watch event that was overtaken by a local
//   write, a replayed entry) never replaces a newer one; a local delete leaves a tombstone so a
//   late watch event cannot resurrect the job.
// - Otherwise eventually consistent: another process's write shows once the watch delivers it
//   (milliseconds).
// - `fresh: true` is linearizable: the answer reflects every write completed anywhere before the
//   call. With a `revision()` (the KV store: its stream's last sequence, one request) the lookup
//   waits until the watch has applied that revision and answers from memory; without one (the
//   Kubernetes store) or when the watch lags too long, it reads the store directly.
// - Jobs are kept as JSON and parsed per answer: callers get their own copies, and changing one
//   never changes the cache.
import { isComplete, Labels, type ProwJob, type ProwJobState } from '@jetprow/schemas';
import {
  matchesSelector,
  type JobChange,
  type JobWatch,
  type ListOptions,
  type Selector,
} from './job-store.js';

/** The labels with an index (Prow's labels the services select by). */
export const INDEXED_LABELS: readonly string[] = [
  Labels.type,
  Labels.job,
  Labels.org,
  Labels.repo,
  Labels.pull,
];

/** What the cache follows: a store's change feed, its direct list, and (optionally) its revision. */
export interface InformerSource {
  /** JobStore.watch: every current job (isUpdate false), `synced`, then every change in order. */
  watch(onChange: (change: JobChange) => void): Promise<JobWatch>;
  /** A direct read of the store (no cache). */
  list(selector: Selector): Promise<ProwJob[]>;
  /**
   * The store's current revision in the feed's terms: every write completed before the call has
   * a revision at most this, and the feed delivers revisions in increasing order.
   */
  revision?(): Promise<number>;
}

export interface InformerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface JobInformerOptions {
  log?: InformerLog;
  /** How long a fresh lookup waits for the watch before reading the store directly (5 s). */
  freshWaitMs?: number;
  /** How long any lookup waits for the cache to sync before reading the store directly (5 s). */
  syncWaitMs?: number;
  /** How long a local delete's tombstone is kept when no watch event clears it (60 s). */
  tombstoneMs?: number;
}

interface Entry {
  rv: string;
  /** The job as JSON, parsed per answer: each caller gets its own copy, at half the cost of
   * copying a parsed object (about the same heap as keeping the parsed object). */
  json: string;
  labels: Readonly<Record<string, string>>;
  state: ProwJobState | undefined;
  complete: boolean;
}

interface Session {
  watch?: JobWatch;
  /** Names replayed (isUpdate false): what is cached but not among them is gone. */
  seen: Set<string>;
  maxReplayed: number;
  live: boolean;
  ended: boolean;
}

interface Waiter {
  rv: number;
  resolve: (caughtUp: boolean) => void;
}

const silent: InformerLog = { info() {}, warn() {} };

/** resourceVersions as numbers (KV revisions, etcd revisions); NaN when opaque. */
function rvNumber(rv: string): number {
  return /^\d+$/.test(rv) ? Number(rv) : Number.NaN;
}

/** Is `a` a later version than `b`? Opaque (non-numeric) versions: any other one is later. */
function isNewer(a: string, b: string): boolean {
  const x = rvNumber(a);
  const y = rvNumber(b);
  if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return x > y;
  return a !== b;
}

function toEntry(job: ProwJob, rv: string): Entry {
  // Kubernetes' managedFields are bookkeeping no lookup needs, and often the largest part of an
  // object (client-go's informers are usually given the same transform).
  const { managedFields: _, ...metadata } = job.metadata as ProwJob['metadata'] & {
    managedFields?: unknown;
  };
  return {
    rv,
    json: JSON.stringify({ ...job, metadata }),
    labels: { ...(job.metadata.labels ?? {}) },
    state: job.status.state,
    complete: isComplete(job),
  };
}

function toJob(e: Entry): ProwJob {
  const job = JSON.parse(e.json) as ProwJob;
  job.metadata.resourceVersion = e.rv;
  return job;
}

function matches(e: Entry, selector: Selector, opts: ListOptions): boolean {
  if (opts.incomplete && e.complete) return false;
  if (opts.states && !(e.state !== undefined && opts.states.includes(e.state))) return false;
  return Object.entries(selector).every(([k, v]) => e.labels[k] === v);
}

/** The same filters on jobs read from the store directly. */
function filterJobs(jobs: ProwJob[], selector: Selector, opts: ListOptions): ProwJob[] {
  return jobs.filter(
    (j) =>
      matchesSelector(j, selector) &&
      !(opts.incomplete && isComplete(j)) &&
      !(opts.states && !(j.status.state !== undefined && opts.states.includes(j.status.state))),
  );
}

export class JobInformer {
  private readonly source: InformerSource;
  private readonly log: InformerLog;
  private readonly freshWaitMs: number;
  private readonly syncWaitMs: number;
  private readonly tombstoneMs: number;

  private readonly jobs = new Map<string, Entry>();
  /** label → value → names. */
  private readonly byLabel = new Map<string, Map<string, Set<string>>>(
    INDEXED_LABELS.map((l) => [l, new Map()]),
  );
  private readonly byState = new Map<string, Set<string>>();
  private readonly incomplete = new Set<string>();
  /** Locally deleted: name → the version deleted and when (insertion order = time order). */
  private readonly tombstones = new Map<string, { rv: string; at: number }>();

  private session: Session | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;
  /** Every revision up to this has been applied from the watch (fresh reads wait for it). */
  private caughtUp = 0;
  private waiters: Waiter[] = [];
  private restartCount = 0;

  constructor(source: InformerSource, opts: JobInformerOptions = {}) {
    this.source = source;
    this.log = opts.log ?? silent;
    this.freshWaitMs = opts.freshWaitMs ?? 5000;
    this.syncWaitMs = opts.syncWaitMs ?? 5000;
    this.tombstoneMs = opts.tombstoneMs ?? 60_000;
  }

  /** True while the watch is live and its replay has been applied (readiness). */
  synced(): boolean {
    return this.session?.live === true;
  }

  /** How many times a watch that ended was restarted (with a relist). */
  get restarts(): number {
    return this.restartCount;
  }

  /** How many jobs are cached. */
  get size(): number {
    return this.jobs.size;
  }

  /** Starts the watch if it is not running and resolves once it is synced. */
  async start(): Promise<void> {
    if (this.stopped) throw new Error('prowjob cache: stopped');
    if (this.synced()) return;
    this.starting ??= this.startSession().finally(() => (this.starting = undefined));
    await this.starting;
  }

  /** Starts the watch; true once synced, false if that takes longer than `ms` (it goes on). */
  private async syncedWithin(ms: number): Promise<boolean> {
    if (this.synced()) return true;
    let timer: NodeJS.Timeout | undefined;
    const started = this.start().then(() => true);
    try {
      return await Promise.race([
        started,
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms))),
      ]);
    } finally {
      clearTimeout(timer);
      started.catch(() => {}); // a start that fails after the deadline is retried by the next lookup
    }
  }

  /** Stops the watch; later lookups read the store directly. */
  stop(): void {
    this.stopped = true;
    this.session?.watch?.stop();
    this.session = undefined;
    this.releaseWaiters();
  }

  /** The jobs whose labels include `selector`, filtered by `opts` (see the file comment). */
  async list(selector: Selector = {}, opts: ListOptions = {}): Promise<ProwJob[]> {
    if (this.stopped) return filterJobs(await this.source.list(selector), selector, opts);
    // A cache that cannot sync in time (its watch being re-created while the bucket's leader
    // moves) never holds a lookup up: it is answered by a direct read meanwhile.
    if (!(await this.syncedWithin(this.syncWaitMs))) {
      return filterJobs(await this.source.list(selector), selector, opts);
    }
    if (opts.fresh && !(await this.catchUp())) {
      return filterJobs(await this.source.list(selector), selector, opts);
    }
    const out: ProwJob[] = [];
    for (const name of this.candidates(selector, opts)) {
      const e = this.jobs.get(name);
      if (e && matches(e, selector, opts)) out.push(toJob(e));
    }
    return out;
  }

  /** A write this process made (create/update result): visible to lookups from now on. */
  observe(job: ProwJob): void {
    const rv = job.metadata.resourceVersion;
    if (!rv || this.stopped) return;
    this.applyPut(job.metadata.name, rv, job);
  }

  /** A delete this process made, of version `rv` (or whatever version is cached). */
  forget(name: string, rv?: string): void {
    if (this.stopped) return;
    const cur = this.jobs.get(name);
    let deleted = rv ?? cur?.rv;
    if (cur && deleted !== undefined && isNewer(cur.rv, deleted)) deleted = cur.rv;
    if (cur) this.remove(name, cur);
    if (deleted === undefined) return;
    this.tombstones.delete(name);
    this.tombstones.set(name, { rv: deleted, at: Date.now() });
    this.expireTombstones();
  }

  // ---------------------------------------------------------------------------------------------

  private async startSession(): Promise<void> {
    const session: Session = { seen: new Set(), maxReplayed: 0, live: false, ended: false };
    this.session = session;
    try {
      session.watch = await this.source.watch((c) => this.onChange(session, c));
      if (this.stopped) throw new Error('prowjob cache: stopped');
      // done resolves before synced when a feed ends during its replay (KvJobStore.watch): this
      // callback runs first, so `ended` is set by the time `await synced` returns.
      void session.watch.done?.then(() => this.onEnded(session));
      await session.watch.synced;
      if (session.ended) throw new Error('prowjob cache: the watch ended before it synced');
      if (this.session !== session) throw new Error('prowjob cache: stopped');
    } catch (err) {
      session.watch?.stop();
      if (this.session === session) this.session = undefined;
      throw err;
    }
    const snapshot = rvNumber(session.watch.revision ?? '');
    const upTo = Number.isSafeInteger(snapshot) ? snapshot : session.maxReplayed;
    this.prune(session.seen, upTo);
    session.seen.clear();
    session.live = true;
    this.advance(Math.max(upTo, session.maxReplayed));
  }

  /**
   * The source listed again within its watch (Kubernetes after 410 Expired) and reported the
   * differences to the jobs it knew; `listed` are the names that list held at `resourceVersion`.
   * Jobs only this cache knew (its own writes) and that the list no longer holds are gone too.
   */
  relisted(listed: ReadonlySet<string>, resourceVersion: string): void {
    const v = rvNumber(resourceVersion);
    if (Number.isSafeInteger(v)) this.prune(listed, v);
  }

  /** What is cached but not in `listed`, and not younger than it (≤ `upTo`), is gone. */
  private prune(listed: ReadonlySet<string>, upTo: number): void {
    for (const [name, e] of this.jobs) {
      if (listed.has(name)) continue;
      const v = rvNumber(e.rv);
      if (Number.isSafeInteger(v) ? v <= upTo : true) this.remove(name, e);
    }
  }

  private onEnded(session: Session): void {
    session.ended = true;
    if (this.session !== session) return;
    const wasLive = session.live;
    session.live = false;
    this.session = undefined;
    this.releaseWaiters();
    if (this.stopped || !wasLive) return;
    // Restart at once with a relist; if that fails, the next lookup tries again.
    this.restartCount++;
    this.log.warn({ restarts: this.restartCount }, 'prowjob cache: watch ended, relisting');
    this.start().catch((err: unknown) =>
      this.log.warn({ err: String(err) }, 'prowjob cache: relist failed; the next lookup retries'),
    );
  }

  private onChange(session: Session, c: JobChange): void {
    if (this.session !== session) return; // an old watch's last events
    if (!c.isUpdate) {
      session.seen.add(c.name);
      const v = rvNumber(c.resourceVersion);
      if (Number.isSafeInteger(v)) session.maxReplayed = Math.max(session.maxReplayed, v);
    }
    if (c.type === 'put' && c.job) this.applyPut(c.name, c.resourceVersion, c.job);
    else this.applyDelete(c.name, c.resourceVersion);
    if (session.live) {
      const v = rvNumber(c.resourceVersion);
      if (Number.isSafeInteger(v)) this.advance(v);
    }
  }

  private applyPut(name: string, rv: string, job: ProwJob): void {
    const tomb = this.tombstones.get(name);
    if (tomb) {
      if (!isNewer(rv, tomb.rv)) return; // the version deleted here, or older
      this.tombstones.delete(name);
    }
    const cur = this.jobs.get(name);
    if (cur && !isNewer(rv, cur.rv)) return;
    if (cur) this.remove(name, cur);
    this.add(name, toEntry(job, rv));
  }

  private applyDelete(name: string, rv: string): void {
    this.tombstones.delete(name);
    const cur = this.jobs.get(name);
    if (!cur) return;
    if (isNewer(cur.rv, rv)) return; // created again after this delete
    this.remove(name, cur);
  }

  private add(name: string, e: Entry): void {
    this.jobs.set(name, e);
    for (const [label, index] of this.byLabel) {
      const v = e.labels[label];
      if (v === undefined) continue;
      let names = index.get(v);
      if (!names) index.set(v, (names = new Set()));
      names.add(name);
    }
    if (e.state !== undefined) {
      let names = this.byState.get(e.state);
      if (!names) this.byState.set(e.state, (names = new Set()));
      names.add(name);
    }
    if (!e.complete) this.incomplete.add(name);
  }

  private remove(name: string, e: Entry): void {
    this.jobs.delete(name);
    for (const [label, index] of this.byLabel) {
      const v = e.labels[label];
      if (v === undefined) continue;
      const names = index.get(v);
      names?.delete(name);
      if (names?.size === 0) index.delete(v);
    }
    if (e.state !== undefined) {
      const names = this.byState.get(e.state);
      names?.delete(name);
      if (names?.size === 0) this.byState.delete(e.state);
    }
    this.incomplete.delete(name);
  }

  /** The smallest index set that the answer must lie in (every job when none applies). */
  private candidates(selector: Selector, opts: ListOptions): Iterable<string> {
    let best: Iterable<string> | undefined;
    let bestSize = Infinity;
    const consider = (names: Iterable<string>, size: number): void => {
      if (size < bestSize) {
        best = names;
        bestSize = size;
      }
    };
    for (const [label, value] of Object.entries(selector)) {
      const index = this.byLabel.get(label);
      if (!index) continue;
      const names = index.get(value);
      if (!names) return [];
      consider(names, names.size);
    }
    if (opts.incomplete) consider(this.incomplete, this.incomplete.size);
    if (opts.states) {
      const sets = opts.states.flatMap((s) => this.byState.get(s) ?? []);
      const size = sets.reduce((n, s) => n + s.size, 0);
      consider(
        (function* () {
          for (const s of sets) yield* s;
        })(),
        size,
      );
    }
    return best ?? this.jobs.keys();
  }

  /** Waits until the watch has applied the store's current revision; false when it cannot. */
  private async catchUp(): Promise<boolean> {
    if (!this.source.revision) return false;
    const rv = await this.source.revision();
    if (rv <= this.caughtUp) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, this.freshWaitMs);
      timer.unref();
      const waiter: Waiter = {
        rv,
        resolve: (ok) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private advance(rv: number): void {
    if (rv <= this.caughtUp) return;
    this.caughtUp = rv;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.rv <= rv);
    this.waiters = this.waiters.filter((w) => w.rv > rv);
    for (const w of ready) w.resolve(true);
  }

  /** The watch is gone: waiting fresh lookups read the store directly instead. */
  private releaseWaiters(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.resolve(false);
  }

  private expireTombstones(): void {
    const before = Date.now() - this.tombstoneMs;
    for (const [name, t] of this.tombstones) {
      if (t.at > before) break;
      this.tombstones.delete(name);
    }
  }
}

/** A JobStore's cache-backed half, shared by the KV and the CRD store: list() and the cache's life. */
export abstract class CachedJobStore {
  abstract readonly informer: JobInformer;

  /** From the cache (see the file comment). */
  list(selector?: Selector, opts?: ListOptions): Promise<ProwJob[]> {
    return this.informer.list(selector, opts);
  }

  /** Whether the cache is synced (readiness of a process that lists). */
  synced(): boolean {
    return this.informer.synced();
  }

  /** Starts the cache's watch; resolves once it is synced. */
  sync(): Promise<void> {
    return this.informer.start();
  }

  /** Stops the cache's watch. */
  close(): void {
    this.informer.stop();
  }
}
