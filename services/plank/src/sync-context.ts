// What the sync functions share: their dependencies, the reconcile result, and the few runner and
// store operations every state needs (each wrapped so a failure says which job and what).
import type { Log } from '@jetprow/bus';
import type { PlankConfig } from '@jetprow/config';
import { envForProwJob, renderForProwJob, type BuildIdSource } from '@jetprow/core';
import { BuildStartError, type BuildStatus, type JobRunner } from '@jetprow/runner';
import type { ProwJob } from '@jetprow/schemas';
import { updateWithRetry, type JobStore } from '@jetprow/store';
import type { AdmissionLock } from './admission-lock.js';
import {
  resolveSettings,
  type PlankConfigView,
  type PlankSettings,
  type ResolvedPlankSettings,
} from './settings.js';

export type ReconcileOutcome =
  | 'absent' // no such job (deleted)
  | 'complete' // nothing left to do
  | 'ignored' // not plank's (another agent, scheduling)
  | 'started' // triggered → pending with a new build
  | 'adopted' // triggered → pending with the build that already existed
  | 'blocked' // triggered, held back by a concurrency limit (or its lock): looked at again later
  | 'start-error' // the build can never start → error
  | 'running' // pending, build still running: watched (and a timeout's deadline set)
  | 'finished' // pending → success / failure / error / aborted (a timeout)
  | 'restarted' // pending, build missing: a new one started
  | 'revived' // pending, build stopped unexpectedly: revival counted, build replaced
  | 'clearing' // pending, a replaced build is still going away
  | 'stopped' // aborted: build stopped, job completed
  | 'superseded'; // the job changed under us: the CAS declined, the next nudge looks again

export interface ReconcileResult {
  outcome: ReconcileOutcome;
  /** Epoch ms at which the job wants another look (a deadline on the bus). */
  requeueAt?: number;
}

/** Outcomes after which the job needs no deadline any more. */
export const FINAL_OUTCOMES: ReadonlySet<ReconcileOutcome> = new Set([
  'absent',
  'complete',
  'start-error',
  'finished',
  'stopped',
]);

export interface ReconcilerDeps {
  store: JobStore;
  runner: JobRunner;
  /** The config getter (Prow's config.Getter): called on every use, never kept. */
  getConfig: () => PlankConfigView;
  /** plank's own knobs (not in config.yaml); defaults in settings.ts. */
  settings?: PlankSettings;
  now: () => Date;
  buildIds: BuildIdSource;
  /** Asks for another reconcile of a job (a JobNudge). One function: runner.watch dedupes by it. */
  nudge: (name: string) => void;
  log: Log;
  /** Serializes admissions under concurrency limits. Default: within this process only. */
  lock?: AdmissionLock;
  /** Names this replica as a lock holder. */
  holder?: string;
}

/** A retryable failure talking to the runner; the message is redelivered with back-off. */
export class BuildRunnerError extends Error {
  override readonly name = 'BuildRunnerError';
}

export interface SyncContext extends Required<Pick<ReconcilerDeps, 'lock' | 'holder'>> {
  deps: ReconcilerDeps;
  settings: ResolvedPlankSettings;
  /** config.yaml's `plank:`, as loaded now. */
  config(): PlankConfig;
  /** `status.url` (Prow's JobURL): `plank.job_url_template` over the job, else settings.jobUrl. */
  jobUrl: (pj: ProwJob) => string;
  nowMs(): number;
  write(name: string, mutate: (pj: ProwJob) => boolean): Promise<ProwJob | undefined>;
  status(name: string): Promise<BuildStatus>;
  /** Starts a build (removing any leftover first). A BuildStartError is returned, not thrown. */
  startBuild(pj: ProwJob, buildId: string): Promise<BuildStartError | undefined>;
  /** Ends a running build (Prow deletes the Pod; the local runner keeps its log). */
  stopBuild(name: string): Promise<void>;
  /** Removes the build so the name is free for a new one. */
  removeBuild(name: string): Promise<void>;
}

/**
 * `floor((now + delay) / delay) * delay`: every re-check asked within one period is one deadline.
 */
export function requeueBucket(nowMs: number, delayMs: number): number {
  const d = Math.max(1, delayMs);
  return Math.floor((nowMs + d) / d) * d;
}

export function result(outcome: ReconcileOutcome, requeueAt?: number): ReconcileResult {
  return requeueAt === undefined ? { outcome } : { outcome, requeueAt };
}

async function runnerCall<T>(what: string, name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new BuildRunnerError(`${what} build ${name}`, { cause: err });
  }
}

export function syncContext(deps: ReconcilerDeps, defaultLock: AdmissionLock): SyncContext {
  const { runner } = deps;
  const settings = resolveSettings(deps.settings);
  const config = () => deps.getConfig().prow.plank;
  return {
    deps,
    lock: deps.lock ?? defaultLock,
    holder: deps.holder ?? 'plank',
    settings,
    config,
    jobUrl: (pj) => {
      const template = config().job_url_template;
      if (!template) return settings.jobUrl(pj);
      try {
        return renderForProwJob(template, pj);
      } catch (err) {
        // Prow's JobURL: an execution error is logged and the URL is ''.
        const fields = { err: String(err), prowjob: pj.metadata.name };
        deps.log.error(fields, 'error executing URL template');
        return '';
      }
    },
    nowMs: () => deps.now().getTime(),
    write: (name, mutate) => updateWithRetry(deps.store, name, mutate),
    status: (name) => runnerCall('read', name, () => runner.status(name)),
    async startBuild(pj, buildId) {
      try {
        await runner.delete(pj.metadata.name); // leftovers of a lost build: never adopt those
        await runner.start(pj, buildId, envForProwJob(pj, buildId));
        return undefined;
      } catch (err) {
        if (err instanceof BuildStartError) return err;
        throw new BuildRunnerError(`start build ${pj.metadata.name}`, { cause: err });
      }
    },
    stopBuild: (name) => runnerCall('stop', name, () => runner.stop(name)),
    removeBuild: (name) => runnerCall('remove', name, () => runner.delete(name)),
  };
}
