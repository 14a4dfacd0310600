// Prow's job config (kubernetes-sigs/prow:pkg/config/jobs.go, config.go `JobConfig`) as TypeBox
// schemas. The schemas describe what a YAML file may contain (the loader checks and coerces input
// against them); the `Presubmit`/`Postsubmit`/`Periodic` types describe jobs after defaulting.
// Objects are open: fields Prow has but jetprow does not read pass through untouched.
import Type from 'typebox';
import { Refs } from '@jetprow/schemas';

const Open = { additionalProperties: true } as const;
const Str = Type.String();
const OptStr = Type.Optional(Type.String());
const OptBool = Type.Optional(Type.Boolean());
const OptInt = Type.Optional(Type.Integer());
const StrList = Type.Array(Type.String());
const StrMap = Type.Record(Type.String(), Type.String());
const AnyObject = Type.Record(Type.String(), Type.Unknown());
/** prowapi.Duration: a Go duration string, or an integer number of nanoseconds. */
const ProwDuration = Type.Union([Type.String(), Type.Integer()]);

// --- core/v1 pieces the loader reads (presets merge into these; validation inspects them) ---

export const EnvVar = Type.Object({ name: Str, value: OptStr }, Open);
export type EnvVar = Type.Static<typeof EnvVar>;

export const VolumeMount = Type.Object({ name: Str, mountPath: OptStr }, Open);
export type VolumeMount = Type.Static<typeof VolumeMount>;

export const Volume = Type.Object({ name: Str }, Open);
export type Volume = Type.Static<typeof Volume>;

export const Container = Type.Object(
  {
    name: OptStr,
    image: OptStr,
    command: Type.Optional(StrList),
    args: Type.Optional(StrList),
    env: Type.Optional(Type.Array(EnvVar)),
    volumeMounts: Type.Optional(Type.Array(VolumeMount)),
    restartPolicy: OptStr,
  },
  Open,
);
export type Container = Type.Static<typeof Container>;

/** core/v1 PodSpec; `containers` is always present after loading (empty if the YAML had none). */
export const PodSpec = Type.Object(
  {
    containers: Type.Array(Container),
    initContainers: Type.Optional(Type.Array(Container)),
    volumes: Type.Optional(Type.Array(Volume)),
    tolerations: Type.Optional(Type.Array(AnyObject)),
  },
  Open,
);
export type PodSpec = Type.Static<typeof PodSpec>;

// --- prowapi pieces (pkg/apis/prowjobs/v1/types.go) ---

const SecretRef = Type.Object({ name: OptStr, key: OptStr }, Open);

export const UtilityImages = Type.Object(
  { clonerefs: OptStr, initupload: OptStr, entrypoint: OptStr, sidecar: OptStr },
  Open,
);
export type UtilityImages = Type.Static<typeof UtilityImages>;

export const GCSConfiguration = Type.Object(
  {
    bucket: OptStr,
    path_prefix: OptStr,
    path_strategy: OptStr,
    default_org: OptStr,
    default_repo: OptStr,
    mediaTypes: Type.Optional(StrMap),
    job_url_prefix: OptStr,
    local_output_dir: OptStr,
    compress_file_types: Type.Optional(StrList),
  },
  Open,
);
export type GCSConfiguration = Type.Static<typeof GCSConfiguration>;

