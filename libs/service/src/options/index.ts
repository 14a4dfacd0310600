export {
  flagTokens,
  parseFlags,
  usageText,
  UsageError,
  type Flag,
  type FlagToken,
  type OptionGroup,
  type OptionsOf,
  type ParseFlagsOptions,
  type RawFlags,
  type UsageSpec,
} from './group.js';
export {
  BASE_GROUPS,
  configOptions,
  instrumentationOptions,
  loggingOptions,
  natsOptions,
  type ConfigOptions,
  type NatsOptions,
  type InstrumentationOptions,
} from './common.js';
export {
  DEFAULT_GITHUB_WRITE_LIMITS,
  githubOptions,
  githubWriteOptions,
  parseWriteLimits,
  type GitHubOptions,
  type GitHubWriteOptions,
  type WriteLimit,
} from './github.js';
export { kubernetesOptions, type KubernetesOptions } from './kubernetes.js';
export { dataDirOptions, jobPageOptions, webhookOptions, type WebhookOptions } from './local.js';

import { BASE_GROUPS } from './common.js';
import { githubOptions, githubWriteOptions } from './github.js';
import { kubernetesOptions } from './kubernetes.js';
import { dataDirOptions, jobPageOptions, webhookOptions } from './local.js';

/** Every group jetprow has: a command refuses a known flag it does not read by name. */
export const ALL_GROUPS = [
  ...BASE_GROUPS,
  kubernetesOptions,
  githubOptions,
  githubWriteOptions,
  webhookOptions,
  dataDirOptions,
  jobPageOptions,
] as const;
