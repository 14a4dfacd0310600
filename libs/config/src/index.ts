// @jetprow/config: Prow's config.yaml, job config and plugins.yaml, loaded as Prow loads them.
export { loadConfig } from './load.js';
export type { ConfigPaths, LoadedConfig, LoadOptions, LoadResult } from './load.js';
export { watchConfig, watchFile, pollForChanges, ConfigLoadError, fingerprint } from './getter.js';
export type { ConfigWatcher, PollOptions, Reload, Watched, WatchOptions } from './getter.js';
export { checkConfig } from './checkconfig.js';
export type { CheckFinding, CheckOptions, CheckResult } from './checkconfig.js';
export {
  Warnings,
  ALL_WARNINGS,
  DEFAULT_WARNINGS,
  EXPENSIVE_WARNINGS,
  OPTIONAL_WARNINGS,
  enabledWarnings,
  warningNameError,
} from './checkconfig/warnings.js';
export type { WarningName, WarningOptions } from './checkconfig/warnings.js';
export { unknownFields } from './known-fields/unknown-fields.js';
export type { UnknownField } from './known-fields/unknown-fields.js';
export { goUrlParseError } from './go-url.js';
export { KNOWN_PLUGINS } from './plugins-defaults.js';
export { ConfigError } from './errors.js';
export type { ConfigErrorInit } from './errors.js';
export { ParseCache } from './parse-cache.js';

export { parseDuration, parseDurationNs, checkDuration } from '@jetprow/core';
export { cronError, parseCron } from './cron.js';
export type { CronSchedule, CronField } from './cron.js';
export { nextCronTime, cronFiredBetween } from './cron-next.js';

export {
  EnvVar,
  VolumeMount,
  Volume,
  Container,
  PodSpec,
  UtilityImages,
  GCSConfiguration,
  DecorationConfig,
  RerunAuthConfig,
  ReporterConfig,
  ProwJobDefault,
  RawJobBase,
  RawPresubmit,
  RawPostsubmit,
  RawPeriodic,
  Retry,
  Preset,
} from './types.js';
export type {
  JobBase,
  Presubmit,
  Postsubmit,
  Periodic,
  PeriodicRetry,
  AnyJob,
  JobConfig,
} from './types.js';

export { parseProwConfig, defaultProwConfig } from './prow-config.js';
export type {
  ProwConfig,
  PlankConfig,
  SinkerConfig,
  GitHubReporterConfig,
  DefaultDecorationConfigEntry,
  ProwJobDefaultEntry,
  ParsedProwConfig,
  ParseProwConfigOptions,
} from './prow-config.js';
export type { TideConfig, TideQuery } from './tide-config.js';
export type { DeckConfig, SpyglassConfig } from './deck-config.js';
export type {
  GerritConfig,
  InRepoConfig,
  PubSubTrigger,
  SlackReporter,
} from './component-config.js';
export {
  parsePluginsConfig,
  emptyPluginsConfig,
  defaultTrigger,
  OrgPlugins,
  Trigger,
  ExternalPlugin,
} from './plugins-config.js';
export type { PluginsConfig, ProminentInvite } from './plugins-config.js';

export { readJobConfig } from './load-jobs.js';
export type { ReadJobsResult } from './load-jobs.js';
export { ProwIgnore, PROW_IGNORE_FILE } from './prowignore.js';
export { mergePreset, resolvePresets, presetMatches } from './presets.js';
export {
  mergeDefaultDecorationConfig,
  applyDecorationDefault,
  mergeProwJobDefault,
  validateDecorationConfig,
  DEFAULT_TENANT_ID,
} from './decoration.js';
export { DEFAULT_CLUSTER_ALIAS } from './finalize-jobs.js';
export {
  defaultTriggerFor,
  defaultRerunCommandFor,
  compileGoRegexp,
  compileJobMatchers,
  regexpError,
  runsAgainstBranch,
  runsAgainstAllBranches,
  presubmitRunsAgainst,
  postsubmitRunsAgainst,
  couldRun,
  branchesIntersect,
  hasChangeMatcher,
  shouldRunForChanges,
  triggerMatches,
  needsExplicitTrigger,
  triggersConditionally,
  contextRequired,
  presubmitShouldRun,
  postsubmitShouldRun,
} from './matchers.js';
export type { ChangedFilesProvider, BrancherFields, ChangeMatcherFields } from './matchers.js';
export {
  validateJobConfig,
  validatePresubmit,
  validatePostsubmit,
  validatePeriodic,
} from './validate.js';
export { reservedEnv, JOB_NAME_REGEX } from './validate-job-base.js';
export type { JobType } from './validate-job-base.js';
