// The Pod of a ProwJob, built as Prow builds it (pkg/pod-utils/decorate/podspec.go
// ProwJobToPodLocal, plus plank's startPod): name = ProwJob name, the job's pod_spec with
// restartPolicy Never, a lone container named `test`, the service account token not mounted unless
// a service account is named, Prow's env vars appended (sorted by name) to every container, or,
// for a job with a decoration_config, the decorated spec (decorate.ts: clonerefs, initupload,
// place-entrypoint, the entrypoint wrapper, the sidecar, the logs/tools/code volumes);
// terminationMessagePolicy FallbackToLogsOnError where unset, and Prow's labels and annotations
// (LabelsAndAnnotationsForJob + prow.k8s.io/plank-version). Pure.
import { labelsAndAnnotationsForSpec } from '@jetprow/core';
import { Labels, type ProwJob } from '@jetprow/schemas';
import { decorate } from './decorate.js';
import { BuildStartError } from './job-runner.js';
import { kubeEnv, type PodManifest } from './pod-manifest.js';

export { kubeEnv, type PodContainer, type PodManifest } from './pod-manifest.js';

/** Prow's kube.TestContainerName. */
export const TEST_CONTAINER = 'test';

export interface PodOptions {
  /** Prow's `pod_namespace`. */
  namespace: string;
  /** The `prow.k8s.io/plank-version` label (Prow: its version.Version). */
  plankVersion: string;
}

/** Prow's LabelsAndAnnotationsForJob: the job's labels and annotations, its id and build id. */
function podLabelsAndAnnotations(
  pj: ProwJob,
  buildId: string,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const extra = { ...pj.metadata.labels, [Labels.id]: pj.metadata.name, [Labels.buildId]: buildId };
  return labelsAndAnnotationsForSpec(pj.spec, extra, { ...pj.metadata.annotations });
}

/**
 * The Pod for `pj`, `buildId` and Prow's `env` (envForProwJob). Throws BuildStartError when the
 * job has no pod_spec (Prow: `prowjob "<name>" lacks a pod spec`).
 */
export function prowJobToPod(
  pj: ProwJob,
  buildId: string,
  env: Record<string, string>,
  opts: PodOptions,
): PodManifest {
  const name = pj.metadata.name;
  if (!pj.spec.pod_spec) throw new BuildStartError(`prowjob "${name}" lacks a pod spec`);
  const spec = structuredClone(pj.spec.pod_spec) as PodManifest['spec'];
  spec.restartPolicy = 'Never';
  if (spec.containers.length === 1) spec.containers[0]!.name = TEST_CONTAINER;
  // Unset means true to Kubernetes; Prow treats it as false unless a service account is named.
  if (spec.automountServiceAccountToken === undefined && !spec.serviceAccountName) {
    spec.automountServiceAccountToken = false;
  }
  if (pj.spec.decoration_config) {
    decorate(spec, pj, { ...env });
  } else {
    const prowEnv = kubeEnv(env);
    spec.containers = spec.containers.map((c) => ({ ...c, env: [...(c.env ?? []), ...prowEnv] }));
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    c.terminationMessagePolicy ||= 'FallbackToLogsOnError';
  }
  const { labels, annotations } = podLabelsAndAnnotations(pj, buildId);
  labels[Labels.plankVersion] = opts.plankVersion;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: opts.namespace, labels, annotations },
    spec,
  };
}
