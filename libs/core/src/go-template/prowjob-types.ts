// The Go types a Prow template sees (`&pj`, a *v1.ProwJob), written from the json tags of
// kubernetes-sigs/prow:pkg/apis/prowjobs/v1/types.go and k8s.io/apimachinery's ObjectMeta /
// TypeMeta / Time. Go field name → JSON key, Go type, and the methods templates can call.
// corev1.PodSpec and Tekton specs are not spelled out: their fields are read by their k8s JSON
// name (lowerCamelCase), untyped.
import type { Refs } from '@jetprow/schemas';
import { formatGoTime, unixSeconds } from './go-time.js';
import { always, f, getter, obj, opaque, struct } from './go-types.js';
import {
  DecorationConfig,
  ProwJobDefault,
  ReporterConfig,
  RerunAuthConfig,
} from './prowjob-decoration-types.js';
import { T, bool, mapOf, namedString, ptrTo, sliceOf, str, val, type GoType } from './values.js';

/** metav1.Time: JSON is an RFC 3339 string; prints as Go's time.Time.String(). */
export const TimeType: GoType = {
  kind: 'struct',
  name: 'v1.Time',
  zero: () => '',
  fields: () => [],
  methods: () => ({
    String: { call: (r) => str(formatGoTime(r.v as string)) },
    Unix: { call: (r) => val(T.int64, unixSeconds(r.v as string)) },
    IsZero: { call: (r) => bool(!r.v) },
  }),
};

const TypeMeta = struct('v1.TypeMeta', () => [
  f('Kind', 'kind', T.string),
  f('APIVersion', 'apiVersion', T.string),
]);

const ObjectMeta = struct(
  'v1.ObjectMeta',
  () => [
    f('Name', 'name', T.string),
    f('GenerateName', 'generateName', T.string),
    f('Namespace', 'namespace', T.string),
    f('SelfLink', 'selfLink', T.string),
    f('UID', 'uid', namedString('types.UID')),
    f('ResourceVersion', 'resourceVersion', T.string),
    f('Generation', 'generation', T.int64),
    f('CreationTimestamp', 'creationTimestamp', TimeType),
    f('DeletionTimestamp', 'deletionTimestamp', ptrTo(TimeType)),
    f('DeletionGracePeriodSeconds', 'deletionGracePeriodSeconds', ptrTo(T.int64)),
    f('Labels', 'labels', mapOf(T.string, T.string)),
    f('Annotations', 'annotations', mapOf(T.string, T.string)),
    f('OwnerReferences', 'ownerReferences', sliceOf(opaque('v1.OwnerReference'))),
    f('Finalizers', 'finalizers', sliceOf(T.string)),
    f('ManagedFields', 'managedFields', sliceOf(opaque('v1.ManagedFieldsEntry'))),
  ],
  () => ({
    GetName: getter(T.string, 'name'),
    GetNamespace: getter(T.string, 'namespace'),
    GetGenerateName: getter(T.string, 'generateName'),
    GetResourceVersion: getter(T.string, 'resourceVersion'),
    GetUID: getter(namedString('types.UID'), 'uid'),
    GetLabels: getter(mapOf(T.string, T.string), 'labels'),
    GetAnnotations: getter(mapOf(T.string, T.string), 'annotations'),
    GetCreationTimestamp: getter(TimeType, 'creationTimestamp'),
  }),
);

const ProwJobState = namedString('v1.ProwJobState');

export const PullType = struct('v1.Pull', () => [
  always(f('Number', 'number', T.int)),
  always(f('Author', 'author', T.string)),
  always(f('SHA', 'sha', T.string)),
  f('Title', 'title', T.string),
  f('Ref', 'ref', T.string),
  f('HeadRef', 'head_ref', T.string),
  f('Link', 'link', T.string),
  f('CommitLink', 'commit_link', T.string),
  f('AuthorLink', 'author_link', T.string),
]);

/** A Refs as a template may hold it: any field can be missing. */
type RefsData = Partial<Refs>;

/** Prow's `Refs.String()`: `<base_ref>[:<base_sha>],<pr>:<sha>[:<ref>],…` (PULL_REFS, job pages). */
export function refsString(r: RefsData): string {
  const rs = [r.base_sha ? `${r.base_ref ?? ''}:${r.base_sha}` : (r.base_ref ?? '')];
  for (const p of r.pulls ?? [])
    rs.push(p.ref ? `${p.number}:${p.sha}:${p.ref}` : `${p.number}:${p.sha}`);
  return rs.join(',');
}

