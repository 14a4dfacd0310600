// The "validate" step (Prow's ValidateJobConfig and the regex checks of SetPresubmitRegexes /
// SetPostsubmitRegexes, pkg/config/config.go). Every problem is collected as a ConfigError naming
// the job's file, the job and the field; nothing stops at the first error.
import { checkDuration } from '@jetprow/core';
import { cronError } from './cron.js';
import { ConfigError } from './errors.js';
import {
  branchesIntersect,
  compileGoRegexp,
  compileJobMatchers,
  defaultRerunCommandFor,
  defaultTriggerFor,
} from './matchers.js';
import type { ProwConfig } from './prow-config.js';
import type { AnyJob, JobConfig, Periodic, Postsubmit, Presubmit } from './types.js';
import {
  JOB_NAME_REGEX,
  validateJobBase,
  type JobType,
  type Problem,
} from './validate-job-base.js';

const GERRIT_REPORT_LABEL = 'prow.k8s.io/gerrit-report-label';
const q = (s: string) => JSON.stringify(s);

function toErrors(job: AnyJob, problems: readonly Problem[]): ConfigError[] {
  const { source_path: file, name } = job;
  return problems.map(
    (p) => new ConfigError({ file, job: name, field: p.field, message: p.message }),
  );
}

/** validateTriggering (presubmits) / validateAlwaysRun (postsubmits). */
export function validateTriggering(job: {
  name: string;
  always_run?: boolean | undefined;
  run_if_changed?: string | undefined;
  skip_if_only_changed?: string | undefined;
}): Problem[] {
  const out: Problem[] = [];
  const exclusive = 'which are mutually exclusive';
  if (job.always_run) {
    for (const f of ['run_if_changed', 'skip_if_only_changed'] as const) {
      if (!job[f]) continue;
      const message = `job ${job.name} is set to always run but also declares ${f} targets, ${exclusive}`;
      out.push({ field: 'always_run', message });
    }
  }
  if (job.run_if_changed && job.skip_if_only_changed) {
    const message = `job ${job.name} declares run_if_changed and skip_if_only_changed, ${exclusive}`;
    out.push({ field: 'run_if_changed', message });
  }
  return out;
}

/** The regexes compile (kept beside the job for matching); rerun_command matches the trigger. */
function validateRegexes(job: Presubmit | Postsubmit, presubmit?: Presubmit): Problem[] {
  // A default trigger of a well-formed name always compiles and matches the default rerun
  // command, so it is compiled on first use instead (saves ~0.2 ms per presubmit at load).
  const defaultTrigger =
    presubmit !== undefined &&
    JOB_NAME_REGEX.test(presubmit.name) &&
    presubmit.trigger === defaultTriggerFor(presubmit.name) &&
    presubmit.rerun_command === defaultRerunCommandFor(presubmit.name);
  const bad = compileJobMatchers(job, { trigger: presubmit !== undefined && !defaultTrigger });
  if (bad) {
    return [{ field: bad.field, message: `could not compile ${bad.field} regex: ${bad.message}` }];
  }
  if (presubmit === undefined || defaultTrigger || presubmit.trigger === '') return [];
  if (!compileGoRegexp(presubmit.trigger).test(presubmit.rerun_command)) {
    const message = `rerun command ${q(presubmit.rerun_command)} does not match trigger ${q(presubmit.trigger)}`;
    return [{ field: 'rerun_command', message }];
  }
  return [];
}

/** validateReporting. */
function validateReporting(job: Presubmit | Postsubmit): Problem[] {
  if (!job.skip_report && job.context === '') {
    return [{ field: 'context', message: 'job is set to report but has no context configured' }];
  }
  if (job.skip_report && (job.labels?.[GERRIT_REPORT_LABEL] ?? '') !== '') {
    const message = `gerrit report label ${GERRIT_REPORT_LABEL} set to non-empty string but job is configured to skip reporting.`;
    return [{ field: 'labels', message }];
  }
  return [];
}

