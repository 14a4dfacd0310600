// checkconfig (Prow's cmd/checkconfig): load everything with the loader's full validation and
// summarise. `ok` is false exactly when a component would refuse to load the config.
import { loadConfig, type ConfigPaths, type LoadOptions } from './load.js';

export interface CheckResult {
  ok: boolean;
  /** `N presubmits, N postsubmits, N periodics` when the config loads. */
  summary?: string;
  /** Each error as `file[:line[:col]]: job "x": field y: message`. */
  errors: string[];
  /** Deprecations and other problems Prow only warns about. */
  warnings: string[];
}

export function checkConfig(paths: ConfigPaths, options: LoadOptions = {}): CheckResult {
  const r = loadConfig(paths, options);
  if (!r.ok) return { ok: false, errors: r.errors.map(String), warnings: [] };
  const { jobs } = r.config;
  const count = (m: Record<string, unknown[]>) =>
    Object.values(m).reduce((n, l) => n + l.length, 0);
  const pre = count(jobs.presubmits);
  const post = count(jobs.postsubmits);
  return {
    ok: true,
    summary: `${pre} presubmits, ${post} postsubmits, ${jobs.periodics.length} periodics`,
    errors: [],
    warnings: r.config.warnings.map(String),
  };
}
