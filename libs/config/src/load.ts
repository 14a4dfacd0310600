// The one config loader (Prow's config.Load + plugins ConfigAgent.Load): parse config.yaml, the
// job config tree and plugins.yaml; default; validate. All problems are collected and returned with
// the file (and job, field, line) they concern. Bad input never throws.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
import { locate, readYaml } from './yaml-file.js';
import { unknownPluginErrors } from './plugins-validate.js';
import { typeErrors } from './known-fields/type-check.js';
import { formatPath } from './schema-decode.js';
import { stripProviderPrefix } from './deck-config.js';

/** loadConfig: a `VERSION` file beside config.yaml sets config_version_sha. */
function withConfigVersion(prow: ProwConfig, configPath: string): ProwConfig {
  const file = join(dirname(configPath), 'VERSION');
  if (!existsSync(file)) return prow;
  try {
    return { ...prow, config_version_sha: readFileSync(file, 'utf8') };
  } catch {
    return prow;
  }
}

/** calculateStorageBuckets: the buckets Deck may read when it validates storage paths. */
function storageBuckets(prow: ProwConfig, jobs: JobConfig): string[] {
  const known = new Set(prow.deck.all_known_storage_buckets);
  for (const e of prow.plank.default_decoration_config_entries) {
    const b = e.config?.gcs_configuration?.bucket;
    if (b) known.add(stripProviderPrefix(b));
  }
  const all = [
    ...jobs.periodics,
    ...Object.values(jobs.presubmits).flat(),
    ...Object.values(jobs.postsubmits).flat(),
  ];
  for (const j of all) {
    const gcs = j.decoration_config?.gcs_configuration;
    if (gcs) known.add(stripProviderPrefix(gcs.bucket ?? ''));
  }
  return [...known].sort();
}

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
  /** The time managed_webhooks' token_created_after is compared with (default: now). */
  now?: Date | undefined;
  /** Refuse plugin names Prow does not know (Prow's CheckUnknownPlugins; checkconfig sets it). */
  checkUnknownPlugins?: boolean | undefined;
}

function parseCached<T>(
  file: string,
  cache: ParseCache | undefined,
  parse: (file: string) => T,
): T {
  return cache ? cache.get(file, parse) : parse(file);
}

function parseConfigFile(file: string, now: Date | undefined) {
  const y = readYaml(file);
  if (!y.ok) {
    return {
      prow: defaultProwConfig(),
      jobs: emptyRawJobConfig(),
      errors: [y.error],
      warnings: [],
    };
  }
  const prow = parseProwConfig(y.value, file, { now });
  const jobs = decodeJobDoc(y.value, file);
  const errors = [...prow.errors, ...jobs.errors];
  errors.push(...typeErrors(y.value, 'config', file, errors));
  return { prow: prow.config, jobs: jobs.config, errors, warnings: prow.warnings };
}

function parsePluginFile(file: string) {
  const y = readYaml(file);
  if (!y.ok) return { config: emptyPluginsConfig(), errors: [y.error], warnings: [] };
  const p = parsePluginsConfig(y.value, file);
  return { ...p, errors: [...p.errors, ...typeErrors(y.value, 'plugins', file, p.errors)] };
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
    const c = parseCached(paths.configPath, cache, (f) => parseConfigFile(f, options.now));
    prow = withConfigVersion(c.prow, paths.configPath);
    errors.push(...c.errors);
    warnings.push(...c.warnings);
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
    if (options.checkUnknownPlugins) {
      const file = paths.pluginConfigPath;
      unknownPluginErrors(plugins.plugins, (path, message) => {
        const pos = locate(file, path);
        const field = formatPath(path);
        errors.push(
          new ConfigError({ file, field, message, line: pos?.line, column: pos?.column }),
        );
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  // Default, then validate.
  const finalized = finalizeJobConfig(raw, prow);
  errors.push(...finalized.errors);
  errors.push(...validateJobConfig(finalized.jobs, prow));
  if (errors.length > 0) return { ok: false, errors };

  prow = {
    ...prow,
    deck: { ...prow.deck, all_known_storage_buckets: storageBuckets(prow, finalized.jobs) },
  };
  return {
    ok: true,
    config: { prow, jobs: finalized.jobs, plugins, files, ignoredFiles, warnings },
  };
}
