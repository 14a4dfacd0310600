export { createLogger, jobFields } from './logger.js';
export type { Logger } from './logger.js';
export {
  COMMON_OPTIONS,
  FLAG_OF,
  flagNames,
  GITHUB_OPTIONS,
  STORE_OPTIONS,
  flagTokens,
  parseOptions,
  refuseUnusedFlags,
  UsageError,
} from './flags.js';
export type { CommonOptions, FlagToken, OptionKey } from './flags.js';
export { listen, healthApp, metricsApp, metricOnce, newRegistry } from './http.js';
export type { Listening } from './http.js';
export { runService, serviceOptions } from './run-service.js';
export type { ServiceContext, ServiceDefinition, StartedService } from './run-service.js';
