// JobRunner on Kubernetes Pods in `pod_namespace` (Prow's plank): start creates the Pod Prow would
// create (pod-spec.ts); a Pod that already exists is adopted, never duplicated (one Pod per
// ProwJob name); status reads the Pod (pod-status.ts); stop and delete delete it (Prow's abort and
// sinker); watch shares one Pod watch (pod-watch.ts); logs come from the Pod's `test` container.
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Labels, type ProwJob } from '@jetprow/schemas';
import { BuildStartError, type BuildInfo, type BuildStatus, type JobRunner } from './job-runner.js';
import type { RunnerLog } from './local-process-runner.js';
import { apiStatus, describeApiError } from './pod-errors.js';
import { prowJobToPod, TEST_CONTAINER } from './pod-spec.js';
import { buildInfoOf, buildStatusOf } from './pod-status.js';
import { PodWatcher, type PodWatcherOptions } from './pod-watch.js';

export interface PodRunnerOptions {
  kubeConfig: KubeConfig;
  /** Prow's `pod_namespace`. */
  namespace: string;
  log?: RunnerLog;
  /** The `prow.k8s.io/plank-version` label. Default `jetprow`. */
  plankVersion?: string;
  /** Pod watch tuning (tests). */
  watch?: Pick<PodWatcherOptions, 'retry' | 'watchTimeoutSeconds'>;
}

/** The Pod exists but is being deleted: a new one can be created once it is gone. Retryable. */
export class PodTerminatingError extends Error {
  override readonly name = 'PodTerminatingError';
}

const silent: RunnerLog = { info() {}, warn() {}, error() {} };

/**
 * Prow's isRequestError: a 4xx answer to the create means the Pod can never be created
 * (invalid, forbidden, quota). Except 409 (the Pod exists: adopted) and 429 (try again).
 */
const isUnprocessable = (code: number): boolean =>
  code >= 400 && code < 500 && code !== 409 && code !== 429;

export class PodRunner implements JobRunner {
  readonly namespace: string;
  private readonly api: CoreV1Api;
  private readonly log: RunnerLog;
  private readonly plankVersion: string;
  private readonly watcher: PodWatcher;

  constructor(opts: PodRunnerOptions) {
    this.namespace = opts.namespace;
    this.api = opts.kubeConfig.makeApiClient(CoreV1Api);
    this.log = opts.log ?? silent;
    this.plankVersion = opts.plankVersion ?? 'jetprow';
    this.watcher = new PodWatcher({
      kubeConfig: opts.kubeConfig,
      namespace: opts.namespace,
      status: (name) => this.status(name),
      log: this.log,
      ...opts.watch,
    });
  }

  private where(name: string): { name: string; namespace: string } {
    return { name, namespace: this.namespace };
  }

  private async read(name: string): Promise<V1Pod | undefined> {
    try {
      return await this.api.readNamespacedPod(this.where(name));
    } catch (err) {
      if (apiStatus(err)?.code === 404) return undefined;
      throw new Error(`get pod ${this.namespace}/${name}: ${describeApiError(err)}`, {
        cause: err,
      });
    }
  }

  async start(pj: ProwJob, buildId: string, env: Record<string, string>): Promise<void> {
    const pod = prowJobToPod(pj, buildId, env, {
      namespace: this.namespace,
      plankVersion: this.plankVersion,
    });
    const name = pod.metadata.name;
    try {
      await this.api.createNamespacedPod({ namespace: this.namespace, body: pod as V1Pod });
      this.log.info({ build: name, buildId, namespace: this.namespace }, 'pod created');
      return;
    } catch (err) {
      const s = apiStatus(err);
      const what = `create pod ${this.namespace}/${name}`;
      if (s && isUnprocessable(s.code))
        throw new BuildStartError(`${what}: ${describeApiError(err)}`, { cause: err });
      if (s?.code !== 409) throw new Error(`${what}: ${describeApiError(err)}`, { cause: err });
    }
    // 409: the Pod exists. Adopt it, unless it is on its way out.
    const existing = await this.read(name);
    if (existing?.metadata?.deletionTimestamp) {
      throw new PodTerminatingError(
        `pod ${this.namespace}/${name} is being deleted; a new one is created once it is gone`,
      );
    }
    this.log.info(
      { build: name, buildId: existing?.metadata?.labels?.[Labels.buildId] },
      'pod exists: adopted',
    );
  }

  async status(name: string): Promise<BuildStatus> {
    const pod = await this.read(name);
    return pod ? buildStatusOf(pod) : { phase: 'missing' };
  }

  /** Deletes the Pod (Prow's abort: the kubelet stops the containers). Idempotent. */
  async stop(name: string): Promise<void> {
    try {
      await this.api.deleteNamespacedPod(this.where(name));
      this.log.info({ build: name }, 'pod deleted');
    } catch (err) {
      if (apiStatus(err)?.code === 404) return;
      throw new Error(`delete pod ${this.namespace}/${name}: ${describeApiError(err)}`, {
        cause: err,
      });
    }
  }

  delete(name: string): Promise<void> {
    return this.stop(name);
  }

  /** Every Pod plank created (label created-by-prow=true) in the namespace. */
  async list(): Promise<BuildInfo[]> {
    const out: BuildInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.api.listNamespacedPod({
        namespace: this.namespace,
        labelSelector: `${Labels.createdByProw}=true`,
        limit: 500,
        ...(token ? { _continue: token } : {}),
      });
      for (const pod of page.items) out.push(buildInfoOf(pod));
      token = page.metadata?._continue || undefined;
    } while (token);
    return out;
  }

  watch(name: string, onDone: (name: string) => void): void {
    this.watcher.add(name, onDone);
  }

  /** The `test` container's log (the first container's when there is none); '' before it ran. */
  async readLog(name: string, opts: { tailBytes?: number } = {}): Promise<string | undefined> {
    const pod = await this.read(name);
    if (!pod) return undefined;
    const names = (pod.spec?.containers ?? []).map((c) => c.name);
    const container = names.includes(TEST_CONTAINER) ? TEST_CONTAINER : names[0];
    let text: string;
    try {
      text = await this.api.readNamespacedPodLog({
        ...this.where(name),
        ...(container ? { container } : {}),
      });
    } catch (err) {
      const s = apiStatus(err);
      if (s?.code === 404) return undefined;
      if (s?.code === 400) return ''; // the container has not started yet
      throw new Error(`read log of pod ${this.namespace}/${name}: ${describeApiError(err)}`, {
        cause: err,
      });
    }
    const tail = opts.tailBytes;
    const bytes = Buffer.from(text);
    if (tail === undefined || bytes.length <= tail) return text;
    const from = bytes.length - tail;
    return `[… ${from} earlier bytes not shown …]\n${bytes.subarray(from).toString('utf8')}`;
  }

  async close(): Promise<void> {
    this.watcher.close();
  }
}
