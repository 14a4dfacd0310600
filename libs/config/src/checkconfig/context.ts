// What every checkconfig check gets: the loaded config, the files it came from, and one way to
// build a finding that names the file (and line), the job and the field.
import { ConfigError } from '../errors.js';
import type { LoadedConfig } from '../load.js';
import { formatPath } from '../schema-decode.js';
import type { AnyJob } from '../types.js';
import { locate } from '../yaml-file.js';

export interface CheckContext {
  config: LoadedConfig;
  /** `--config-path`; findings about config.yaml name it. */
  configFile: string;
  /** `--plugin-config`, when given. */
  pluginFile: string | undefined;
  /** `--job-config-path`, when given. */
  jobConfigPath: string | undefined;
  /** `--required-job-annotations`. */
  requiredJobAnnotations: readonly string[];
}

/** A finding at a YAML path of `file` (located when the path is found). */
export function at(
  file: string,
  path: (string | number)[],
  message: string,
  job?: string,
): ConfigError {
  const pos = path.length > 0 ? locate(file, path) : undefined;
  return new ConfigError({
    file,
    job,
    field: path.length > 0 ? formatPath(path) : undefined,
    message,
    line: pos?.line,
    column: pos?.column,
  });
}

/** A finding about a job, in the file it was read from. */
export function aboutJob(job: AnyJob, message: string, field?: string): ConfigError {
  return new ConfigError({ file: job.source_path, job: job.name, field, message });
}

export function allPresubmits(c: LoadedConfig) {
  return Object.entries(c.jobs.presubmits).flatMap(([repo, jobs]) =>
    jobs.map((job) => ({ repo, job })),
  );
}

export function allPostsubmits(c: LoadedConfig) {
  return Object.entries(c.jobs.postsubmits).flatMap(([repo, jobs]) =>
    jobs.map((job) => ({ repo, job })),
  );
}
