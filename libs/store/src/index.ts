export {
  NotFoundError,
  ConflictError,
  AlreadyExistsError,
  matchesSelector,
  updateWithRetry,
} from './job-store.js';
export type { JobStore, JobChange, JobWatch, ListOptions, Selector } from './job-store.js';
export { JobInformer, INDEXED_LABELS } from './job-informer.js';
export type { InformerSource, JobInformerOptions } from './job-informer.js';
export { KvJobStore } from './kv-job-store.js';
// The Kubernetes backend is loaded on demand (kube-backend.ts): no client-node import otherwise.
export { usesKubernetes, kubeConfigFor, openKubeJobStore } from './kube-backend.js';
export type { KubeJobStoreOptions } from './kube-job-store.js';
export type { KubeLog } from './kube-job-watch.js';
export type { KubeConfigOptions } from './kube-config.js';
