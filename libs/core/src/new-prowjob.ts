// Building ProwJobs from job config, as Prow's pkg/pjutil/pjutil.go (NewProwJob, PresubmitSpec,
// PostsubmitSpec, PeriodicSpec) and pkg/pod-utils/decorate/podspec.go (LabelsAndAnnotationsForSpec).
import type { ProwJob, ProwJobSpec, Refs, PodSpec } from '@jetprow/schemas';
import { Labels } from '@jetprow/schemas';
import { basename } from 'node:path';
import { isValidLabelValue, LABEL_VALUE_MAX } from './k8s-names.js';

/** The job-config fields these builders read (structurally satisfied by @jetprow/config's types). */
export interface JobBaseLike {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  agent?: string;
  cluster?: string;
  namespace?: string;
  max_concurrency?: number;
  error_on_eviction?: boolean;
  extra_refs?: Refs[];
  decoration_config?: Record<string, unknown>;
  spec?: PodSpec;
  hidden?: boolean;
  job_queue_name?: string;
  path_alias?: string;
  clone_uri?: string;
  skip_submodules?: boolean;
  clone_depth?: number;
  skip_fetch_head?: boolean;
}
export interface PresubmitLike extends JobBaseLike {
  context?: string;
  skip_report?: boolean;
  rerun_command?: string;
  optional?: boolean;
}
export interface PostsubmitLike extends JobBaseLike {
  context?: string;
  skip_report?: boolean;
}

/**
 * Kubernetes quantities are int-or-string: YAML `cpu: 1.5` reaches Prow as a resource.Quantity
 * and is written back as a string. Keep integers, write fractions as strings, as the CRD demands.
 */
function quantitiesAsStrings<T extends Record<string, unknown>>(container: T): T {
  const resources = container.resources as
    Record<string, Record<string, unknown> | undefined> | undefined;
  if (!resources) return container;
  const fixed: Record<string, Record<string, unknown> | undefined> = {};
  for (const [kind, values] of Object.entries(resources)) {
    fixed[kind] =
      values &&
      Object.fromEntries(
        Object.entries(values).map(([k, v]) => [
          k,
          typeof v === 'number' && !Number.isInteger(v) ? String(v) : v,
        ]),
      );
  }
  return { ...container, resources: fixed };
}

function specFromJobBase(jb: JobBaseLike): Omit<ProwJobSpec, 'type'> {
  const spec: Omit<ProwJobSpec, 'type'> = {
    job: jb.name,
    agent: jb.agent ?? 'kubernetes',
    cluster: jb.cluster ?? 'default',
  };
  if (jb.namespace) spec.namespace = jb.namespace;
  if (jb.max_concurrency) spec.max_concurrency = jb.max_concurrency;
  if (jb.error_on_eviction) spec.error_on_eviction = jb.error_on_eviction;
  if (jb.extra_refs?.length) spec.extra_refs = structuredClone(jb.extra_refs);
  if (jb.decoration_config) spec.decoration_config = structuredClone(jb.decoration_config);
  if (jb.spec) {
    // Go serializes corev1.Container.Name without omitempty, so Prow's ProwJobs always carry
    // `name` (often ""), and Prow's CRD requires it. Do the same.
    const pod = structuredClone(jb.spec);
    pod.containers = pod.containers.map((c) => ({ ...quantitiesAsStrings(c), name: c.name ?? '' }));
    spec.pod_spec = pod;
  }
  if (jb.hidden) spec.hidden = true;
  if (jb.job_queue_name) spec.job_queue_name = jb.job_queue_name;
  return spec;
}

function completePrimaryRefs(refs: Refs, jb: JobBaseLike): Refs {
  const r = structuredClone(refs);
  if (jb.path_alias) r.path_alias = jb.path_alias;
  if (jb.clone_uri) r.clone_uri = jb.clone_uri;
  if (jb.skip_submodules) r.skip_submodules = true;
  if (jb.clone_depth && jb.clone_depth > 0) r.clone_depth = jb.clone_depth;
  if (jb.skip_fetch_head) r.skip_fetch_head = true;
  return r;
}

export function presubmitSpec(job: PresubmitLike, refs: Refs): ProwJobSpec {
  return {
    ...specFromJobBase(job),
    type: 'presubmit',
    context: job.context ?? job.name,
    report: !job.skip_report,
    rerun_command: job.rerun_command ?? `/test ${job.name}`,
    refs: completePrimaryRefs(refs, job),
  };
}

export function postsubmitSpec(job: PostsubmitLike, refs: Refs): ProwJobSpec {
  return {
    ...specFromJobBase(job),
    type: 'postsubmit',
    context: job.context ?? job.name,
    report: !job.skip_report,
    refs: completePrimaryRefs(refs, job),
  };
}

export function periodicSpec(job: JobBaseLike): ProwJobSpec {
  return { ...specFromJobBase(job), type: 'periodic', report: true };
}

/** Prow's LabelsAndAnnotationsForSpec: standard labels, truncated job/context, invalid values fixed or dropped. */
export function labelsAndAnnotationsForSpec(
  spec: ProwJobSpec,
  extraLabels: Record<string, string> = {},
  extraAnnotations: Record<string, string> = {},
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const labels: Record<string, string> = {
    [Labels.createdByProw]: 'true',
    [Labels.type]: spec.type,
  };
  const annotations: Record<string, string> = {};
  for (const [key, value] of [
    [Labels.job, spec.job],
    [Labels.context, spec.context ?? ''],
  ] as const) {
    labels[key] =
      value.length > LABEL_VALUE_MAX
        ? value.slice(0, LABEL_VALUE_MAX).replace(/[._-]+$/, '')
        : value;
    annotations[key] = value;
  }
  const refs = spec.refs ?? spec.extra_refs?.[0];
  if (refs) {
    labels[Labels.org] = refs.org;
    labels[Labels.repo] = refs.repo;
    labels[Labels.baseRef] = refs.base_ref ?? '';
    const pull = refs.pulls?.[0];
    if (pull) labels[Labels.pull] = String(pull.number);
  }
  Object.assign(labels, extraLabels);
  for (const [key, value] of Object.entries(labels)) {
    if (isValidLabelValue(value)) continue;
    const base = basename(value);
    if (isValidLabelValue(base)) labels[key] = base;
    else delete labels[key];
  }
  Object.assign(annotations, extraAnnotations);
  return { labels, annotations };
}

export interface NewProwJobOptions {
  name: string;
  now: Date;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Prow's NewProwJob, with the name given (deterministic) instead of a random UUID. */
export function newProwJob(spec: ProwJobSpec, opts: NewProwJobOptions): ProwJob {
  const { labels, annotations } = labelsAndAnnotationsForSpec(spec, opts.labels, opts.annotations);
  const ts = opts.now.toISOString();
  return {
    apiVersion: 'prow.k8s.io/v1',
    kind: 'ProwJob',
    metadata: {
      name: opts.name,
      namespace: opts.namespace ?? 'default',
      labels,
      annotations,
      creationTimestamp: ts,
    },
    spec,
    status: { startTime: ts, state: 'triggered' },
  };
}
