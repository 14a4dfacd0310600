export { BuildStartError } from './job-runner.js';
export type { JobRunner, BuildStatus, BuildInfo, BuildPhase } from './job-runner.js';
export { LocalProcessRunner } from './local-process-runner.js';
export type { LocalProcessRunnerOptions, RunnerLog } from './local-process-runner.js';
export { containerCommand, expandVars, isValidBuildName } from './container-command.js';
export type { ContainerCommand } from './container-command.js';
