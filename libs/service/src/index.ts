export { createLogger, jobFields } from './logger.js';
export type { Logger } from './logger.js';
export { parseOptions, UsageError } from './flags.js';
export type { CommonOptions } from './flags.js';
export { listen, healthApp, metricsApp, metricOnce, newRegistry } from './http.js';
export type { Listening } from './http.js';
export { runService } from './run-service.js';
export type { ServiceContext, ServiceDefinition, StartedService } from './run-service.js';
