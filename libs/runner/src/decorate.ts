// Pod decoration for `decorate: true` jobs, as Prow's pkg/pod-utils/decorate/podspec.go
// `decorate()` does it: the init containers clonerefs (checks the refs out into the code volume),
// initupload (uploads started.json and the clone log) and place-entrypoint (copies the entrypoint
// binary into the tools volume); every test container's command wrapped by /tools/entrypoint
// (timeout, grace period, process log and marker file in the logs volume); a sidecar container
// that waits for the markers and uploads logs and artifacts; the logs, tools and code volumes;
// and the decoration config's secrets, resources, security context, scheduling and service
// account. Each utility reads its options as JSON in an env var (CLONEREFS_OPTIONS, …), written
// here byte for byte as Prow's json.Marshal writes them. Pure: mutates only the spec it is given.
import {
  goJsonOrder,
  goJsonStringify,
  GCSConfigurationType,
  parseGoDuration,
  RefsType,
} from '@jetprow/core';
import type { DecorationConfig as ConfigDecorationConfig } from '@jetprow/config';
import type { ProwJob, Refs } from '@jetprow/schemas';
import { BuildStartError } from './job-runner.js';
import { kubeEnv, type PodContainer, type PodManifest } from './pod-manifest.js';

type Json = Record<string, unknown>;
interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Volume extends Json {
  name: string;
}
/**
 * @jetprow/config's DecorationConfig, with the nested objects it keeps open (Kubernetes types,
 * censoring options) typed as decorate() reads them.
 */
type DecorationConfig = ConfigDecorationConfig & {
  resources?: { clonerefs?: Json; initupload?: Json; place_entrypoint?: Json; sidecar?: Json };
  censoring_options?: {
    censoring_concurrency?: number;
    censoring_buffer_size?: number;
    include_directories?: string[];
    exclude_directories?: string[];
    minimum_secret_length?: number;
  };
  scheduling_options?: { affinity?: Json; tolerations?: Json[] };
};

export const LOG_MOUNT: VolumeMount = { name: 'logs', mountPath: '/logs' };
export const CODE_MOUNT: VolumeMount = { name: 'code', mountPath: '/home/prow/go' };
export const TOOLS_MOUNT: VolumeMount = { name: 'tools', mountPath: '/tools' };
const ARTIFACTS_PATH = '/logs/artifacts';
const GCS_CREDENTIALS = { name: 'gcs-credentials', mountPath: '/secrets/gcs' };
const S3_CREDENTIALS = { name: 's3-credentials', mountPath: '/secrets/s3-storage' };
/** Prow's DefaultAPIEndpoint and clonerefs' default git identity. */
const GITHUB_API = 'https://api.github.com';
const GIT_USER_NAME = 'ci-robot';
const GIT_USER_EMAIL = 'ci-robot@k8s.io';

const CLONEREFS = 'clonerefs';
const INITUPLOAD = 'initupload';
const PLACE_ENTRYPOINT = 'place-entrypoint';
const SIDECAR = 'sidecar';

/** Go's time.Duration of a Prow Duration (a Go duration string or nanoseconds); nil → 0. */
function durationNs(d: string | number | undefined): number {
  const ns = parseGoDuration(d);
  if (Number.isNaN(ns))
    throw new BuildStartError(`decoration_config: invalid duration ${JSON.stringify(d)}`);
  return Math.round(ns);
}

/** clone.PathForRefs: where clonerefs checks `refs` out under `base`. */
function pathForRefs(base: string, refs: Refs): string {
  let clonePath: string;
  if (refs.path_alias) clonePath = refs.path_alias;
  else if (refs.repo_link) clonePath = refs.repo_link.split('://').at(-1)!;
  else clonePath = `github.com/${refs.org}/${refs.repo}`;
  return `${base}/src/${clonePath}`.replace(/\/+/g, '/').replace(/\/$/, '');
}

/** DetermineWorkDir: the refs marked `workdir`, else the first. */
function determineWorkDir(base: string, refs: Refs[]): string {
  return pathForRefs(base, refs.find((r) => r.workdir) ?? refs[0]!);
}

function secretVolume(name: string, secretName: string, extra: Json = {}): Volume {
  return { name, secret: { secretName, ...extra } };
}

interface CloneRefs {
  container: PodContainer;
  refs: Refs[];
  volumes: Volume[];
}

