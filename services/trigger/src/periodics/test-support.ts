// Test helpers: config through the real loader, and periodic runs in a given state.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '@jetprow/config';
import { newProwJob, periodicSpec } from '@jetprow/core';
import type { ProwJob, ProwJobState } from '@jetprow/schemas';

export function loadTestConfig(
  jobsYaml: string,
  configYaml = 'prowjob_namespace: prow\n',
): LoadedConfig {
  const dir = mkdtempSync(join(tmpdir(), 'horologium-test-'));
  writeFileSync(join(dir, 'config.yaml'), configYaml);
  writeFileSync(join(dir, 'jobs.yaml'), jobsYaml);
  const r = loadConfig({
    configPath: join(dir, 'config.yaml'),
    jobConfigPath: join(dir, 'jobs.yaml'),
  });
  if (!r.ok) throw new Error(r.errors.map(String).join('\n'));
  return r.config;
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
