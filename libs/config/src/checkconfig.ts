// checkconfig (Prow's cmd/checkconfig): load everything as Prow's components would, with
// checkconfig's CheckUnknownPlugins, then run the warning checks that are enabled. Errors mean a
// component would refuse the config; warnings are findings that do not stop a component, and
// become errors with `strict`. Unlike Prow, every error and every warning is reported at once,
// each naming its file, job and field.
import type { ConfigError } from './errors.js';
import { loadConfig, type ConfigPaths, type LoadedConfig } from './load.js';
import type { ParseCache } from './parse-cache.js';
import {
  managedWebhooks,
  rerunCommands,
  unknownFieldChecks,
  unmanagedBranchConfig,
  validateURLs,
} from './checkconfig/config-checks.js';
import type { CheckContext } from './checkconfig/context.js';
import {
  duplicateJobRefs,
  longJobNames,
  nonDecoratedJobs,
  periodicDefaultClone,
  requiredJobAnnotations,
  validateClusterField,
  validDecorationConfig,
} from './checkconfig/job-checks.js';
import {
  missingTrigger,
  validateConfigUpdaterACLs,
  validateLabel,
  validateOwners,
} from './checkconfig/plugin-checks.js';
import {
  mismatchedTide,
  needsOkToTest,
  tideContextPolicy,
  tideStrictBranch,
} from './checkconfig/tide-checks.js';
import {
  enabledWarnings,
  warningNameError,
  Warnings,
  type WarningName,
  type WarningOptions,
} from './checkconfig/warnings.js';

export interface CheckOptions extends WarningOptions {
  /** `--strict`: warnings are errors. */
  strict?: boolean | undefined;
  /** `--required-job-annotations`: annotation keys every job must have. */
  requiredJobAnnotations?: readonly string[] | undefined;
  cache?: ParseCache | undefined;
  /** The time managed_webhooks' token_created_after is compared with (default: now). */
  now?: Date | undefined;
}

/** One warning: the check that found it (none for the check Prow always runs) and where. */
export interface CheckFinding {
  warning: WarningName | undefined;
  error: ConfigError;
}

export interface CheckResult {
  /**
   * False when the config does not load (see `errors`), or, with `strict`, when any check found
   * something (see `findings`).
   */
  ok: boolean;
  /** `N presubmits, N postsubmits, N periodics` when the config loads. */
  summary?: string;
  /** Each error as `file[:line[:col]]: job "x": field y: message`. */
  errors: string[];
  /**
   * Each warning as `file[:line[:col]]: job "x": field y: message [warning-name]`, then the
   * deprecations Prow logs (which `strict` does not turn into errors).
   */
  warnings: string[];
  findings: CheckFinding[];
  /** Deprecated forms in use, as Prow logs them. */
  deprecations: string[];
}

type Check = (ctx: CheckContext) => ConfigError[];

/** The checks in the order Prow runs them (validate in cmd/checkconfig/main.go). */
function checksFor(on: Set<string>, hasPlugins: boolean): [WarningName | undefined, Check][] {
  const checks: [WarningName | undefined, Check][] = [];
  const add = (name: WarningName, check: Check, needsPlugins = false) => {
    if (on.has(name) && (hasPlugins || !needsPlugins)) checks.push([name, check]);
  };
  if (hasPlugins && on.has(Warnings.mismatchedTide)) {
    checks.push([Warnings.mismatchedTide, (c) => mismatchedTide(c, true)]);
  } else if (hasPlugins && on.has(Warnings.mismatchedTideLenient)) {
    checks.push([Warnings.mismatchedTideLenient, (c) => mismatchedTide(c, false)]);
  }
  add(Warnings.nonDecoratedJobs, nonDecoratedJobs);
  add(Warnings.validDecorationConfig, validDecorationConfig);
  add(Warnings.jobNameLength, longJobNames);
  add(Warnings.jobRefsDuplication, duplicateJobRefs);
  add(Warnings.periodicDefaultClone, periodicDefaultClone);
  add(Warnings.needsOkToTest, needsOkToTest);
  add(Warnings.managedWebhooks, managedWebhooks);
  add(Warnings.validateOwners, validateOwners, true);
  add(Warnings.missingTrigger, missingTrigger, true);
  add(Warnings.validateURLs, validateURLs, true);
  if (on.has(Warnings.unknownFieldsAll)) {
    checks.push([Warnings.unknownFieldsAll, (c) => unknownFieldChecks(c, true)]);
  } else if (on.has(Warnings.unknownFields)) {
    checks.push([Warnings.unknownFields, (c) => unknownFieldChecks(c, false)]);
  }
  add(Warnings.tideStrictBranch, tideStrictBranch);
  add(Warnings.tideContextPolicy, tideContextPolicy);
  add(Warnings.validateClusterField, validateClusterField);
  // validate-supplemental-prow-config-hierarchy: jetprow reads no supplemental config dirs.
  add(Warnings.validateUnmanagedBranchConfig, unmanagedBranchConfig);
  add(Warnings.validateLabel, validateLabel, true);
  add(Warnings.validateConfigUpdaterACLs, validateConfigUpdaterACLs, true);
  add(Warnings.requiredJobAnnotations, requiredJobAnnotations);
  checks.push([undefined, rerunCommands]);
  return checks;
}

const count = (m: Record<string, unknown[]>) => Object.values(m).reduce((n, l) => n + l.length, 0);

function summaryOf(config: LoadedConfig): string {
  const { jobs } = config;
  const pre = count(jobs.presubmits);
  const post = count(jobs.postsubmits);
  return `${pre} presubmits, ${post} postsubmits, ${jobs.periodics.length} periodics`;
}

/** Loads the config and runs the enabled warning checks. Bad warning names throw. */
export function checkConfig(paths: ConfigPaths, options: CheckOptions = {}): CheckResult {
  const nameError = warningNameError(options);
  if (nameError) throw new Error(nameError);
  const r = loadConfig(paths, {
    cache: options.cache,
    now: options.now,
    checkUnknownPlugins: true,
  });
  if (!r.ok) {
    return {
      ok: false,
      errors: r.errors.map(String),
      warnings: [],
      findings: [],
      deprecations: [],
    };
  }
  const ctx: CheckContext = {
    config: r.config,
    configFile: paths.configPath ?? '',
    pluginFile: paths.pluginConfigPath,
    jobConfigPath: paths.jobConfigPath,
    requiredJobAnnotations: options.requiredJobAnnotations ?? [],
  };
  const findings: CheckFinding[] = [];
  for (const [warning, check] of checksFor(enabledWarnings(options), !!paths.pluginConfigPath)) {
    for (const error of check(ctx)) findings.push({ warning, error });
  }
  const deprecations = r.config.warnings.map(String);
  const warnings = [
    ...findings.map((f) => (f.warning ? `${String(f.error)} [${f.warning}]` : String(f.error))),
    ...deprecations,
  ];
  return {
    ok: !(options.strict && findings.length > 0),
    summary: summaryOf(r.config),
    errors: [],
    warnings,
    findings,
    deprecations,
  };
}
