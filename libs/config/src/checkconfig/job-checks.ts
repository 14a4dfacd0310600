// checkconfig's job warnings (cmd/checkconfig/main.go): non-decorated-jobs,
// valid-decoration-config, long-job-names, duplicate-job-refs, periodic-default-clone-config,
// required-job-annotations and validate-cluster-field.
import { existsSync, readFileSync } from 'node:fs';
import { validateDecorationConfig } from '../decoration.js';
import type { ConfigError } from '../errors.js';
import type { AnyJob } from '../types.js';
import { aboutJob, allPostsubmits, allPresubmits, at, type CheckContext } from './context.js';

const MAX_LABEL_VALUE = 63;
const q = JSON.stringify;

function allJobs(ctx: CheckContext): AnyJob[] {
  return [
    ...allPresubmits(ctx.config).map((p) => p.job),
    ...allPostsubmits(ctx.config).map((p) => p.job),
    ...ctx.config.jobs.periodics,
  ];
}

/** validateDecoratedJobs: kubernetes jobs should use the pod utilities. */
export function nonDecoratedJobs(ctx: CheckContext): ConfigError[] {
  return allJobs(ctx)
    .filter((j) => j.agent === 'kubernetes' && !j.decorate)
    .map((j) =>
      aboutJob(
        j,
        'the job uses the kubernetes provider but does not use the pod utilities',
        'decorate',
      ),
    );
}

/** validateDecorationConfig: every decorated kubernetes job's decoration config is complete. */
export function validDecorationConfig(ctx: CheckContext): ConfigError[] {
  const out: ConfigError[] = [];
  for (const j of allJobs(ctx)) {
    if (j.agent !== 'kubernetes' || !j.decorate || j.decoration_config === undefined) continue;
    const e = validateDecorationConfig(j.decoration_config);
    if (e) out.push(aboutJob(j, e, 'decoration_config'));
  }
  return out;
}

/** validateJobRequirements: Prow labels resources with job names, which are capped at 63. */
export function longJobNames(ctx: CheckContext): ConfigError[] {
  const out: ConfigError[] = [];
  const long = (j: AnyJob) => j.agent === 'kubernetes' && j.name.length > MAX_LABEL_VALUE;
  for (const { repo, job } of allPresubmits(ctx.config)) {
    if (long(job)) {
      out.push(
        aboutJob(
          job,
          `name of Presubmit job ${q(job.name)} (for repo ${q(repo)}) too long (should be at most 63 characters)`,
          'name',
        ),
      );
    }
  }
  for (const { repo, job } of allPostsubmits(ctx.config)) {
    if (long(job)) {
      out.push(
        aboutJob(
          job,
          `name of Postsubmit job ${q(job.name)} (for repo ${q(repo)}) too long (should be at most 63 characters)`,
          'name',
        ),
      );
    }
  }
  for (const job of ctx.config.jobs.periodics) {
    if (long(job)) {
      out.push(
        aboutJob(
          job,
          `name of Periodic job ${q(job.name)} too long (should be at most 63 characters)`,
          'name',
        ),
      );
    }
  }
  return out;
}

/** ValidateRefs over presubmits: the job's repo and its extra_refs name each repo once. */
export function duplicateJobRefs(ctx: CheckContext): ConfigError[] {
  const out: ConfigError[] = [];
  for (const { repo, job } of allPresubmits(ctx.config)) {
    const counts = new Map<string, number>([[repo, 1]]);
    for (const r of job.extra_refs ?? []) {
      const key = `${r.org}/${r.repo}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const dupes = [...counts]
      .filter(([, n]) => n > 1)
      .map(([k]) => k)
      .sort();
    if (dupes.length > 0) {
      const message = `invalid job ${job.name} on repo ${repo}: the following refs specified more than once: ${dupes.join(',')}`;
      out.push(aboutJob(job, message, 'extra_refs'));
    }
  }
  return out;
}

/** validatePeriodicDefaultCloneConfig: a periodic's top-level clone settings have no effect. */
export function periodicDefaultClone(ctx: CheckContext): ConfigError[] {
  return ctx.config.jobs.periodics
    .filter((j) => (j.clone_depth ?? 0) !== 0 || !!j.clone_uri || !!j.path_alias)
    .map((j) =>
      aboutJob(
        j,
        `periodic jobs might clone 0, 1, or more repos, top level \`clone_depth\`, \`clone_uri\`, and \`path_alias\` don't have any effect. Name: ${q(j.name)}`,
      ),
    );
}

/** validateRequiredJobAnnotations: every job has each `--required-job-annotations` key. */
export function requiredJobAnnotations(ctx: CheckContext): ConfigError[] {
  const required = ctx.requiredJobAnnotations;
  if (required.length === 0) return [];
  return allJobs(ctx).flatMap((j) => {
    const missing = required.filter((a) => !(a in (j.annotations ?? {})));
    if (missing.length === 0) return [];
    const list = missing.length === 1 ? missing[0] : `[${missing.join(', ')}]`;
    return [aboutJob(j, `job '${j.name}' is missing required annotations: ${list}`, 'annotations')];
  });
}

/**
 * validateCluster: a jenkins job may not name a build cluster; with plank's
 * build_cluster_status_file (read when it is a local file), every job's cluster must be known.
 */
export function validateClusterField(ctx: CheckContext): ConfigError[] {
  const out: ConfigError[] = [];
  const location = ctx.config.prow.plank.build_cluster_status_file ?? '';
  let statuses: Record<string, string> | undefined;
  if (location !== '' && !/^[a-z0-9]+:\/\//.test(location) && existsSync(location)) {
    try {
      statuses = JSON.parse(readFileSync(location, 'utf8')) as Record<string, string>;
    } catch (err) {
      const message = `error unmarshalling build cluster status file: ${(err as Error).message}`;
      return [at(ctx.configFile, ['plank', 'build_cluster_status_file'], message)];
    }
  }
  const check = (job: AnyJob, prefix: string) => {
    if (job.agent === 'jenkins' && job.cluster !== '' && job.cluster !== 'default') {
      out.push(
        aboutJob(
          job,
          `${prefix}: ${job.name}: cannot set cluster field if agent is jenkins`,
          'cluster',
        ),
      );
      return;
    }
    if (statuses !== undefined && !(job.cluster in statuses)) {
      const message = `${prefix}: job configuration for ${q(job.name)} specifies unknown 'cluster' value ${q(job.cluster)}`;
      out.push(aboutJob(job, message, 'cluster'));
    }
  };
  for (const { repo, job } of allPresubmits(ctx.config)) check(job, repo);
  for (const job of ctx.config.jobs.periodics) check(job, 'invalid periodic job');
  for (const { repo, job } of allPostsubmits(ctx.config)) check(job, repo);
  return out;
}
