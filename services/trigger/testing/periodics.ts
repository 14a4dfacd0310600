// Test helpers: config through the real loader, and periodic runs in a given state.
import type { LoadedConfig } from '@jetprow/config';
import { newProwJob, periodicSpec } from '@jetprow/core';
import type { ProwJob, ProwJobState } from '@jetprow/schemas';
import { loadConfigFiles } from './test-support.js';

/** The job config (and config.yaml) loaded as trigger loads it; no plugins.yaml. */
export function loadTestConfig(
  jobsYaml: string,
  configYaml = 'prowjob_namespace: prow\n',
): LoadedConfig {
  return loadConfigFiles({ config: configYaml, jobs: jobsYaml });
}

export interface RunOptions {
  start: string;
  completion?: string;
  state?: ProwJobState;
  labels?: Record<string, string>;
  name?: string;
}

/** A periodic ProwJob of `job` as horologium would find it. */
export function periodicRun(job: string, o: RunOptions): ProwJob {
  const pj = newProwJob(periodicSpec({ name: job }), {
    name: o.name ?? `${job}-${o.start}`,
    now: new Date(o.start),
    labels: o.labels,
  });
  if (o.completion) pj.status.completionTime = o.completion;
  pj.status.state = o.state ?? (o.completion ? 'success' : 'pending');
  return pj;
}
