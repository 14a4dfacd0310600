// JobRunner: start, observe and stop the build of a ProwJob. The build's name is the ProwJob's
// name (Prow: pod name = ProwJob name), so starting twice adopts instead of duplicating.
// Backends: local processes (embedded default) and Pods (Kubernetes).
import type { ProwJob } from '@jetprow/schemas';

/** Pod phases, plus `missing` (no such build) and `unknown` (Pod phase Unknown: node lost). */
export type BuildPhase = 'missing' | 'pending' | 'running' | 'succeeded' | 'failed' | 'unknown';

export interface BuildStatus {
  phase: BuildPhase;
  exitCode?: number;
  /** ISO time the build started (Pod status.startTime). */
  startedAt?: string;
  /** ISO time it finished. */
  finishedAt?: string;
  /** Why, when the runner knows (e.g. "OOMKilled", "stopped", "lost"). */
  reason?: string;
  /** The build id the build was started with (Pod label `prow.k8s.io/build-id`), when known. */
  buildId?: string;
  /** ISO time the build object was created (Pod metadata.creationTimestamp). */
  createdAt?: string;
  /** Pending builds: whether it has been scheduled (Pod condition PodScheduled=True). */
  scheduled?: boolean;
  /** The build is being deleted (Pod metadata.deletionTimestamp set). */
  deleting?: boolean;
  /**
   * Why the build stopped unexpectedly, as Prow distinguishes it: `Evicted` (Pod status.reason),
   * `NodeLost` (node lost while deleting), `OOMKilled` (a container was OOM-killed).
   */
  disruption?: 'Evicted' | 'NodeLost' | 'OOMKilled';
  /** Succeeded builds: every container exited 0 (Prow: else "some containers didn't finish"). */
  allContainersSucceeded?: boolean;
}

export interface BuildInfo {
  name: string;
  /** The ProwJob the build belongs to (label `prow.k8s.io/id`); usually equal to name. */
  prowJob: string;
  startedAt: string;
  phase: BuildPhase;
  buildId?: string;
}

export class BuildStartError extends Error {
  override readonly name = 'BuildStartError';
}

export interface JobRunner {
  /**
   * Starts the build with `env` (Prow's env vars) added to the job's own. Idempotent: when a
   * build of that name exists it is adopted, never started again. Throws BuildStartError when the
   * job can never be started (Prow: "Pod can not be created").
   */
  start(pj: ProwJob, buildId: string, env: Record<string, string>): Promise<void>;
  status(name: string): Promise<BuildStatus>;
  /** Stops a running build (abort). Idempotent. */
  stop(name: string): Promise<void>;
  /** Removes the build and what it left (sinker). Idempotent. */
  delete(name: string): Promise<void>;
  list(): Promise<BuildInfo[]>;
  /**
   * Calls `onDone(name)` once when the build finishes, or is found finished or gone. Watching the
   * same name again with the same function registers it once (a re-reconcile adds no listener).
   */
  watch(name: string, onDone: (name: string) => void): void;
  /**
   * The build's output (stdout + stderr), undefined when there is no such build. `tailBytes`
   * keeps only the end (Pod logs `limitBytes`). Optional: a runner may not keep logs.
   */
  readLog?(name: string, opts?: { tailBytes?: number }): Promise<string | undefined>;
  close(): Promise<void>;
}
