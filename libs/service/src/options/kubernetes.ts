// Prow's KubernetesOptions: which cluster holds the ProwJobs (CRs) and runs the builds (Pods).
// Neither flag: the embedded default (ProwJobs in the KV bucket, builds as local processes).
import { bool, UsageError, type OptionGroup } from './group.js';
import { readableFile } from './files.js';

export interface KubernetesOptions {
  /** Prow's --kubeconfig: ProwJobs as CRs and builds as Pods in that cluster (current context). */
  kubeconfig?: string;
  /** The Pod's own service account (in-cluster config) instead of --kubeconfig. */
  inCluster: boolean;
}

export const kubernetesOptions: OptionGroup<KubernetesOptions> = {
  title: 'Kubernetes',
  flags: [
    { name: 'kubeconfig', arg: 'FILE', help: 'ProwJobs as CRs and builds as Pods in this cluster' },
    { name: 'in-cluster', boolean: true, help: "the same with the Pod's service account" },
  ],
  parse(raw) {
    const inCluster = bool(raw, 'in-cluster') ?? false;
    if (inCluster && raw.kubeconfig !== undefined) {
      throw new UsageError('--kubeconfig and --in-cluster are mutually exclusive');
    }
    if (
      inCluster &&
      !(process.env.KUBERNETES_SERVICE_HOST && process.env.KUBERNETES_SERVICE_PORT)
    ) {
      throw new UsageError(
        '--in-cluster: KUBERNETES_SERVICE_HOST/PORT are not set (not running in a Pod)',
      );
    }
    return { kubeconfig: readableFile(raw, 'kubeconfig'), inCluster };
  },
};
