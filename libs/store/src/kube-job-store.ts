// JobStore on Prow's ProwJob custom resources (prow.k8s.io/v1) in `prowjob_namespace`, through
// @kubernetes/client-node 1.4. The object is the ProwJob as Prow stores it; Prow's CRD has no
// status subresource, so update() replaces the whole object, with metadata.resourceVersion as
// the compare-and-swap: a stale one is 409 Conflict → ConflictError (updateWithRetry re-reads).
// list() is served by the ProwJob cache (job-informer.ts) over this store's list+watch (one watch
// per store, never a LIST per lookup); a fresh list (`fresh: true`) is a direct, label-selected
// LIST, since the apiserver offers no cheap way to know the watch has caught up.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { decoder, ProwJob } from '@jetprow/schemas';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  type JobChange,
  type JobStore,
  type JobWatch,
} from './job-store.js';
import { CachedJobStore, JobInformer } from './job-informer.js';
import type { Selector } from './job-store.js';
import { describeKubeError, isStatus, kubeStatus } from './kube-errors.js';
import {
  startKubeJobWatch,
  type JobList,
  type KubeLog,
  type KubeJobWatchOptions,
} from './kube-job-watch.js';

const GROUP = 'prow.k8s.io';
const VERSION = 'v1';
const PLURAL = 'prowjobs';
const decodeJob = decoder('ProwJob', ProwJob);
const silent: KubeLog = { info() {}, warn() {}, error() {} };

export interface KubeJobStoreOptions {
  kubeConfig: KubeConfig;
  /** Prow's `prowjob_namespace`. */
  namespace: string;
  log?: KubeLog;
  /** List page size (`limit`). Default 500, as client-go's pager. */
  pageSize?: number;
  /** Watch tuning (tests). */
  watch?: Pick<KubeJobWatchOptions, 'retry' | 'watchTimeoutSeconds'>;
}

