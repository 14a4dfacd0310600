// The PodRunner's watch(): one shared Pod watch (label selector created-by-prow=true, as Prow's
// plank watches Pods) instead of polling. A listener is told once, then forgotten, when its Pod
// changes in a way plank acts on (phase, scheduled, deleting, disruption), is deleted, or is found
// finished or gone when first watched (looked at once the watch's starting resourceVersion is
// known, so no change falls between the look and the watch). The watch resumes from the last
// resourceVersion (bookmarks keep it fresh); after a gap it cannot resume over (410 Expired, a
// failed connection) every listener is told, since its Pod may have changed unseen. Reconciles
// are level-triggered, so an extra nudge costs one look; a missed one would cost a resync period.
import { CoreV1Api, Watch, type KubeConfig } from '@kubernetes/client-node';
import { Backoff, type BackoffRange } from '@jetprow/core';
import { Labels } from '@jetprow/schemas';
import type { BuildStatus } from './job-runner.js';
import { Listeners } from './listeners.js';
import { buildStatusOf, reconcileKey, type PodView } from './pod-status.js';

export interface PodWatchLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface PodWatcherOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  /** The current status of a build (a GET), to check a listener's Pod when it is added. */
  status(name: string): Promise<BuildStatus>;
  log: PodWatchLog;
  /** Back-off after a failed list or watch. Default 250 ms doubling up to 10 s. */
  retry?: BackoffRange;
  watchTimeoutSeconds?: () => number;
}

const SELECTOR = `${Labels.createdByProw}=true`;
const FINISHED = new Set(['missing', 'succeeded', 'failed']);

interface WatchObject {
  metadata?: { name?: string; resourceVersion?: string };
  code?: number;
}

export class PodWatcher {
  private readonly opts: PodWatcherOptions;
  private readonly listeners = new Listeners();
  /** The reconcile key last seen per watched Pod. */
  private readonly seen = new Map<string, string>();
  private resourceVersion = '';
  /**
   * The watch's starting resourceVersion is known (listed): from then on it sees every change,
   * so a Pod looked at after that cannot change unseen. False until the first list, and again
   * from a gap until the next.
   */
  private baselined = false;
  private running = false;
  private readonly stopping = new AbortController();
  private abort: AbortController | undefined;

  constructor(opts: PodWatcherOptions) {
    this.opts = opts;
  }

  private get closed(): boolean {
    return this.stopping.signal.aborted;
  }

  add(name: string, onDone: (name: string) => void): void {
    if (this.closed) return;
    const watched = this.listeners.has(name);
    this.listeners.add(name, onDone);
    if (!this.running) {
      this.running = true;
      void this.run();
    }
    // A Pod already watched needs no look (the watch has it; a gap would have told its
    // listeners). A new one is looked at once the watch's starting point is known: now, or by
    // run() when it has listed.
    if (!watched && this.baselined) void this.check(name);
  }

  close(): void {
    this.stopping.abort(); // also ends a back-off pause
    this.listeners.clear();
    this.abort?.abort();
  }

  private async check(name: string): Promise<void> {
    try {
      const status = await this.opts.status(name);
      if (FINISHED.has(status.phase)) this.notify(name);
      else if (this.listeners.has(name)) this.seen.set(name, reconcileKey(status));
    } catch (err) {
      this.opts.log.warn({ build: name, err: String(err) }, 'pod watch: status check failed');
    }
  }

  private notify(name: string): void {
    this.seen.delete(name);
    this.listeners.notify(name, this.listenerFailed);
  }

  private readonly listenerFailed = (name: string, err: unknown): void =>
    this.opts.log.warn({ build: name, err: String(err) }, 'pod watch: listener failed');

  private notifyAll(): void {
    for (const name of this.listeners.names()) this.notify(name);
  }

  private onEvent(type: string, obj: WatchObject): 'expired' | undefined {
    const rv = obj.metadata?.resourceVersion;
    if (type === 'ERROR') return obj.code === 410 ? 'expired' : undefined;
    if (rv) this.resourceVersion = rv;
    const name = obj.metadata?.name;
    if (type === 'BOOKMARK' || !name || !this.listeners.has(name)) return undefined;
    if (type === 'DELETED') {
      this.notify(name);
      return undefined;
    }
    const key = reconcileKey(buildStatusOf(obj as PodView));
    if (this.seen.get(name) !== key) this.notify(name);
    return undefined;
  }

  /** The collection's current resourceVersion: where a fresh watch starts. */
  private async latestVersion(): Promise<string> {
    const api = this.opts.kubeConfig.makeApiClient(CoreV1Api);
    const list = await api.listNamespacedPod({
      namespace: this.opts.namespace,
      labelSelector: SELECTOR,
      limit: 1,
    });
    return list.metadata?.resourceVersion ?? '';
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(this.stopping.signal, this.opts.retry);
    while (!this.closed) {
      let end: 'closed' | 'expired' | 'failed';
      try {
        if (!this.baselined) {
          this.resourceVersion = await this.latestVersion();
          this.baselined = true;
          for (const name of this.listeners.names()) void this.check(name);
        }
        end = await this.watchOnce();
      } catch (err) {
        this.opts.log.warn({ err: String(err) }, 'pod watch: list failed, retrying');
        end = 'failed';
      }
      if (this.closed) return;
      if (end === 'closed') {
        backoff.reset();
        continue;
      }
      // A gap: Pods may have changed unseen. Start afresh and let every listener look again.
      this.baselined = false;
      this.notifyAll();
      if (end === 'failed') await backoff.pause();
    }
  }

  private async watchOnce(): Promise<'closed' | 'expired' | 'failed'> {
    let end: 'expired' | 'failed' | undefined;
    let ended!: (e: 'closed' | 'expired' | 'failed') => void;
    const done = new Promise<'closed' | 'expired' | 'failed'>((r) => (ended = r));
    const timeout = this.opts.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
    const query = {
      resourceVersion: this.resourceVersion,
      labelSelector: SELECTOR,
      allowWatchBookmarks: true,
      timeoutSeconds: timeout,
    };
    this.abort = await new Watch(this.opts.kubeConfig).watch(
      `/api/v1/namespaces/${this.opts.namespace}/pods`,
      query,
      (type: string, obj: WatchObject) => {
        end ??= this.onEvent(type, obj);
      },
      (err: unknown) => {
        const code = (err as { statusCode?: number } | null)?.statusCode;
        if (code === 410) end ??= 'expired';
        else if (err && !this.closed) {
          this.opts.log.warn({ err: String(err) }, 'pod watch: connection failed, resuming');
          end ??= 'failed';
        }
        ended(end ?? 'closed');
      },
    );
    if (this.closed) this.abort.abort();
    return done;
  }
}
