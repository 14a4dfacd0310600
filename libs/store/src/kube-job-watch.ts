// The ProwJob change feed on Kubernetes, with KvJobStore.watch's contract: every current job
// first (isUpdate false), `synced`, then every change in order. It is an informer's list+watch:
// list (paged), then watch from the list's resourceVersion with bookmarks; a watch that ends
// (timeout, apiserver restart, network) resumes from the last resourceVersion seen (bookmarks
// keep it fresh); a 410 Expired relists and reports the difference (changed jobs as puts,
// vanished ones as deletes), so no change is missed across watch expiry or apiserver restarts.
// onChange is awaited: changes are delivered one at a time, in order.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { Backoff, type BackoffRange } from '@jetprow/core';
import type { ProwJob } from '@jetprow/schemas';
import type { JobChange, JobWatch } from './job-store.js';

export interface KubeLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobList {
  jobs: { name: string; resourceVersion: string; job?: ProwJob }[];
  resourceVersion: string;
}

export interface KubeJobWatchOptions {
  kubeConfig: KubeConfig;
  /** The collection path, e.g. /apis/prow.k8s.io/v1/namespaces/default/prowjobs. */
  path: string;
  /** Every job now, with the collection's resourceVersion (all pages). */
  list(): Promise<JobList>;
  /** Decodes a watched object; undefined when it is not a valid ProwJob. */
  decode(obj: unknown): ProwJob | undefined;
  onChange(change: JobChange): void | Promise<void>;
  log: KubeLog;
  /** Back-off after a failed list or watch: from minMs, doubling, up to maxMs (250 ms–10 s). */
  retry?: BackoffRange;
  /** Server-side watch timeout (client-node 1.4 has none of its own). Default 5–10 min. */
  watchTimeoutSeconds?: () => number;
  /** After a relist's differences were reported: the names it held, at its resourceVersion. */
  onRelist?(listed: ReadonlySet<string>, resourceVersion: string): void;
}

type WatchEnd = 'closed' | 'expired' | 'failed';

interface RawEvent {
  type: string;
  object: {
    metadata?: { name?: string; resourceVersion?: string };
    code?: number;
    reason?: string;
    message?: string;
  };
}

export function startKubeJobWatch(opts: KubeJobWatchOptions): Promise<JobWatch> {
  return new KubeJobWatch(opts).start();
}

class KubeJobWatch {
  private readonly opts: KubeJobWatchOptions;
  private readonly known = new Map<string, string>(); // name → resourceVersion
  private resourceVersion = '';
  private readonly stopping = new AbortController();
  private abort: AbortController | undefined;

