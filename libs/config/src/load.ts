// The one config loader (Prow's config.Load + plugins ConfigAgent.Load): parse config.yaml, the
// job config tree and plugins.yaml; default; validate. All problems are collected and returned with
// the file (and job, field, line) they concern. Bad input never throws.
import { ConfigError } from './errors.js';
import { finalizeJobConfig } from './finalize-jobs.js';
import {
  decodeJobDoc,
  emptyRawJobConfig,
  mergeRawJobConfig,
  type RawJobConfig,
} from './job-doc.js';
import { readJobConfig } from './load-jobs.js';
import type { ParseCache } from './parse-cache.js';
import { emptyPluginsConfig, parsePluginsConfig, type PluginsConfig } from './plugins-config.js';
import { defaultProwConfig, parseProwConfig, type ProwConfig } from './prow-config.js';
import type { JobConfig } from './types.js';
import { validateJobConfig } from './validate.js';
import { readYaml } from './yaml-file.js';

/** Prow's flags: `--config-path`, `--job-config-path`, `--plugin-config`. */
export interface ConfigPaths {
  configPath?: string | undefined;
  jobConfigPath?: string | undefined;
  pluginConfigPath?: string | undefined;
}

export interface LoadedConfig {
  prow: ProwConfig;
  jobs: JobConfig;
  plugins: PluginsConfig;
  /** Job config files loaded (from `jobConfigPath`), in walk order. */
  files: string[];
  /** Job config YAML files skipped because of a `.prowignore`. */
  ignoredFiles: string[];
  /** Things Prow only warns about (deprecated forms); the config is usable. */
  warnings: ConfigError[];
}

export type LoadResult = { ok: true; config: LoadedConfig } | { ok: false; errors: ConfigError[] };

export interface LoadOptions {
  /** Reuse parsed files that have not changed since the previous load (used by the watcher). */
  cache?: ParseCache | undefined;
}

function parseCached<T>(
  file: string,
  cache: ParseCache | undefined,
  parse: (file: string) => T,
): T {
  return cache ? cache.get(file, parse) : parse(file);
}

function parseConfigFile(file: string) {
  const y = readYaml(file);
  if (!y.ok) return { prow: defaultProwConfig(), jobs: emptyRawJobConfig(), errors: [y.error] };
  const prow = parseProwConfig(y.value, file);
  const jobs = decodeJobDoc(y.value, file);
  return { prow: prow.config, jobs: jobs.config, errors: [...prow.errors, ...jobs.errors] };
}

function parsePluginFile(file: string) {
  const y = readYaml(file);
  if (!y.ok) return { config: emptyPluginsConfig(), errors: [y.error], warnings: [] };
  return parsePluginsConfig(y.value, file);
}

/**
 * Loads config.yaml, the job config (a file or a directory tree) and plugins.yaml: parse, then
 * default, then validate, as Prow does. Returns every error found, each naming its file; never
 * throws for bad input.
 */
export function loadConfig(paths: ConfigPaths, options: LoadOptions = {}): LoadResult {
  try {
    return load(paths, options);
  } catch (err) {
    // A bug in the loader, not bad input: still report rather than crash the caller.
    const file = paths.configPath ?? paths.jobConfigPath ?? paths.pluginConfigPath ?? '<config>';
    const message = `internal error loading config: ${(err as Error).stack ?? String(err)}`;
    return { ok: false, errors: [new ConfigError({ file, message })] };
  }
}

function load(paths: ConfigPaths, options: LoadOptions): LoadResult {
  const { cache } = options;
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];

  // Parse.
  let prow = defaultProwConfig();
  const raw: RawJobConfig = emptyRawJobConfig();
  if (paths.configPath) {
    const c = parseCached(paths.configPath, cache, parseConfigFile);
    prow = c.prow;
    errors.push(...c.errors);
    mergeRawJobConfig(raw, c.jobs);
    if (c.jobs.decorate_all_jobs !== undefined) raw.decorate_all_jobs = c.jobs.decorate_all_jobs;
  }
  let files: string[] = [];
  let ignoredFiles: string[] = [];
  if (paths.jobConfigPath) {
    const j = readJobConfig(paths.jobConfigPath, cache);
    errors.push(...j.errors);
    mergeRawJobConfig(raw, j.config);
    files = j.files;
    ignoredFiles = j.ignored;
  }
  let plugins = emptyPluginsConfig();
  if (paths.pluginConfigPath) {
    const p = parseCached(paths.pluginConfigPath, cache, parsePluginFile);
    plugins = p.config;
    errors.push(...p.errors);
    warnings.push(...p.warnings);
  }
  if (errors.length > 0) return { ok: false, errors };

  // Default, then validate.
  const finalized = finalizeJobConfig(raw, prow);
  errors.push(...finalized.errors);
  errors.push(...validateJobConfig(finalized.jobs, prow));
  if (errors.length > 0) return { ok: false, errors };

  return {
    ok: true,
    config: { prow, jobs: finalized.jobs, plugins, files, ignoredFiles, warnings },
  };
}
