export { BuildStartError } from './job-runner.js';
export type { JobRunner, BuildStatus, BuildInfo, BuildPhase } from './job-runner.js';
export { LocalProcessRunner, BUILD_WRAPPER } from './local-process-runner.js';
export type { LocalProcessRunnerOptions, RunnerLog } from './local-process-runner.js';
// The PodRunner (and the Pod spec, decoration and status code it uses) loads on demand
// (pod-open.ts): a service on local processes loads none of it, nor @kubernetes/client-node.
export { openJobRunner } from './pod-open.js';
export type { JobRunnerChoice } from './pod-open.js';
