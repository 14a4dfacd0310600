// The environment Prow gives every build (pkg/pod-utils/downwardapi/jobspec.go EnvForSpec).
import type { ProwJob } from '@jetprow/schemas';
import { goJsonMarshal } from './go-template/go-json.js';
import { f, struct } from './go-template/go-types.js';
import { DecorationConfig } from './go-template/prowjob-decoration-types.js';
import { RefsType, refsString } from './go-template/prowjob-types.js';
import { T, ptrTo, sliceOf } from './go-template/values.js';

export { refsString };

/** downwardapi.JobSpec, as JOB_SPEC carries it. */
const JobSpecType = struct('downwardapi.JobSpec', () => [
  f('Type', 'type', T.string),
  f('Job', 'job', T.string),
  f('BuildID', 'buildid', T.string),
  f('ProwJobID', 'prowjobid', T.string),
  f('Refs', 'refs', ptrTo(RefsType)),
  f('ExtraRefs', 'extra_refs', sliceOf(RefsType)),
  f('DecorationConfig', 'decoration_config', ptrTo(DecorationConfig)),
]);

/**
 * The JOB_SPEC document, byte for byte as Prow's json.Marshal writes it: Go's field order and
 * omitempty, durations as Go strings ("2h0m0s").
 */
export function jobSpecJson(pj: ProwJob, buildId: string): string {
  const spec: Record<string, unknown> = {
    type: pj.spec.type,
    job: pj.spec.job,
    buildid: buildId,
    prowjobid: pj.metadata.name,
  };
  if (pj.spec.refs) spec.refs = pj.spec.refs;
  if (pj.spec.extra_refs?.length) spec.extra_refs = pj.spec.extra_refs;
  if (pj.spec.decoration_config) spec.decoration_config = pj.spec.decoration_config;
  return goJsonMarshal(JobSpecType, spec);
}

export function envForProwJob(pj: ProwJob, buildId: string): Record<string, string> {
  const { spec } = pj;
  const env: Record<string, string> = {
    CI: 'true',
    JOB_NAME: spec.job,
    BUILD_ID: buildId,
    PROW_JOB_ID: pj.metadata.name,
    JOB_TYPE: spec.type,
  };
  if ((spec.agent ?? 'kubernetes') === 'kubernetes') env.BUILD_NUMBER = buildId;
  env.JOB_SPEC = jobSpecJson(pj, buildId);
  if (spec.type === 'periodic' || !spec.refs) return env;

  const refs = spec.refs;
  env.REPO_OWNER = refs.org;
  env.REPO_NAME = refs.repo;
  let srcHost = 'github.com';
  let srcBase = `${refs.org}/${refs.repo}`;
  const split = (s: string): void => {
    const i = s.indexOf('/');
    if (i >= 0) [srcHost, srcBase] = [s.slice(0, i), s.slice(i + 1)];
    else srcHost = s;
  };
  if (refs.path_alias) split(refs.path_alias);
  else if (refs.repo_link) split(refs.repo_link.split('://').at(-1)!);
  env.SRC_HOST = srcHost;
  env.SRC_BASE = srcBase;
  env.PULL_BASE_REF = refs.base_ref ?? '';
  env.PULL_BASE_SHA = refs.base_sha ?? '';
  env.PULL_REFS = refsString(refs);
  if (spec.type === 'postsubmit' || spec.type === 'batch') return env;

  const pull = refs.pulls?.[0];
  env.PULL_NUMBER = String(pull?.number ?? '');
  env.PULL_PULL_SHA = pull?.sha ?? '';
  env.PULL_HEAD_REF = pull?.head_ref ?? '';
  env.PULL_TITLE = pull?.title ?? '';
  return env;
}
