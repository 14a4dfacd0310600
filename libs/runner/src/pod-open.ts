// Opening a service's runner without loading @kubernetes/client-node into every process: the
// index exports this, and the Kubernetes modules load only when a cluster is used (plank and
// sinker on the embedded default never import client-node).
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { JobRunner } from './job-runner.js';
import { LocalProcessRunner, type RunnerLog } from './local-process-runner.js';

export interface JobRunnerChoice {
  /** The cluster (--kubeconfig / --in-cluster); undefined on the embedded default. */
  kubeConfig: KubeConfig | undefined;
  /** Prow's `pod_namespace`: where the Pods are, with a cluster. */
  podNamespace: string;
  /** --data-dir: local builds live in its `builds/`. */
  dataDir: string;
  log: RunnerLog;
}

/**
 * The runner plank starts builds with and sinker deletes them with, so the two always agree:
 * Pods in `pod_namespace` with a cluster, else local processes in `<data-dir>/builds`.
 */
export async function openJobRunner(opts: JobRunnerChoice): Promise<JobRunner> {
  const { kubeConfig, log } = opts;
  if (!kubeConfig) return new LocalProcessRunner({ dir: join(opts.dataDir, 'builds'), log });
  const { PodRunner } = await import('./pod-runner.js');
  return new PodRunner({ kubeConfig, namespace: opts.podNamespace, log });
}