  constructor(opts: KubeJobWatchOptions) {
    this.opts = opts;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  async start(): Promise<JobWatch> {
    const first = await this.opts.list(); // fails the watch() call when the cluster is unreachable
    let resolveSynced!: () => void;
    const synced = new Promise<void>((r) => (resolveSynced = r));
    const done = (async () => {
      try {
        await this.applyList(first, false);
      } finally {
        resolveSynced();
      }
      await this.run();
    })().catch((err: unknown) =>
      this.opts.log.error({ err: String(err) }, 'prowjob watch: stopped by an error'),
    );
    return {
      synced,
      done,
      revision: first.resourceVersion,
      stop: () => {
        this.stopping.abort(); // also ends a back-off pause
        this.abort?.abort();
      },
    };
  }

  private async emit(change: JobChange): Promise<void> {
    if (this.stopped) return;
    try {
      await this.opts.onChange(change);
    } catch (err) {
      this.opts.log.error(
        { err: String(err), prowjob: change.name },
        'prowjob watch: onChange failed',
      );
    }
  }

  /** Reports a list: puts for new or changed jobs, deletes for jobs no longer listed. */
  private async applyList(list: JobList, isUpdate: boolean): Promise<void> {
    const listed = new Set<string>();
    for (const { name, resourceVersion, job } of list.jobs) {
      if (!job) continue; // not a valid ProwJob (logged by list): as if absent
      listed.add(name);
      if (this.known.get(name) === resourceVersion) continue;
      this.known.set(name, resourceVersion);
      await this.emit({ type: 'put', name, job, resourceVersion, isUpdate });
    }
    for (const name of [...this.known.keys()]) {
      if (listed.has(name)) continue;
      this.known.delete(name);
      await this.emit({
        type: 'delete',
        name,
        resourceVersion: list.resourceVersion,
        isUpdate: true,
      });
    }
    this.resourceVersion = list.resourceVersion;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(this.stopping.signal, this.opts.retry);
    let needList = false;
    while (!this.stopped) {
      let end: WatchEnd;
      try {
        if (needList) {
          const list = await this.opts.list();
          await this.applyList(list, true);
          this.opts.onRelist?.(
            new Set(list.jobs.flatMap((j) => (j.job ? [j.name] : []))),
            list.resourceVersion,
          );
          needList = false;
          this.opts.log.info({ resourceVersion: this.resourceVersion }, 'prowjob watch: relisted');
        }
        end = await this.watchOnce();
      } catch (err) {
        this.opts.log.warn({ err: String(err) }, 'prowjob watch: list failed, retrying');
        end = 'failed';
      }
      if (end === 'expired') needList = true;
      if (end === 'closed' || end === 'expired') {
        backoff.reset();
        continue;
      }
      await backoff.pause();
    }
  }

  /** One watch request, from the last resourceVersion; resolves when it ends. */
  private async watchOnce(): Promise<WatchEnd> {
    let chain = Promise.resolve();
    let end: WatchEnd | undefined;
    let ended!: (e: WatchEnd) => void;
    const done = new Promise<WatchEnd>((r) => (ended = r));
    const timeout = this.opts.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
    const query = {
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: timeout,
    };
    const onEvent = (type: string, object: RawEvent['object']): void => {
      chain = chain.then(() => this.handle({ type, object }, (e) => (end ??= e)));
    };
    const onDone = (err: unknown): void => {
      const code = (err as { statusCode?: number } | null)?.statusCode;
      if (code === 410) end ??= 'expired';
      else if (err && !this.stopped && (err as { name?: string }).name !== 'AbortError') {
        this.opts.log.warn({ err: String(err) }, 'prowjob watch: connection failed, resuming');
        end ??= 'failed';
      }
      // Deliver everything received before deciding what comes next.
      void chain.then(() => ended(end ?? 'closed'));
    };
    this.abort = await new Watch(this.opts.kubeConfig).watch(
      this.opts.path,
      query,
      onEvent,
      onDone,
    );
    if (this.stopped) this.abort.abort(); // stop() came while the request was being made
    return done;
  }

  private async handle(e: RawEvent, setEnd: (end: WatchEnd) => void): Promise<void> {
    const meta = e.object.metadata ?? {};
    const rv = meta.resourceVersion ?? '';
    switch (e.type) {
      case 'BOOKMARK':
        if (rv) this.resourceVersion = rv;
        return;
      case 'ERROR':
        if (e.object.code === 410) setEnd('expired');
        else {
          this.opts.log.warn({ status: e.object }, 'prowjob watch: error event');
          setEnd('failed');
        }
        return;
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        const name = meta.name ?? '';
        if (rv) this.resourceVersion = rv;
        if (e.type === 'DELETED') {
          if (!this.known.delete(name)) return;
          return this.emit({ type: 'delete', name, resourceVersion: rv, isUpdate: true });
        }
        if (this.known.get(name) === rv) return; // already seen (e.g. through a relist)
        const job = this.opts.decode(e.object);
        if (!job) {
          this.opts.log.warn(
            { prowjob: name },
            'prowjob watch: not a valid ProwJob, treated as deleted',
          );
          if (!this.known.delete(name)) return;
          return this.emit({ type: 'delete', name, resourceVersion: rv, isUpdate: true });
        }
        this.known.set(name, rv);
        return this.emit({ type: 'put', name, job, resourceVersion: rv, isUpdate: true });
      }
    }
  }
}
