// Checks shared by every job type: Prow's validateJobBase (pkg/config/config.go) with
// validateJobName, validateAgent, validatePodSpec, validateLabels, validateAnnotation,
// validateJobQueueName, RerunAuthConfig.Validate, UtilityConfig.Validate and validateDecoration.
// Prow stops at the first problem of a job; here every problem is reported.
import { labelValueProblems, qualifiedNameProblems } from '@jetprow/core';
import { Labels } from '@jetprow/schemas';
import { validateDecorationConfig } from './decoration.js';
import { goUrlParseError, goUrlScheme } from './go-url.js';
import type { ProwConfig } from './prow-config.js';
import type { AnyJob, DecorationConfig, PodSpec } from './types.js';

export type JobType = 'presubmit' | 'postsubmit' | 'periodic';
export interface Problem {
  field?: string;
  message: string;
}

export const JOB_NAME_REGEX = /^[A-Za-z0-9-._]+$/;
const JENKINS_JOB_NAME_REGEX = /^[A-Za-z0-9-._]([A-Za-z0-9-._/]*[A-Za-z0-9-_])?$/;
const KNOWN_AGENTS = ['kubernetes', 'jenkins', 'tekton-pipeline'];
/** decorate.Labels(): labels Prow sets itself. */
const RESERVED_LABELS: string[] = [Labels.type, Labels.createdByProw, Labels.id];
/** decorate.PodUtilsContainerNames(). */
const POD_UTILS_CONTAINERS = ['clonerefs', 'initupload', 'place-entrypoint', 'sidecar'];
const TEST_CONTAINER_MOUNTS = ['logs', 'code', 'tools'];
const TEST_CONTAINER_MOUNT_PATHS = ['/logs', '/home/prow/go', '/tools'];

/** downwardapi.EnvForType: variables Prow injects, which a job may not set. */
export function reservedEnv(type: JobType): string[] {
  const base = ['CI', 'JOB_NAME', 'JOB_SPEC', 'JOB_TYPE', 'PROW_JOB_ID', 'BUILD_ID'];
  base.push('BUILD_NUMBER');
  const refs = ['REPO_OWNER', 'REPO_NAME', 'SRC_BASE', 'SRC_HOST', 'PULL_BASE_REF'];
  refs.push('PULL_BASE_SHA');
  const pull = ['PULL_NUMBER', 'PULL_PULL_SHA', 'PULL_HEAD_REF', 'PULL_TITLE'];
  if (type === 'periodic') return base;
  if (type === 'postsubmit') return [...base, ...refs, 'PULL_REFS'];
  return [...base, ...refs, 'PULL_REFS', ...pull];
}

/** decorate.VolumeMounts(dc): volume names the pod utilities add. */
function decorationVolumeNames(dc: DecorationConfig | undefined): Set<string> {
  const names = new Set(['logs', 'code', 'tools', 'gcs-credentials', 's3-credentials']);
  if (dc?.oauth_token_secret?.name !== undefined) names.add(dc.oauth_token_secret.name);
  for (const s of dc?.ssh_key_secrets ?? []) names.add(s);
  return names;
}

const q = (s: string) => JSON.stringify(s);

export function validateJobName(job: AnyJob): Problem | undefined {
  const re = job.agent === 'jenkins' ? JENKINS_JOB_NAME_REGEX : JOB_NAME_REGEX;
  if (!re.test(job.name)) return { field: 'name', message: `must match regex ${q(re.source)}` };
  return undefined;
}

function hasPipelineRunSpec(job: AnyJob): boolean {
  const t = job.tekton_pipeline_run_spec as { v1beta1?: unknown } | undefined;
  return (t?.v1beta1 !== undefined && t.v1beta1 !== null) || job.pipeline_run_spec !== undefined;
}