/** CloneRefs: undefined when cloning is skipped or there is nothing to clone. */
function cloneRefs(pj: ProwJob, dc: DecorationConfig): CloneRefs | undefined {
  if (dc.skip_cloning) return undefined;
  const refs: Refs[] = [...(pj.spec.refs ? [pj.spec.refs] : []), ...(pj.spec.extra_refs ?? [])];
  if (refs.length === 0) return undefined;

  const mounts: VolumeMount[] = [];
  const volumes: Volume[] = [];
  const keyFiles: string[] = [];
  for (const secret of dc.ssh_key_secrets ?? []) {
    const name = `ssh-keys-${secret}`;
    const mountPath = `/secrets/ssh/${secret}`;
    volumes.push(secretVolume(name, secret, { defaultMode: 0o400 }));
    mounts.push({ name, mountPath, readOnly: true });
    keyFiles.push(mountPath);
  }
  const keyVolume = (
    { name = '', key = '' }: { name?: string; key?: string },
    mountPath: string,
  ) => {
    volumes.push(secretVolume(name, name, { items: [{ key, path: `./${key}` }] }));
    mounts.push({ name, mountPath, readOnly: true });
    return `${mountPath}/${key}`;
  };
  const oauthTokenFile = dc.oauth_token_secret
    ? keyVolume(dc.oauth_token_secret, '/secrets/oauth')
    : undefined;
  const githubAPIEndpoints = dc.github_api_endpoints?.length
    ? dc.github_api_endpoints
    : [GITHUB_API];
  const appKeyFile = dc.github_app_private_key_secret
    ? keyVolume(dc.github_app_private_key_secret, '/secrets/github-app')
    : undefined;
  volumes.push({ name: 'clonerefs-tmp', emptyDir: {} });
  mounts.push({ name: 'clonerefs-tmp', mountPath: '/tmp' });

  const args: string[] = [];
  let cookiePath: string | undefined;
  if (dc.cookiefile_secret) {
    // secret-name[/key-in-secret]; the key defaults to the secret's name.
    const [secret, base = secret] = dc.cookiefile_secret.split(/\/(.*)/s) as [string, string?];
    volumes.push(secretVolume('cookiefile', secret, { defaultMode: 0o400 }));
    mounts.push({ name: 'cookiefile', mountPath: '/secrets/cookiefile', readOnly: true });
    cookiePath = `/secrets/cookiefile/${base}`.replace(/\/+/g, '/');
    args.push(`--cookiefile=${cookiePath}`);
  }

  // clonerefs.Options, in its json field order, omitempty as tagged.
  const options: Json = {
    src_root: CODE_MOUNT.mountPath,
    log: `${LOG_MOUNT.mountPath}/clone.json`,
    git_user_name: GIT_USER_NAME,
    git_user_email: GIT_USER_EMAIL,
    refs: refs.map((r) => goJsonOrder(RefsType, r)),
    key_files: keyFiles.length ? keyFiles : undefined,
    oauth_token_file: oauthTokenFile,
    host_fingerprints: dc.ssh_host_fingerprints?.length ? dc.ssh_host_fingerprints : undefined,
    cookie_path: cookiePath,
    github_api_endpoints: githubAPIEndpoints,
    github_app_id: dc.github_app_id || undefined,
    github_app_private_key_file: appKeyFile,
  };
  const container: PodContainer = {
    name: CLONEREFS,
    image: dc.utility_images?.clonerefs ?? '',
    ...(args.length ? { args } : {}),
    env: kubeEnv({ CLONEREFS_OPTIONS: goJsonStringify(options) }),
    volumeMounts: [LOG_MOUNT, CODE_MOUNT, ...mounts],
    ...(dc.resources?.clonerefs ? { resources: dc.resources.clonerefs } : {}),
  };
  return { container, refs, volumes };
}

interface BlobStorage {
  volumes: Volume[];
  mounts: VolumeMount[];
  /** gcsupload.Options without `items`: the embedded GCSConfiguration and credential files. */
  options: Json;
}

/** BlobStorageOptions (not local mode): credentials volumes and the upload options. */
function blobStorage(dc: DecorationConfig): BlobStorage {
  const volumes: Volume[] = [];
  const mounts: VolumeMount[] = [];
  const files: Json = {};
  if (dc.gcs_credentials_secret) {
    volumes.push(secretVolume(GCS_CREDENTIALS.name, dc.gcs_credentials_secret));
    mounts.push({ ...GCS_CREDENTIALS });
    files.gcs_credentials_file = `${GCS_CREDENTIALS.mountPath}/service-account.json`;
  }
  if (dc.s3_credentials_secret) {
    volumes.push(secretVolume(S3_CREDENTIALS.name, dc.s3_credentials_secret));
    mounts.push({ ...S3_CREDENTIALS });
    files.s3_credentials_file = `${S3_CREDENTIALS.mountPath}/service-account.json`;
  }
  const gcs = goJsonOrder(GCSConfigurationType, dc.gcs_configuration ?? {}) as Json;
  return { volumes, mounts, options: { ...gcs, ...files, dry_run: false } };
}

