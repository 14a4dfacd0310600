// Which Kubernetes cluster the Kubernetes backends talk to: Prow's `--kubeconfig` (the file's
// current context), or the in-cluster config of a Pod (service account token, CA and namespace
// under /var/run/secrets/kubernetes.io/serviceaccount, KUBERNETES_SERVICE_HOST/PORT).
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigOptions {
  /** Path to a kubeconfig file; its current context is used. */
  kubeconfig?: string;
  /** Use the Pod's service account (in-cluster config). */
  inCluster?: boolean;
}

export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
}

/**
 * Loads the cluster configuration. `serviceAccountRoot` prefixes the service account paths
 * (tests). Throws KubeConfigError naming the flag when the configuration is unusable.
 */
export function loadKubeConfig(opts: KubeConfigOptions, serviceAccountRoot = ''): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig !== undefined && opts.inCluster) {
    throw new KubeConfigError('--kubeconfig and --in-cluster are mutually exclusive');
  }
  if (opts.inCluster) {
    if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
      throw new KubeConfigError(
        '--in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (not running in a Pod)',
      );
    }
    kc.loadFromCluster(serviceAccountRoot);
  } else if (opts.kubeconfig !== undefined) {
    try {
      kc.loadFromFile(opts.kubeconfig);
    } catch (cause) {
      throw new KubeConfigError(
        `--kubeconfig: cannot load ${opts.kubeconfig}: ${(cause as Error).message}`,
        { cause },
      );
    }
  } else {
    throw new KubeConfigError('no cluster configured: give --kubeconfig or --in-cluster');
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    const where = opts.kubeconfig ? `--kubeconfig ${opts.kubeconfig}` : '--in-cluster';
    throw new KubeConfigError(
      `${where}: the current context "${kc.getCurrentContext()}" names no cluster`,
    );
  }
  return kc;
}