/** Prow's validateAgent (one problem at most, like Prow's switch). */
export function validateAgent(job: AnyJob, podNamespace: string): Problem | undefined {
  const agent = job.agent;
  const k = 'kubernetes';
  const p = 'tekton-pipeline';
  const found = `(found ${q(agent)})`;
  if (!KNOWN_AGENTS.includes(agent)) return undefined; // Prow only warns.
  if (job.spec !== undefined && agent !== k) {
    return { field: 'agent', message: `job specs require agent: ${k} ${found}` };
  }
  if (agent === k && job.spec === undefined) {
    return { field: 'spec', message: 'kubernetes jobs require a spec' };
  }
  if (hasPipelineRunSpec(job) && agent !== p) {
    return { field: 'agent', message: `job pipeline_run_spec require agent: ${p} ${found}` };
  }
  if (agent === p && !hasPipelineRunSpec(job)) {
    return { field: 'pipeline_run_spec', message: `agent: ${p} jobs require a pipeline_run_spec` };
  }
  if (job.decoration_config !== undefined && agent !== k) {
    return { field: 'decoration_config', message: `decoration requires agent: ${k} ${found}` };
  }
  if (job.error_on_eviction && agent !== k) {
    const message = `error_on_eviction only applies to agent: ${k} ${found}`;
    return { field: 'error_on_eviction', message };
  }
  if (job.namespace === '') return { field: 'namespace', message: 'failed to default namespace' };
  if (job.namespace !== podNamespace && agent !== p) {
    return { field: 'namespace', message: `namespace customization requires agent: ${p} ${found}` };
  }
  return undefined;
}

/** Prow's validatePodSpec. `dc` is the job's decoration config after defaulting. */
export function validatePodSpec(
  type: JobType,
  spec: PodSpec | undefined,
  dc: DecorationConfig | undefined,
): Problem[] {
  if (spec === undefined) return [];
  const out: Problem[] = [];
  const add = (field: string, message: string) => out.push({ field, message });

  const unsupported = (spec.initContainers ?? [])
    .filter((c) => c.restartPolicy !== 'Always')
    .map((c) => c.name ?? '');
  if (unsupported.length > 0) {
    add(
      'spec.initContainers',
      `pod spec may not use init containers(sidecar container is supported): [${unsupported.join(' ')}]`,
    );
  }
  const n = spec.containers.length;
  if (n < 1) {
    add('spec.containers', `pod spec must specify at least 1 container, found: ${n}`);
    return out;
  }
  if (n > 1 && dc === undefined) {
    add(
      'spec.containers',
      `pod utility decoration must be enabled to use multiple containers: ${n}`,
    );
    return out;
  }
  if (n > 1) {
    const names = new Set<string>();
    spec.containers.forEach((c, i) => {
      const field = `spec.containers[${i}].name`;
      const name = c.name ?? '';
      if (name === '') {
        add(
          field,
          'container does not have name. all containers must have names when defining multiple containers',
        );
      }
      if (names.has(name)) add(field, `container named ${q(name)} is defined more than once`);
      names.add(name);
      if (POD_UTILS_CONTAINERS.includes(name)) {
        add(
          field,
          `container name ${name} is a reserved for decoration. please specify a different container name that does not conflict with pod utility container names`,
        );
      }
    });
  }

  const reserved = reservedEnv(type);
  spec.containers.forEach((c, i) => {
    const names = new Set<string>();
    for (const env of c.env ?? []) {
      const field = `spec.containers[${i}].env`;
      if (names.has(env.name)) add(field, `env var named ${q(env.name)} is defined more than once`);
      names.add(env.name);
      if (reserved.includes(env.name)) add(field, `env ${env.name} is reserved`);
    }
  });

  const volumeNames = new Set<string>();
  const decorated = decorationVolumeNames(dc);
  for (const v of spec.volumes ?? []) {
    if (volumeNames.has(v.name)) {
      add('spec.volumes', `volume named ${q(v.name)} is defined more than once`);
    }
    volumeNames.add(v.name);
    if (decorated.has(v.name)) add('spec.volumes', `volume ${v.name} is a reserved for decoration`);
  }
  spec.containers.forEach((c, i) => {
    const field = `spec.containers[${i}].volumeMounts`;
    for (const m of c.volumeMounts ?? []) {
      if (!volumeNames.has(m.name) && !decorated.has(m.name)) {
        add(field, `volumeMount named ${q(m.name)} is undefined`);
      }
      if (TEST_CONTAINER_MOUNTS.includes(m.name)) {
        add(field, `volumeMount name ${m.name} is reserved for decoration`);
      }
      if (m.mountPath !== undefined && TEST_CONTAINER_MOUNT_PATHS.includes(m.mountPath)) {
        add(field, `mount ${m.name} at ${m.mountPath} conflicts with decoration mount`);
      }
    }
  });
  return out;
}