/** Jobs for one repo: unique names and contexts among jobs whose branches intersect. */
function validateRepoJobs(
  repo: string,
  jobs: readonly (Presubmit | Postsubmit)[],
  type: JobType,
): ConfigError[] {
  const errors: ConfigError[] = [];
  const byName = new Map<string, (Presubmit | Postsubmit)[]>();
  for (const [i, job] of jobs.entries()) {
    const err = (field: string, message: string) =>
      errors.push(new ConfigError({ file: job.source_path, job: job.name, field, message }));
    const sameName = byName.get(job.name) ?? [];
    const earlier = sameName.find((e) => branchesIntersect(e, job));
    if (earlier) {
      const where = `(also defined in ${earlier.source_path})`;
      err('name', `duplicated ${type} job for ${repo} on intersecting branches ${where}`);
    }
    byName.set(job.name, [...sameName, job]);
    for (const other of jobs.slice(0, i)) {
      if (other.name === job.name || other.context !== job.context) continue;
      if (!branchesIntersect(other, job)) continue;
      const message = `jobs ${other.name} and ${job.name} report to the same GitHub context ${q(job.context)} (${other.name} is in ${other.source_path})`;
      err('context', message);
    }
  }
  return errors;
}

export function validatePresubmit(job: Presubmit, prow: ProwConfig): ConfigError[] {
  const problems = [...validateJobBase(job, 'presubmit', prow), ...validateTriggering(job)];
  if ((job.trigger === '') !== (job.rerun_command === '')) {
    const message = `either both of job.Trigger and job.RerunCommand must be set, wasnt the case for job ${q(job.name)}`;
    problems.push({ field: 'trigger', message });
  }
  problems.push(...validateReporting(job), ...validateRegexes(job, job));
  return toErrors(job, problems);
}

export function validatePostsubmit(job: Postsubmit, prow: ProwConfig): ConfigError[] {
  const problems = [...validateJobBase(job, 'postsubmit', prow), ...validateTriggering(job)];
  problems.push(...validateReporting(job), ...validateRegexes(job));
  return toErrors(job, problems);
}

export function validatePeriodic(job: Periodic, prow: ProwConfig): ConfigError[] {
  const problems = validateJobBase(job, 'periodic', prow);
  const add = (field: string, message: string) => problems.push({ field, message });
  const set = (['cron', 'interval', 'minimum_interval'] as const).filter((k) => job[k]);
  if (set.length > 1) {
    const message = `cron, interval, and minimum_interval are mutually exclusive in periodic ${job.name}`;
    add(set.join(', '), message);
  } else if (set.length === 0) {
    const message = `at least one of cron, interval, or minimum_interval must be set in periodic ${job.name}`;
    add('cron', message);
  } else {
    if (job.cron) {
      const e = cronError(job.cron);
      if (e) add('cron', `invalid cron string ${job.cron} in periodic ${job.name}: ${e}`);
    }
    for (const k of ['interval', 'minimum_interval'] as const) {
      const v = job[k];
      if (!v) continue;
      const d = checkDuration(v);
      if ('error' in d) add(k, `cannot parse duration for ${job.name}: ${d.error}`);
    }
    if (job.retry !== undefined) {
      const d = checkDuration(job.retry.interval ?? '');
      if ('error' in d) {
        add('retry.interval', `cannot parse Retry duration for ${job.name}: ${d.error}`);
      }
    }
  }
  return toErrors(job, problems);
}

/** Prow's ValidateJobConfig over loaded (defaulted) jobs. */
export function validateJobConfig(jobs: JobConfig, prow: ProwConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const [repo, list] of Object.entries(jobs.presubmits)) {
    errors.push(...validateRepoJobs(repo, list, 'presubmit'));
    for (const job of list) errors.push(...validatePresubmit(job, prow));
  }
  for (const [repo, list] of Object.entries(jobs.postsubmits)) {
    errors.push(...validateRepoJobs(repo, list, 'postsubmit'));
    for (const job of list) errors.push(...validatePostsubmit(job, prow));
  }
  const seen = new Map<string, Periodic>();
  for (const job of jobs.periodics) {
    const first = seen.get(job.name);
    if (first) {
      const message = `duplicated periodic job: ${job.name} (also defined in ${first.source_path})`;
      const { source_path: file, name } = job;
      errors.push(new ConfigError({ file, job: name, field: 'name', message }));
    } else seen.set(job.name, job);
    errors.push(...validatePeriodic(job, prow));
  }
  return errors;
}
