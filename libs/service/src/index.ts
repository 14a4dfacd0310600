export { createLogger, jobFields } from './logger.js';
export type { Logger } from './logger.js';
export * from './options/index.js';
export { listen, healthApp, metricsApp, metricOnce, newRegistry } from './http.js';
export type { Listening } from './http.js';
export {
  defineService,
  parseServiceFlags,
  requiredFlags,
  runService,
  serviceFlags,
  serviceGroups,
  serviceUsage,
} from './run-service.js';
export type {
  BaseOptions,
  ServiceContext,
  ServiceDefinition,
  StartedService,
} from './run-service.js';