/** Selector map → `k=v,k2=v2`. */
function labelSelector(selector: Selector = {}): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export class KubeJobStore extends CachedJobStore implements JobStore {
  readonly namespace: string;
  private readonly kc: KubeConfig;
  private readonly api: CustomObjectsApi;
  private readonly log: KubeLog;
  private readonly pageSize: number;
  private readonly watchTuning: KubeJobStoreOptions['watch'];
  /** The ProwJob cache list() reads: one list+watch, started by the first list. */
  readonly informer: JobInformer;

  constructor(opts: KubeJobStoreOptions) {
    super();
    this.kc = opts.kubeConfig;
    this.namespace = opts.namespace;
    this.api = opts.kubeConfig.makeApiClient(CustomObjectsApi);
    this.log = opts.log ?? silent;
    this.pageSize = opts.pageSize ?? 500;
    this.watchTuning = opts.watch;
    this.informer = new JobInformer(
      {
        watch: (onChange) =>
          this.feed(onChange, (listed, rv) => this.informer.relisted(listed, rv)),
        list: (selector) => this.listDirect(selector),
      },
      { log: this.log },
    );
  }

  /** Builds the store and checks that ProwJobs can be listed (the CRD exists, RBAC allows it). */
  static async open(opts: KubeJobStoreOptions): Promise<KubeJobStore> {
    const store = new KubeJobStore(opts);
    try {
      await store.api.listNamespacedCustomObject({ ...store.where(), limit: 1 });
    } catch (cause) {
      const hint = isStatus(cause, 404) ? " (is Prow's ProwJob CRD installed?)" : '';
      throw new Error(
        `cannot list prowjobs.${GROUP} in namespace ${opts.namespace} at ${opts.kubeConfig.getCurrentCluster()?.server}: ${describeKubeError(cause)}${hint}`,
        { cause },
      );
    }
    return store;
  }

  get path(): string {
    return `/apis/${GROUP}/${VERSION}/namespaces/${this.namespace}/${PLURAL}`;
  }

  private where() {
    return { group: GROUP, version: VERSION, namespace: this.namespace, plural: PLURAL };
  }

  /** A stored object as a ProwJob; undefined (logged) when it does not decode. */
  private decode(obj: unknown): ProwJob | undefined {
    const o = obj as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
    const full = {
      ...o,
      apiVersion: o.apiVersion ?? `${GROUP}/${VERSION}`,
      kind: o.kind ?? 'ProwJob',
    };
    if (decodeJob.check(full)) return full;
    try {
      decodeJob.decode(full);
    } catch (err) {
      this.log.warn(
        { prowjob: o.metadata?.name, err: String(err) },
        'not a valid ProwJob: ignored',
      );
    }
    return undefined;
  }

  /** The request body: the job in this namespace (a shallow copy; only metadata changes). */
  private body(job: ProwJob, keepVersion: boolean): ProwJob {
    const metadata = { ...job.metadata, namespace: this.namespace };
    if (!keepVersion) delete metadata.resourceVersion;
    return { ...job, metadata };
  }

  async get(name: string): Promise<ProwJob | undefined> {
    try {
      return this.decode(await this.api.getNamespacedCustomObject({ ...this.where(), name }));
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw new Error(`get prowjob ${name}: ${describeKubeError(err)}`, { cause: err });
    }
  }

  async create(job: ProwJob): Promise<ProwJob> {
    const name = job.metadata.name;
    try {
      const created: unknown = await this.api.createNamespacedCustomObject({
        ...this.where(),
        body: this.body(job, false),
      });
      const stored = this.decode(created);
      if (stored) this.informer.observe(stored);
      return stored ?? job;
    } catch (err) {
      if (isStatus(err, 409, 'AlreadyExists'))
        throw new AlreadyExistsError(`prowjob ${name} already exists`, { cause: err });
      throw new Error(`create prowjob ${name}: ${describeKubeError(err)}`, { cause: err });
    }
  }

  async update(job: ProwJob): Promise<ProwJob> {
    const name = job.metadata.name;
    if (!job.metadata.resourceVersion)
      throw new Error(`update prowjob ${name}: no resourceVersion`);
    try {
      const updated: unknown = await this.api.replaceNamespacedCustomObject({
        ...this.where(),
        name,
        body: this.body(job, true),
      });
      const stored = this.decode(updated);
      if (stored) this.informer.observe(stored);
      return stored ?? job;
    } catch (err) {
      const s = kubeStatus(err);
      if (s?.code === 404) throw new NotFoundError(`prowjob ${name} not found`, { cause: err });
      if (s?.code === 409) {
        throw new ConflictError(
          `prowjob ${name}: resourceVersion ${job.metadata.resourceVersion} is stale`,
          { cause: err },
        );
      }
      throw new Error(`update prowjob ${name}: ${describeKubeError(err)}`, { cause: err });
    }
  }

  async delete(name: string, resourceVersion?: string): Promise<void> {
    try {
      await this.api.deleteNamespacedCustomObject({
        ...this.where(),
        name,
        ...(resourceVersion ? { body: { preconditions: { resourceVersion } } } : {}),
      });
    } catch (err) {
      if (isStatus(err, 404)) {
        this.informer.forget(name); // gone already
        return;
      }
      if (isStatus(err, 409))
        throw new ConflictError(`delete prowjob ${name}: stale`, { cause: err });
      throw new Error(`delete prowjob ${name}: ${describeKubeError(err)}`, { cause: err });
    }
    this.informer.forget(name, resourceVersion);
  }

  /** A direct read: a paged, label-selected LIST. */
  private async listDirect(selector?: Selector): Promise<ProwJob[]> {
    const { jobs } = await this.listAll(labelSelector(selector));
    return jobs.flatMap((j) => (j.job ? [j.job] : []));
  }

  /** Every page of a list; the resourceVersion is the first page's (one consistent snapshot). */
  private async listAll(selector: string): Promise<JobList> {
    const jobs: JobList['jobs'] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      let page: { items?: unknown[]; metadata?: { resourceVersion?: string; continue?: string } };
      try {
        page = await this.api.listNamespacedCustomObject({
          ...this.where(),
          limit: this.pageSize,
          ...(selector ? { labelSelector: selector } : {}),
          ...(token ? { _continue: token } : {}),
        });
      } catch (err) {
        throw new Error(`list prowjobs: ${describeKubeError(err)}`, { cause: err });
      }
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      for (const item of page.items ?? []) {
        const meta =
          (item as { metadata?: { name?: string; resourceVersion?: string } }).metadata ?? {};
        const job = this.decode(item);
        jobs.push({
          name: meta.name ?? '',
          resourceVersion: meta.resourceVersion ?? '',
          ...(job ? { job } : {}),
        });
      }
      token = page.metadata?.continue || undefined;
    } while (token);
    return { jobs, resourceVersion };
  }

  watch(onChange: (change: JobChange) => void | Promise<void>): Promise<JobWatch> {
    return this.feed(onChange);
  }

  private feed(
    onChange: (change: JobChange) => void | Promise<void>,
    onRelist?: KubeJobWatchOptions['onRelist'],
  ): Promise<JobWatch> {
    return startKubeJobWatch({
      kubeConfig: this.kc,
      path: this.path,
      list: () => this.listAll(''),
      decode: (obj) => this.decode(obj),
      onChange,
      log: this.log,
      ...(onRelist ? { onRelist } : {}),
      ...this.watchTuning,
    });
  }
}