function validateLabels(labels: Record<string, string> | undefined): Problem[] {
  const out: Problem[] = [];
  const add = (message: string) => out.push({ field: 'labels', message });
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (RESERVED_LABELS.includes(k)) add(`label ${k} is reserved for decoration`);
    const keyProblems = qualifiedNameProblems(k);
    if (keyProblems.length > 0) add(`invalid label ${k}: [${keyProblems.join(' ')}]`);
    const valueProblems = labelValueProblems(v);
    if (valueProblems.length > 0) {
      add(`label ${k} has invalid value ${v}: [${valueProblems.join(' ')}]`);
    }
  }
  return out;
}

function validateAnnotations(annotations: Record<string, string> | undefined): Problem[] {
  return Object.keys(annotations ?? {}).flatMap((k) => {
    const p = qualifiedNameProblems(k);
    if (p.length === 0) return [];
    return [{ field: 'annotations', message: `invalid annotation key ${q(k)}: [${p.join(' ')}]` }];
  });
}

/**
 * UtilityConfig.Validate: clone URIs (after any `user@`) parse as URLs, and with an OAuth token
 * secret they are http(s). As in Prow, only checked when the job itself sets clone_uri.
 */
function validateCloneURIs(job: AnyJob): Problem[] {
  const out: Problem[] = [];
  const check = (uri: string | undefined, field: string, prefix: string) => {
    if (!job.clone_uri) return;
    const trimmed = (uri ?? '').slice((uri ?? '').indexOf('@') + 1);
    const parseError = goUrlParseError(trimmed);
    if (parseError) {
      out.push({ field, message: `${prefix}couldn't parse uri from clone_uri: ${parseError}` });
      return;
    }
    if (job.decoration_config?.oauth_token_secret === undefined) return;
    const scheme = goUrlScheme(trimmed);
    if (scheme !== 'http' && scheme !== 'https') {
      const message = `${prefix}scheme must be http or https when OAuth secret is specified: ${trimmed}`;
      out.push({ field, message });
    }
  };
  check(job.clone_uri, 'clone_uri', '');
  job.extra_refs?.forEach((r, i) =>
    check(r.clone_uri, `extra_refs[${i}].clone_uri`, `extra_ref[${i}]: `),
  );
  return out;
}

const PROW_EXTRA_REF = /PROW_EXTRA_GIT_REF_(\d+)/;
const PROW_IMPLICIT_GIT_REF = 'PROW_IMPLICIT_GIT_REF';

/** The spec a tekton job runs (GetPipelineRunSpec): tekton_pipeline_run_spec.v1beta1, else pipeline_run_spec. */
function pipelineRunSpec(job: AnyJob): Record<string, unknown> | undefined {
  const t = job.tekton_pipeline_run_spec as { v1beta1?: unknown } | undefined;
  const found = t?.v1beta1 ?? job.pipeline_run_spec;
  return typeof found === 'object' && found !== null
    ? (found as Record<string, unknown>)
    : undefined;
}

