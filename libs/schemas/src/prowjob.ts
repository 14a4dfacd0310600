// ProwJob, prow.k8s.io/v1, as Prow defines it (kubernetes-sigs/prow:pkg/apis/prowjobs/v1/types.go).
// Field names are Prow's JSON names (snake_case in spec/status), so a ProwJob written here is a valid
// custom resource for Prow's CRD and the other way round. Unknown fields are kept, not rejected.
import Type from 'typebox';

const Open = { additionalProperties: true } as const;

export const ProwJobStates = [
  'scheduling',
  'triggered',
  'pending',
  'success',
  'failure',
  'aborted',
  'error',
] as const;
export const ProwJobState = Type.Union([
  Type.Literal('scheduling'),
  Type.Literal('triggered'),
  Type.Literal('pending'),
  Type.Literal('success'),
  Type.Literal('failure'),
  Type.Literal('aborted'),
  Type.Literal('error'),
]);
export type ProwJobState = Type.Static<typeof ProwJobState>;

export const ProwJobTypes = ['presubmit', 'postsubmit', 'periodic', 'batch'] as const;
export const ProwJobType = Type.Union([
  Type.Literal('presubmit'),
  Type.Literal('postsubmit'),
  Type.Literal('periodic'),
  Type.Literal('batch'),
]);
export type ProwJobType = Type.Static<typeof ProwJobType>;

export const Pull = Type.Object(
  {
    number: Type.Integer(),
    author: Type.String(),
    sha: Type.String(),
    title: Type.Optional(Type.String()),
    ref: Type.Optional(Type.String()),
    head_ref: Type.Optional(Type.String()),
    link: Type.Optional(Type.String()),
    commit_link: Type.Optional(Type.String()),
    author_link: Type.Optional(Type.String()),
  },
  Open,
);
export type Pull = Type.Static<typeof Pull>;

export const Refs = Type.Object(
  {
    org: Type.String(),
    repo: Type.String(),
    repo_link: Type.Optional(Type.String()),
    base_ref: Type.Optional(Type.String()),
    base_sha: Type.Optional(Type.String()),
    base_link: Type.Optional(Type.String()),
    pulls: Type.Optional(Type.Array(Pull)),
    path_alias: Type.Optional(Type.String()),
    workdir: Type.Optional(Type.Boolean()),
    clone_uri: Type.Optional(Type.String()),
    skip_submodules: Type.Optional(Type.Boolean()),
    clone_depth: Type.Optional(Type.Integer()),
    skip_fetch_head: Type.Optional(Type.Boolean()),
  },
  Open,
);
export type Refs = Type.Static<typeof Refs>;

/** A core/v1 Container, reduced to what jetprow reads; every other field passes through. */
export const Container = Type.Object(
  {
    name: Type.Optional(Type.String()),
    image: Type.Optional(Type.String()),
    command: Type.Optional(Type.Array(Type.String())),
    args: Type.Optional(Type.Array(Type.String())),
    workingDir: Type.Optional(Type.String()),
    env: Type.Optional(
      Type.Array(Type.Object({ name: Type.String(), value: Type.Optional(Type.String()) }, Open)),
    ),
  },
  Open,
);
export type Container = Type.Static<typeof Container>;

export const PodSpec = Type.Object({ containers: Type.Array(Container) }, Open);
export type PodSpec = Type.Static<typeof PodSpec>;

export const ProwJobSpec = Type.Object(
  {
    type: ProwJobType,
    agent: Type.Optional(Type.String()),
    cluster: Type.Optional(Type.String()),
    namespace: Type.Optional(Type.String()),
    job: Type.String(),
    refs: Type.Optional(Refs),
    extra_refs: Type.Optional(Type.Array(Refs)),
    report: Type.Optional(Type.Boolean()),
    context: Type.Optional(Type.String()),
    rerun_command: Type.Optional(Type.String()),
    max_concurrency: Type.Optional(Type.Integer({ minimum: 0 })),
    job_queue_name: Type.Optional(Type.String()),
    error_on_eviction: Type.Optional(Type.Boolean()),
    pod_spec: Type.Optional(PodSpec),
    decoration_config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    hidden: Type.Optional(Type.Boolean()),
  },
  Open,
);
export type ProwJobSpec = Type.Static<typeof ProwJobSpec>;

export const ProwJobStatus = Type.Object(
  {
    startTime: Type.String(),
    pendingTime: Type.Optional(Type.String()),
    completionTime: Type.Optional(Type.String()),
    state: Type.Optional(ProwJobState),
    description: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    pod_name: Type.Optional(Type.String()),
    build_id: Type.Optional(Type.String()),
    pod_revival_count: Type.Optional(Type.Integer()),
    prev_report_states: Type.Optional(Type.Record(Type.String(), ProwJobState)),
  },
  Open,
);
export type ProwJobStatus = Type.Static<typeof ProwJobStatus>;

export const ObjectMeta = Type.Object(
  {
    name: Type.String(),
    namespace: Type.Optional(Type.String()),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
    resourceVersion: Type.Optional(Type.String()),
    creationTimestamp: Type.Optional(Type.String()),
    uid: Type.Optional(Type.String()),
  },
  Open,
);
export type ObjectMeta = Type.Static<typeof ObjectMeta>;

export const ProwJob = Type.Object(
  {
    apiVersion: Type.Literal('prow.k8s.io/v1'),
    kind: Type.Literal('ProwJob'),
    metadata: ObjectMeta,
    spec: ProwJobSpec,
    status: ProwJobStatus,
  },
  Open,
);
export type ProwJob = Type.Static<typeof ProwJob>;

/** Prow's `Complete()`: a job is complete once it has a completion time. */
export function isComplete(pj: ProwJob): boolean {
  return pj.status.completionTime !== undefined && pj.status.completionTime !== '';
}