/** gcsupload.Options JSON: items, sub_dir, the embedded GCSConfiguration, credentials, dry_run. */
function gcsOptions(blob: BlobStorage, items: string[]): Json {
  return { ...(items.length ? { items } : {}), ...blob.options };
}

interface Wrapper extends Json {
  args?: string[];
  container_name?: string;
  process_log: string;
  marker_file: string;
  metadata_file: string;
}

/** InjectEntrypoint: run `c` through /tools/entrypoint; returns the wrapper options. */
function injectEntrypoint(c: PodContainer, dc: DecorationConfig, prefix: string): Wrapper {
  const command = [
    ...((c.command as string[] | undefined) ?? []),
    ...((c.args as string[] | undefined) ?? []),
  ];
  const log = (suffix: string, fallback: string) =>
    `${LOG_MOUNT.mountPath}/${prefix ? `${prefix}-${suffix}` : fallback}`;
  const wrapper: Wrapper = {
    ...(command.length ? { args: command } : {}),
    ...(c.name ? { container_name: c.name } : {}),
    process_log: log('log.txt', 'process-log.txt'),
    marker_file: log('marker.txt', 'marker-file.txt'),
    metadata_file: `${ARTIFACTS_PATH}/${prefix ? `${prefix}-metadata.json` : 'metadata.json'}`,
  };
  // entrypoint.Options: durations are time.Duration (nanoseconds), the wrapper is embedded.
  const options = {
    timeout: durationNs(dc.timeout),
    grace_period: durationNs(dc.grace_period),
    artifact_dir: ARTIFACTS_PATH,
    ...wrapper,
  };
  c.command = [`${TOOLS_MOUNT.mountPath}/entrypoint`];
  delete c.args;
  c.env = [...(c.env ?? []), ...kubeEnv({ ENTRYPOINT_OPTIONS: goJsonStringify(options) })];
  c.volumeMounts = [
    ...((c.volumeMounts as VolumeMount[] | undefined) ?? []),
    LOG_MOUNT,
    TOOLS_MOUNT,
  ];
  return wrapper;
}

/** Kubernetes' resources.requests/limits of a container, created on demand. */
function resourceList(c: PodContainer, kind: 'requests' | 'limits'): Json {
  const resources = (c.resources ??= {}) as Json;
  return (resources[kind] ??= {}) as Json;
}

/**
 * decorate(): turns `spec` (already the job's pod_spec with restartPolicy, the `test` name and
 * automount resolved) into the decorated Pod spec. `rawEnv` is Prow's env for the job; ARTIFACTS
 * and GOPATH are added to it, as Prow does.
 */
