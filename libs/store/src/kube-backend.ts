// Selecting the Kubernetes JobStore without loading @kubernetes/client-node into every process:
// only these functions are exported from @jetprow/store's index, and they load the Kubernetes
// modules on first use. A service on the embedded default never pays for client-node's import.
import type { KubeConfig } from '@kubernetes/client-node';
import type { JobStore } from './job-store.js';
import type { KubeConfigOptions } from './kube-config.js';
import type { KubeJobStoreOptions } from './kube-job-store.js';

/** True when a cluster is named (--kubeconfig / --in-cluster); else the embedded default runs. */
export function usesKubernetes(opts: KubeConfigOptions): boolean {
  return opts.kubeconfig !== undefined || opts.inCluster === true;
}

/** loadKubeConfig (kube-config.ts), loaded on demand. Throws KubeConfigError. */
export async function kubeConfigFor(opts: KubeConfigOptions): Promise<KubeConfig> {
  const { loadKubeConfig } = await import('./kube-config.js');
  return loadKubeConfig(opts);
}

/** KubeJobStore.open, loaded on demand. */
export async function openKubeJobStore(opts: KubeJobStoreOptions): Promise<JobStore> {
  const { KubeJobStore } = await import('./kube-job-store.js');
  return KubeJobStore.open(opts);
}