/** ValidatePipelineRunSpec: extra_refs and PROW_EXTRA_GIT_REF_<n> task refs match one to one. */
export function validatePipelineRunSpec(job: AnyJob, type: JobType): Problem | undefined {
  const spec = pipelineRunSpec(job);
  if (spec === undefined) return undefined;
  const field = job.tekton_pipeline_run_spec ? 'tekton_pipeline_run_spec' : 'pipeline_run_spec';
  const used = new Set<number>();
  const pipelineSpec = spec.pipelineSpec as { tasks?: unknown } | undefined;
  const tasks = Array.isArray(pipelineSpec?.tasks) ? (pipelineSpec.tasks as unknown[]) : [];
  for (const t of tasks) {
    const task = (typeof t === 'object' && t !== null ? t : {}) as {
      name?: string;
      taskRef?: { name?: string } | null;
    };
    if (!task.taskRef) {
      // Prow reads task.TaskRef.Name through a nil pointer: the load panics.
      const message =
        'panic loading config: runtime error: invalid memory address or nil pointer dereference';
      return { field, message };
    }
    const ref = task.taskRef.name ?? '';
    if (type === 'periodic' && ref === PROW_IMPLICIT_GIT_REF) {
      const message = `periodic jobs do not have an implicit git ref to replace ${PROW_IMPLICIT_GIT_REF}`;
      return { field, message };
    }
    const m = PROW_EXTRA_REF.exec(ref);
    if (!m) continue;
    const digits = m[1] as string;
    if (digits.length > 1 && digits.startsWith('0')) {
      const message = `task ${q(task.name ?? '')}: leading zeros are not allowed in PROW_EXTRA_GIT_REF_* indexes`;
      return { field, message };
    }
    used.add(Number(digits));
  }
  const refs = job.extra_refs ?? [];
  for (let i = 0; i < refs.length; i++) {
    if (!used.has(i)) {
      return {
        field: 'extra_refs',
        message: `extra_refs[${i}] is not used; some task must reference PROW_EXTRA_GIT_REF_${i}`,
      };
    }
  }
  if (refs.length !== used.size) {
    const message = `${refs.length} extra_refs are specified, but the following PROW_EXTRA_GIT_REF_* indexes are used: ${[...used].join(', ')}`;
    return { field: 'extra_refs', message };
  }
  return undefined;
}

function validateRerunAuthConfig(job: AnyJob): Problem | undefined {
  const rac = job.rerun_auth_config;
  if (!rac?.allow_anyone) return undefined;
  const lists = [rac.github_users, rac.github_team_ids, rac.github_team_slugs, rac.github_orgs];
  if (!lists.some((l) => (l?.length ?? 0) > 0)) return undefined;
  return {
    field: 'rerun_auth_config',
    message: 'allow anyone is set to true and permitted users or groups are specified',
  };
}

/** Prow's validateJobBase, collecting every problem. */
export function validateJobBase(job: AnyJob, type: JobType, prow: ProwConfig): Problem[] {
  const out: Problem[] = [];
  const push = (p: Problem | undefined) => p && out.push(p);
  push(validateJobName(job));
  if ((job.max_concurrency ?? 0) < 0) {
    const message = `${job.max_concurrency} must be a non-negative number`;
    out.push({ field: 'max_concurrency', message });
  }
  push(validateAgent(job, prow.pod_namespace));
  out.push(...validatePodSpec(type, job.spec, job.decoration_config));
  if (job.agent === 'tekton-pipeline') push(validatePipelineRunSpec(job, type));
  out.push(...validateLabels(job.labels));
  out.push(...validateAnnotations(job.annotations));
  if (job.job_queue_name && !(job.job_queue_name in prow.plank.job_queue_capacities)) {
    out.push({ field: 'job_queue_name', message: `invalid job queue name ${job.job_queue_name}` });
  }
  if (job.spec === undefined || job.spec.containers.length === 0) return out; // e.g. jenkins jobs
  push(validateRerunAuthConfig(job));
  out.push(...validateCloneURIs(job));
  const dc = job.decoration_config;
  if (dc !== undefined) {
    const dcError = validateDecorationConfig(dc);
    if (dcError) {
      out.push({ field: 'decoration_config', message: `invalid decoration config: ${dcError}` });
    }
    job.spec.containers.forEach((c, i) => {
      const args = [...(c.command ?? []), ...(c.args ?? [])];
      if (args.length === 0 || args[0] === '') {
        out.push({
          field: `spec.containers[${i}]`,
          message: 'decorated job containers must specify command and/or args',
        });
      }
    });
  }
  return out;
}
