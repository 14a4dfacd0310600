// `jetprow reporter` runs from ./main.ts; in-process use (tests, embedding) starts it here.
export { startReporter } from './reporter.js';
export type { Reporter, ReporterDeps } from './reporter.js';