export const DecorationConfig = Type.Object(
  {
    timeout: Type.Optional(ProwDuration),
    grace_period: Type.Optional(ProwDuration),
    utility_images: Type.Optional(UtilityImages),
    resources: Type.Optional(AnyObject),
    gcs_configuration: Type.Optional(GCSConfiguration),
    gcs_credentials_secret: OptStr,
    s3_credentials_secret: OptStr,
    default_service_account_name: OptStr,
    ssh_key_secrets: Type.Optional(StrList),
    ssh_host_fingerprints: Type.Optional(StrList),
    blobless_fetch: OptBool,
    sparse_checkout_files: Type.Optional(StrList),
    skip_cloning: OptBool,
    cookiefile_secret: OptStr,
    oauth_token_secret: Type.Optional(SecretRef),
    github_api_endpoints: Type.Optional(StrList),
    github_app_id: OptStr,
    github_app_private_key_secret: Type.Optional(SecretRef),
    censor_secrets: OptBool,
    censoring_options: Type.Optional(AnyObject),
    upload_ignores_interrupts: OptBool,
    set_limit_equals_memory_request: OptBool,
    default_memory_request: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    scheduling_options: Type.Optional(AnyObject),
    pod_pending_timeout: OptStr,
    pod_running_timeout: OptStr,
    pod_unscheduled_timeout: OptStr,
    run_as_user: OptInt,
    run_as_group: OptInt,
    fs_group: OptInt,
  },
  Open,
);
export type DecorationConfig = Type.Static<typeof DecorationConfig>;

export const RerunAuthConfig = Type.Object(
  {
    allow_anyone: OptBool,
    github_users: Type.Optional(StrList),
    github_orgs: Type.Optional(StrList),
    github_team_ids: Type.Optional(Type.Array(Type.Integer())),
    github_team_slugs: Type.Optional(Type.Array(Type.Object({ slug: OptStr, org: OptStr }, Open))),
  },
  Open,
);
export type RerunAuthConfig = Type.Static<typeof RerunAuthConfig>;

export const ReporterConfig = Type.Object(
  {
    slack: Type.Optional(
      Type.Object(
        {
          host: OptStr,
          channel: OptStr,
          job_states_to_report: Type.Optional(StrList),
          report_template: OptStr,
          report: OptBool,
        },
        Open,
      ),
    ),
  },
  Open,
);
export type ReporterConfig = Type.Static<typeof ReporterConfig>;

export const ProwJobDefault = Type.Object(
  {
    tenant_id: OptStr,
    resultstore_config: Type.Optional(Type.Object({ project_id: OptStr }, Open)),
  },
  Open,
);
export type ProwJobDefault = Type.Static<typeof ProwJobDefault>;

// --- jobs as written in YAML ---

const JobBaseFields = {
  name: Str,
  labels: Type.Optional(StrMap),
  annotations: Type.Optional(StrMap),
  max_concurrency: OptInt,
  agent: OptStr,
  cluster: OptStr,
  namespace: OptStr,
  error_on_eviction: OptBool,
  spec: Type.Optional(PodSpec),
  pipeline_run_spec: Type.Optional(AnyObject),
  tekton_pipeline_run_spec: Type.Optional(AnyObject),
  reporter_config: Type.Optional(ReporterConfig),
  rerun_auth_config: Type.Optional(RerunAuthConfig),
  hidden: OptBool,
  prowjob_defaults: Type.Optional(ProwJobDefault),
  job_queue_name: OptStr,
  // UtilityConfig
  decorate: OptBool,
  path_alias: OptStr,
  clone_uri: OptStr,
  skip_submodules: OptBool,
  clone_depth: OptInt,
  skip_fetch_head: OptBool,
  extra_refs: Type.Optional(Type.Array(Refs)),
  decoration_config: Type.Optional(DecorationConfig),
};
/** The fields every job type has (Prow's JobBase + UtilityConfig), as written in YAML. */
export const RawJobBase = Type.Object(JobBaseFields, Open);
export type RawJobBase = Type.Static<typeof RawJobBase>;

const BrancherFields = { branches: Type.Optional(StrList), skip_branches: Type.Optional(StrList) };
const ChangeFields = { run_if_changed: OptStr, skip_if_only_changed: OptStr };
const ReporterFields = { context: OptStr, skip_report: OptBool };
const JenkinsSpec = Type.Optional(Type.Object({ github_branch_source_job: OptBool }, Open));

