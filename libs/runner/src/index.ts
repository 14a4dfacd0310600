export { BuildStartError } from './job-runner.js';
export type { JobRunner, BuildStatus, BuildInfo, BuildPhase } from './job-runner.js';