export const RefsType = struct(
  'v1.Refs',
  () => [
    always(f('Org', 'org', T.string)),
    always(f('Repo', 'repo', T.string)),
    f('RepoLink', 'repo_link', T.string),
    f('BaseRef', 'base_ref', T.string),
    f('BaseSHA', 'base_sha', T.string),
    f('BaseLink', 'base_link', T.string),
    f('Pulls', 'pulls', sliceOf(PullType)),
    f('PathAlias', 'path_alias', T.string),
    f('WorkDir', 'workdir', T.bool),
    f('Auxiliary', 'auxiliary', T.bool),
    f('CloneURI', 'clone_uri', T.string),
    f('SkipSubmodules', 'skip_submodules', T.bool),
    f('CloneDepth', 'clone_depth', T.int),
    f('SkipFetchHead', 'skip_fetch_head', T.bool),
    f('BloblessFetch', 'blobless_fetch', ptrTo(T.bool)),
    f('SparseCheckoutFiles', 'sparse_checkout_files', sliceOf(T.string)),
  ],
  () => ({
    String: { call: (r) => str(refsString(obj(r.v) as RefsData)) },
    OrgRepoString: {
      call: (r) => {
        const d = obj(r.v) as RefsData;
        return str(d.repo ? `${d.org ?? ''}/${d.repo}` : (d.org ?? ''));
      },
    },
  }),
);

const JenkinsSpec = struct('v1.JenkinsSpec', () => [
  f('GitHubBranchSourceJob', 'github_branch_source_job', T.bool),
]);
const TektonPipelineRunSpec = struct('v1.TektonPipelineRunSpec', () => [
  f('V1Beta1', 'v1beta1', ptrTo(opaque('v1beta1.PipelineRunSpec'))),
]);

export const ProwJobSpecType = struct(
  'v1.ProwJobSpec',
  () => [
    f('Type', 'type', namedString('v1.ProwJobType')),
    f('Agent', 'agent', namedString('v1.ProwJobAgent')),
    f('Cluster', 'cluster', T.string),
    f('Namespace', 'namespace', T.string),
    f('Job', 'job', T.string),
    f('Refs', 'refs', ptrTo(RefsType)),
    f('ExtraRefs', 'extra_refs', sliceOf(RefsType)),
    f('Report', 'report', T.bool),
    f('Context', 'context', T.string),
    f('RerunCommand', 'rerun_command', T.string),
    f('MaxConcurrency', 'max_concurrency', T.int),
    f('ErrorOnEviction', 'error_on_eviction', T.bool),
    f('PodSpec', 'pod_spec', ptrTo(opaque('v1.PodSpec'))),
    f('JenkinsSpec', 'jenkins_spec', ptrTo(JenkinsSpec)),
    f('PipelineRunSpec', 'pipeline_run_spec', ptrTo(opaque('v1.PipelineRunSpec'))),
    f('TektonPipelineRunSpec', 'tekton_pipeline_run_spec', ptrTo(TektonPipelineRunSpec)),
    f('DecorationConfig', 'decoration_config', ptrTo(DecorationConfig)),
    f('ReporterConfig', 'reporter_config', ptrTo(ReporterConfig)),
    f('RerunAuthConfig', 'rerun_auth_config', ptrTo(RerunAuthConfig)),
    f('Hidden', 'hidden', T.bool),
    f('ProwJobDefault', 'prowjob_defaults', ptrTo(ProwJobDefault)),
    f('JobQueueName', 'job_queue_name', T.string),
  ],
  () => ({
    HasPipelineRunSpec: {
      call: (r) => {
        const d = obj(r.v);
        const tekton = obj(d.tekton_pipeline_run_spec).v1beta1;
        return bool(Boolean(tekton) || Boolean(d.pipeline_run_spec));
      },
    },
  }),
);

export const ProwJobStatusType = struct('v1.ProwJobStatus', () => [
  f('StartTime', 'startTime', TimeType),
  f('PendingTime', 'pendingTime', ptrTo(TimeType)),
  f('CompletionTime', 'completionTime', ptrTo(TimeType)),
  f('State', 'state', ProwJobState),
  f('Description', 'description', T.string),
  f('URL', 'url', T.string),
  f('PodRevivalCount', 'pod_revival_count', T.int),
  f('PodName', 'pod_name', T.string),
  f('BuildID', 'build_id', T.string),
  f('JenkinsBuildID', 'jenkins_build_id', T.string),
  f('PrevReportStates', 'prev_report_states', mapOf(T.string, ProwJobState)),
]);

export const ProwJobType = struct(
  'v1.ProwJob',
  () => [
    { name: 'TypeMeta', type: TypeMeta, inline: true, embedded: true },
    { name: 'ObjectMeta', type: ObjectMeta, json: 'metadata', embedded: true },
    f('Spec', 'spec', ProwJobSpecType),
    f('Status', 'status', ProwJobStatusType),
  ],
  () => ({
    Complete: { call: (r) => bool(Boolean(obj(obj(r.v).status).completionTime)) },
    ClusterAlias: {
      call: (r) => str((obj(obj(r.v).spec).cluster as string | undefined) || 'default'),
    },
  }),
);

/** The template's data for a ProwJob: `&pj`, as Prow passes it. */
export const ProwJobPtr = ptrTo(ProwJobType);
