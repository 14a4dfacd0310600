export { BuildStartError } from './job-runner.js';
export type { JobRunner, BuildStatus, BuildInfo, BuildPhase } from './job-runner.js';
export { LocalProcessRunner } from './local-process-runner.js';
export type { LocalProcessRunnerOptions, RunnerLog } from './local-process-runner.js';
export { containerCommand, expandVars, isValidBuildName } from './container-command.js';
export type { ContainerCommand } from './container-command.js';
// The PodRunner loads on demand (pod-open.ts): no client-node import otherwise.
export { openJobRunner, openPodRunner } from './pod-open.js';
export type { JobRunnerChoice } from './pod-open.js';
export type { PodRunner, PodRunnerOptions } from './pod-runner.js';
export { prowJobToPod, podLabelsAndAnnotations, kubeEnv, TEST_CONTAINER } from './pod-spec.js';
export type { PodManifest, PodContainer, PodOptions } from './pod-spec.js';
export { buildStatusOf, buildInfoOf, podBuildId, podDisruption, didPodSucceed, reconcileKey } from './pod-status.js';
export type { PodView } from './pod-status.js';