export const RawPresubmit = Type.Object(
  {
    ...JobBaseFields,
    ...BrancherFields,
    ...ChangeFields,
    ...ReporterFields,
    always_run: OptBool,
    optional: OptBool,
    trigger: OptStr,
    rerun_command: OptStr,
    run_before_merge: OptBool,
    jenkins_spec: JenkinsSpec,
  },
  Open,
);
export type RawPresubmit = Type.Static<typeof RawPresubmit>;

export const RawPostsubmit = Type.Object(
  {
    ...JobBaseFields,
    ...BrancherFields,
    ...ChangeFields,
    ...ReporterFields,
    always_run: OptBool,
    jenkins_spec: JenkinsSpec,
  },
  Open,
);
export type RawPostsubmit = Type.Static<typeof RawPostsubmit>;

export const Retry = Type.Object({ run_all: OptBool, attempts: OptInt, interval: OptStr }, Open);
export type Retry = Type.Static<typeof Retry>;

export const RawPeriodic = Type.Object(
  {
    ...JobBaseFields,
    cron: OptStr,
    interval: OptStr,
    minimum_interval: OptStr,
    tags: Type.Optional(StrList),
    retry: Type.Optional(Retry),
  },
  Open,
);
export type RawPeriodic = Type.Static<typeof RawPeriodic>;

export const Preset = Type.Object(
  {
    labels: Type.Optional(StrMap),
    env: Type.Optional(Type.Array(EnvVar)),
    volumes: Type.Optional(Type.Array(Volume)),
    volumeMounts: Type.Optional(Type.Array(VolumeMount)),
    tolerations: Type.Optional(Type.Array(AnyObject)),
  },
  Open,
);
export type Preset = Type.Static<typeof Preset>;

// --- jobs after loading (defaults applied, `source_path` recorded) ---

interface Defaulted {
  /** Defaults to `kubernetes`. */
  agent: string;
  /** Build cluster alias; defaults to `default`. */
  cluster: string;
  /** Pod namespace; defaults to config.yaml `pod_namespace`. */
  namespace: string;
  /** The file the job was read from (Prow's `SourcePath`). */
  source_path: string;
  /** Resolved from the job, else `decorate_all_jobs`. */
  decorate: boolean;
  /** With `decorate`, the job's config merged over `plank.default_decoration_config_entries`. */
  decoration_config?: DecorationConfig;
  /** Merged over `prowjob_default_entries`; `tenant_id` defaults to `GlobalDefaultID`. */
  prowjob_defaults: ProwJobDefault;
}

/** What every loaded job has, whatever its type. */
export type JobBase = RawJobBase & Defaulted;

export type Presubmit = RawPresubmit &
  Defaulted & {
    always_run: boolean;
    /** Defaults to the job name. */
    context: string;
    /** Defaults to `(?m)^/test( | .* )<name>,?($|\s.*)` (only when rerun_command is unset too). */
    trigger: string;
    /** Defaults to `/test <name>`. */
    rerun_command: string;
  };

export type Postsubmit = RawPostsubmit & Defaulted & { context: string };

/** `retry` after loading: `attempts` defaults to 0; `interval` parsed (see Periodic). */
export type PeriodicRetry = Retry & {
  attempts: number;
  /** `interval` in milliseconds (NaN when it does not parse: the load fails). */
  interval_ms: number;
};

/**
 * A periodic after loading. Its durations are parsed once, as Prow's validation does
 * (`SetInterval`, `SetMinimumInterval`): `<key>_ms` is the value in milliseconds, 0 when the key
 * is unset (Prow's zero Duration), NaN when it does not parse (the load then fails).
 */
export type Periodic = RawPeriodic &
  Defaulted & {
    interval_ms: number;
    minimum_interval_ms: number;
    retry?: PeriodicRetry;
  };

export type AnyJob = Presubmit | Postsubmit | Periodic;

/** All jobs, after loading: presubmits/postsubmits keyed by `org/repo`. */
export interface JobConfig {
  presubmits: Record<string, Presubmit[]>;
  postsubmits: Record<string, Postsubmit[]>;
  periodics: Periodic[];
  presets: Preset[];
  decorate_all_jobs: boolean;
}