export function decorate(
  spec: PodManifest['spec'],
  pj: ProwJob,
  rawEnv: Record<string, string>,
): void {
  const dc = (pj.spec.decoration_config ?? {}) as DecorationConfig;
  const images = dc.utility_images ?? {};
  rawEnv.ARTIFACTS = ARTIFACTS_PATH;
  rawEnv.GOPATH = CODE_MOUNT.mountPath;

  const blob = blobStorage(dc);
  const cloner = cloneRefs(pj, dc);
  if (cloner) spec.initContainers = [cloner.container, ...(spec.initContainers ?? [])];

  const encodedJobSpec = rawEnv.JOB_SPEC ?? '';
  // initupload.Options: the embedded gcsupload.Options, then the clone log when there is one.
  const initUploadOptions = {
    ...gcsOptions(blob, []),
    ...(cloner ? { log: `${LOG_MOUNT.mountPath}/clone.json` } : {}),
  };
  const initUpload: PodContainer = {
    name: INITUPLOAD,
    image: images.initupload ?? '',
    env: kubeEnv({
      JOB_SPEC: encodedJobSpec,
      INITUPLOAD_OPTIONS: goJsonStringify(initUploadOptions),
    }),
    volumeMounts: [...(cloner ? [LOG_MOUNT] : []), ...blob.mounts],
    ...(dc.resources?.initupload ? { resources: dc.resources.initupload } : {}),
  };
  const placeEntrypoint: PodContainer = {
    name: PLACE_ENTRYPOINT,
    image: images.entrypoint ?? '',
    args: ['--copy-mode-only'],
    volumeMounts: [TOOLS_MOUNT],
    ...(dc.resources?.place_entrypoint ? { resources: dc.resources.place_entrypoint } : {}),
  };
  spec.initContainers = [...(spec.initContainers ?? []), initUpload, placeEntrypoint];
  const env = kubeEnv(rawEnv);
  for (const c of spec.containers) c.env = [...(c.env ?? []), ...env];

  // Secret volumes mounted in test containers are censored from uploads when censor_secrets.
  const secretVolumes = new Set(
    ((spec.volumes as Volume[] | undefined) ?? []).filter((v) => v.secret).map((v) => v.name),
  );
  const censored = (name: string) => dc.censor_secrets === true && secretVolumes.has(name);
  const secretMounts: VolumeMount[] = [];
  const wrappers: Wrapper[] = [];
  for (const c of spec.containers) {
    const prefix = spec.containers.length === 1 ? '' : c.name;
    wrappers.push(injectEntrypoint(c, dc, prefix));
    for (const m of c.volumeMounts as VolumeMount[]) if (censored(m.name)) secretMounts.push(m);
  }

  const co = dc.censoring_options ?? {};
  const censoring: Json = {
    secret_directories: secretMounts.length ? secretMounts.map((m) => m.mountPath) : undefined,
    censoring_concurrency: co.censoring_concurrency,
    censoring_buffer_size: co.censoring_buffer_size,
    include_directories: co.include_directories?.length ? co.include_directories : undefined,
    exclude_directories: co.exclude_directories?.length ? co.exclude_directories : undefined,
    minimum_secret_length: co.minimum_secret_length,
  };
  // sidecar.Options; entry_error stays false (Prow passes !RequirePassingEntries).
  const sidecarOptions = {
    gcs_options: gcsOptions(blob, [ARTIFACTS_PATH]),
    entries: wrappers,
    ...(dc.upload_ignores_interrupts ? { ignore_interrupts: true } : {}),
    censoring_options: censoring,
  };
  const sidecar: PodContainer = {
    name: SIDECAR,
    image: images.sidecar ?? '',
    env: kubeEnv({ SIDECAR_OPTIONS: goJsonStringify(sidecarOptions), JOB_SPEC: encodedJobSpec }),
    volumeMounts: [LOG_MOUNT, ...blob.mounts, ...secretMounts],
    terminationMessagePolicy: 'FallbackToLogsOnError',
    ...(dc.resources?.sidecar ? { resources: dc.resources.sidecar } : {}),
  };

  const volumes = ((spec.volumes as Volume[] | undefined) ?? []).slice();
  volumes.push({ name: LOG_MOUNT.name, emptyDir: {} }, { name: TOOLS_MOUNT.name, emptyDir: {} });
  volumes.push(...blob.volumes);
  if (cloner) {
    const workDir = determineWorkDir(CODE_MOUNT.mountPath, cloner.refs);
    for (const c of spec.containers) {
      c.workingDir = workDir;
      c.volumeMounts = [...(c.volumeMounts as VolumeMount[]), CODE_MOUNT];
    }
    volumes.push(...cloner.volumes, { name: CODE_MOUNT.name, emptyDir: {} });
  }
  spec.volumes = volumes;

  if (dc.default_memory_request !== undefined) {
    for (const c of spec.containers) {
      const requests = resourceList(c, 'requests');
      requests.memory ??= dc.default_memory_request;
    }
  }
  const sc = ((spec.securityContext as Json | undefined) ?? {}) as Json;
  if (dc.run_as_user !== undefined) sc.runAsUser ??= dc.run_as_user;
  if (dc.run_as_group !== undefined) sc.runAsGroup ??= dc.run_as_group;
  if (dc.fs_group !== undefined) sc.fsGroup ??= dc.fs_group;
  spec.securityContext = sc;
  if (dc.scheduling_options?.affinity && spec.affinity === undefined) {
    spec.affinity = structuredClone(dc.scheduling_options.affinity);
  }
  if (dc.scheduling_options?.tolerations && spec.tolerations === undefined) {
    spec.tolerations = structuredClone(dc.scheduling_options.tolerations);
  }
  if (dc.set_limit_equals_memory_request) {
    for (const c of spec.containers) {
      const memory = ((c.resources as Json | undefined)?.requests as Json | undefined)?.memory;
      if (memory !== undefined) resourceList(c, 'limits').memory = memory;
    }
  }

  spec.containers.push(sidecar);
  if (spec.terminationGracePeriodSeconds === undefined && dc.grace_period !== undefined) {
    // The Pod's grace must cover the test's grace and the upload after it: 80/20, as Prow.
    const seconds = Math.trunc(durationNs(dc.grace_period) / 1e9);
    spec.terminationGracePeriodSeconds = Math.trunc((seconds * 5) / 4);
  }
  if (!spec.serviceAccountName && dc.default_service_account_name !== undefined) {
    spec.serviceAccountName = dc.default_service_account_name;
  }
}
