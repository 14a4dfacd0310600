// The decoration, reporter, rerun-auth and defaults types of a ProwJobSpec
// (kubernetes-sigs/prow:pkg/apis/prowjobs/v1/types.go), by Go field name and json tag.
import { f, MetaDuration, opaque, ProwDuration, struct } from './go-types.js';
import { T, mapOf, namedString, ptrTo, sliceOf, type GoType } from './values.js';

const ProwJobState = namedString('v1.ProwJobState');

const SecretKey = (name: string): GoType =>
  struct(name, () => [f('Name', 'name', T.string), f('Key', 'key', T.string)]);

const UtilityImages = struct('v1.UtilityImages', () => [
  f('CloneRefs', 'clonerefs', T.string),
  f('InitUpload', 'initupload', T.string),
  f('Entrypoint', 'entrypoint', T.string),
  f('Sidecar', 'sidecar', T.string),
]);

export const GCSConfiguration = struct('v1.GCSConfiguration', () => [
  f('Bucket', 'bucket', T.string),
  f('PathPrefix', 'path_prefix', T.string),
  f('PathStrategy', 'path_strategy', T.string),
  f('DefaultOrg', 'default_org', T.string),
  f('DefaultRepo', 'default_repo', T.string),
  f('MediaTypes', 'mediaTypes', mapOf(T.string, T.string)),
  f('JobURLPrefix', 'job_url_prefix', T.string),
  f('LocalOutputDir', 'local_output_dir', T.string),
  f('CompressFileTypes', 'compress_file_types', sliceOf(T.string)),
]);

const ResourceRequirements = opaque('v1.ResourceRequirements');
const Resources = struct('v1.Resources', () => [
  f('CloneRefs', 'clonerefs', ptrTo(ResourceRequirements)),
  f('InitUpload', 'initupload', ptrTo(ResourceRequirements)),
  f('PlaceEntrypoint', 'place_entrypoint', ptrTo(ResourceRequirements)),
  f('Sidecar', 'sidecar', ptrTo(ResourceRequirements)),
]);

const CensoringOptions = struct('v1.CensoringOptions', () => [
  f('CensoringConcurrency', 'censoring_concurrency', ptrTo(T.int64)),
  f('CensoringBufferSize', 'censoring_buffer_size', ptrTo(T.int)),
  f('IncludeDirectories', 'include_directories', sliceOf(T.string)),
  f('ExcludeDirectories', 'exclude_directories', sliceOf(T.string)),
  f('MinimumSecretLength', 'minimum_secret_length', ptrTo(T.int)),
]);

const SchedulingOptions = struct('v1.SchedulingOptions', () => [
  f('Affinity', 'affinity', ptrTo(opaque('v1.Affinity'))),
  f('Tolerations', 'tolerations', sliceOf(opaque('v1.Toleration'))),
]);

export const DecorationConfig = struct('v1.DecorationConfig', () => [
  f('Timeout', 'timeout', ptrTo(ProwDuration)),
  f('GracePeriod', 'grace_period', ptrTo(ProwDuration)),
  f('UtilityImages', 'utility_images', ptrTo(UtilityImages)),
  f('Resources', 'resources', ptrTo(Resources)),
  f('GCSConfiguration', 'gcs_configuration', ptrTo(GCSConfiguration)),
  f('GCSCredentialsSecret', 'gcs_credentials_secret', ptrTo(T.string)),
  f('S3CredentialsSecret', 's3_credentials_secret', ptrTo(T.string)),
  f('DefaultServiceAccountName', 'default_service_account_name', ptrTo(T.string)),
  f('SSHKeySecrets', 'ssh_key_secrets', sliceOf(T.string)),
  f('SSHHostFingerprints', 'ssh_host_fingerprints', sliceOf(T.string)),
  f('BloblessFetch', 'blobless_fetch', ptrTo(T.bool)),
  f('SparseCheckoutFiles', 'sparse_checkout_files', sliceOf(T.string)),
  f('SkipCloning', 'skip_cloning', ptrTo(T.bool)),
  f('CookiefileSecret', 'cookiefile_secret', ptrTo(T.string)),
  f('OauthTokenSecret', 'oauth_token_secret', ptrTo(SecretKey('v1.OauthTokenSecret'))),
  f('GitHubAPIEndpoints', 'github_api_endpoints', sliceOf(T.string)),
  f('GitHubAppID', 'github_app_id', T.string),
  f(
    'GitHubAppPrivateKeySecret',
    'github_app_private_key_secret',
    ptrTo(SecretKey('v1.GitHubAppPrivateKeySecret')),
  ),
  f('CensorSecrets', 'censor_secrets', ptrTo(T.bool)),
  f('CensoringOptions', 'censoring_options', ptrTo(CensoringOptions)),
  f('UploadIgnoresInterrupts', 'upload_ignores_interrupts', ptrTo(T.bool)),
  f('SetLimitEqualsMemoryRequest', 'set_limit_equals_memory_request', ptrTo(T.bool)),
  f('DefaultMemoryRequest', 'default_memory_request', ptrTo(opaque('resource.Quantity'))),
  f('SchedulingOptions', 'scheduling_options', ptrTo(SchedulingOptions)),
  f('PodPendingTimeout', 'pod_pending_timeout', ptrTo(MetaDuration)),
  f('PodRunningTimeout', 'pod_running_timeout', ptrTo(MetaDuration)),
  f('PodUnscheduledTimeout', 'pod_unscheduled_timeout', ptrTo(MetaDuration)),
  f('RunAsUser', 'run_as_user', ptrTo(T.int64)),
  f('RunAsGroup', 'run_as_group', ptrTo(T.int64)),
  f('FsGroup', 'fs_group', ptrTo(T.int64)),
]);

const SlackReporterConfig = struct('v1.SlackReporterConfig', () => [
  f('Host', 'host', T.string),
  f('Channel', 'channel', T.string),
  f('JobStatesToReport', 'job_states_to_report', sliceOf(ProwJobState)),
  f('ReportTemplate', 'report_template', T.string),
  f('Report', 'report', ptrTo(T.bool)),
]);
export const ReporterConfig = struct('v1.ReporterConfig', () => [
  f('Slack', 'slack', ptrTo(SlackReporterConfig)),
]);

const GitHubTeamSlug = struct('v1.GitHubTeamSlug', () => [
  f('Slug', 'slug', T.string),
  f('Org', 'org', T.string),
]);
export const RerunAuthConfig = struct('v1.RerunAuthConfig', () => [
  f('AllowAnyone', 'allow_anyone', T.bool),
  f('GitHubTeamIDs', 'github_team_ids', sliceOf(T.int)),
  f('GitHubTeamSlugs', 'github_team_slugs', sliceOf(GitHubTeamSlug)),
  f('GitHubUsers', 'github_users', sliceOf(T.string)),
  f('GitHubOrgs', 'github_orgs', sliceOf(T.string)),
]);

export const ProwJobDefault = struct('v1.ProwJobDefault', () => [
  f(
    'ResultStoreConfig',
    'resultstore_config',
    ptrTo(struct('v1.ResultStoreConfig', () => [f('ProjectID', 'project_id', T.string)])),
  ),
  f('TenantID', 'tenant_id', T.string),
]);
