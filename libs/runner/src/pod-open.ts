// Creating the PodRunner without loading @kubernetes/client-node into every process: the index
// exports this, and the Kubernetes modules load on first use (plank and sinker on the embedded
// default never import client-node).
import type { JobRunner } from './job-runner.js';
import type { PodRunnerOptions } from './pod-runner.js';

export async function openPodRunner(opts: PodRunnerOptions): Promise<JobRunner> {
  const { PodRunner } = await import('./pod-runner.js');
  return new PodRunner(opts);
}
