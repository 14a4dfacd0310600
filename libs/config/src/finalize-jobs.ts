// The "default" step (Prow's finalizeJobConfig): fill in agent/cluster/namespace, contexts and
// triggers, resolve decoration and ProwJob defaults from config.yaml, apply presets, and parse
// periodics' intervals (`<key>_ms`). Raw jobs are not mutated; each loaded job is a new object.
import { checkDuration } from '@jetprow/core';
import { ConfigError } from './errors.js';
import { mergeDefaultDecorationConfig, mergeProwJobDefault } from './decoration.js';
import type {
  RawJobConfig,
  SourcedPeriodic,
  SourcedPostsubmit,
  SourcedPresubmit,
} from './job-doc.js';
import { defaultRerunCommandFor, defaultTriggerFor } from './matchers.js';
import { duplicatePresetPairs, resolvePresets } from './presets.js';
import type { ProwConfig } from './prow-config.js';
import type { JobConfig, Periodic, Postsubmit, Preset, Presubmit, RawPeriodic } from './types.js';

export const DEFAULT_CLUSTER_ALIAS = 'default';

type RawBase = SourcedPresubmit | SourcedPostsubmit | SourcedPeriodic;

function defaultBase<T extends RawBase>(
  job: T,
  orgRepo: string,
  prow: ProwConfig,
  decorateAll: boolean,
  presets: readonly Preset[],
  errors: ConfigError[],
) {
  const cluster = job.cluster || DEFAULT_CLUSTER_ALIAS;
  const decorate = job.decorate ?? decorateAll;
  const out = {
    ...job,
    agent: job.agent || 'kubernetes',
    cluster,
    namespace: job.namespace || prow.pod_namespace,
    decorate,
    prowjob_defaults: mergeProwJobDefault(
      prow.prowjob_default_entries,
      orgRepo,
      cluster,
      job.prowjob_defaults,
    ),
  };
  if (decorate) {
    out.decoration_config = mergeDefaultDecorationConfig(
      prow.plank.default_decoration_config_entries,
      orgRepo,
      cluster,
      job.decoration_config,
    );
  }
  const resolved = resolvePresets(job.labels, job.spec, presets);
  if ('error' in resolved) {
    const { source_path: file, name } = job;
    errors.push(new ConfigError({ file, job: name, field: 'spec', message: resolved.error }));
  } else if (resolved.spec !== undefined) {
    out.spec = resolved.spec;
  }
  return out;
}

/** A periodic's Go duration in ms: unset (or empty) is 0, Prow's zero Duration; invalid is NaN. */
function durationMs(text: string | undefined): number {
  if (!text) return 0;
  const d = checkDuration(text);
  return 'ms' in d ? d.ms : NaN;
}

function periodicRepo(job: RawPeriodic): string {
  const ref = job.extra_refs?.[0];
  return ref ? `${ref.org}/${ref.repo}` : '';
}

export interface FinalizeResult {
  jobs: JobConfig;
  errors: ConfigError[];
}

export function finalizeJobConfig(raw: RawJobConfig, prow: ProwConfig): FinalizeResult {
  const errors: ConfigError[] = [];
  const presets = raw.presets.map((p) => p.preset);
  for (const { index, pair } of duplicatePresetPairs(presets)) {
    const file = raw.presets[index]?.file ?? '';
    const message = `duplicated preset 'label:value' pair : ${pair}`;
    errors.push(new ConfigError({ file, field: 'presets', message }));
  }
  const decorateAll = raw.decorate_all_jobs ?? false;

  const presubmits: Record<string, Presubmit[]> = {};
  for (const [repo, jobs] of Object.entries(raw.presubmits)) {
    presubmits[repo] = jobs.map((job): Presubmit => {
      const base = defaultBase(job, repo, prow, decorateAll, presets, errors);
      // Both or neither: with only one set, validation reports it.
      const useDefault = !job.trigger && !job.rerun_command;
      return {
        ...base,
        always_run: job.always_run ?? false,
        context: job.context || job.name,
        trigger: useDefault ? defaultTriggerFor(job.name) : (job.trigger ?? ''),
        rerun_command: useDefault ? defaultRerunCommandFor(job.name) : (job.rerun_command ?? ''),
      };
    });
  }

  const postsubmits: Record<string, Postsubmit[]> = {};
  for (const [repo, jobs] of Object.entries(raw.postsubmits)) {
    postsubmits[repo] = jobs.map((job): Postsubmit => ({
      ...defaultBase(job, repo, prow, decorateAll, presets, errors),
      context: job.context || job.name,
    }));
  }

  const periodics = raw.periodics.map((job): Periodic => {
    const { retry, ...base } = defaultBase(
      job,
      periodicRepo(job),
      prow,
      decorateAll,
      presets,
      errors,
    );
    const p: Periodic = {
      ...base,
      interval_ms: durationMs(job.interval),
      minimum_interval_ms: durationMs(job.minimum_interval),
    };
    // (Validation refuses a retry without interval: Go's time.ParseDuration("") fails.)
    if (retry) {
      p.retry = {
        ...retry,
        attempts: retry.attempts ?? 0,
        interval_ms: durationMs(retry.interval),
      };
    }
    return p;
  });

  return {
    jobs: { presubmits, postsubmits, periodics, presets, decorate_all_jobs: decorateAll },
    errors,
  };
}
