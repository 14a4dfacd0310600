// The feeder: the JobStore's change feed onto the bus. Every put of an incomplete job becomes a
// JobNudge on its shard; every put whose state the GitHub reporter has not reported yet becomes a
// ReportNudge. Every plank replica runs one: msg-id `${name}@${resourceVersion}` makes the
// replicas' copies one message. On start the feed replays every current job (a resync): those
// nudges carry a per-instance id, so a restarted plank looks at every incomplete job again even
// when the change itself was published minutes ago (its watch on a running build died with the
// old process).
import type { Log } from '@jetprow/bus';
import type { JobChange, JobStore } from '@jetprow/store';
import { changeMsgId, jobNudgeForChange, reportNudgeFor } from './nudges.js';
import type { Publish } from './publisher.js';

export interface FeederDeps {
  store: JobStore;
  publish: Publish;
  log: Log;
  /** Distinguishes this process's start-up replay from other replicas'. */
  instanceId: string;
  /** Sees every change after it was fed (metrics). */
  observe?: (change: JobChange) => void;
}

export interface Feeder {
  /** Resolves once the current jobs have been replayed. */
  synced: Promise<void>;
  stop(): void;
}

export async function startFeeder(deps: FeederDeps): Promise<Feeder> {
  const { publish, log } = deps;
  const watch = await deps.store.watch(async (change) => {
    try {
      deps.observe?.(change);
      const pj = change.job;
      if (change.type !== 'put' || !pj) return;
      const replayId = change.isUpdate ? undefined : `${changeMsgId(pj)}#replay-${deps.instanceId}`;
      const job = jobNudgeForChange(pj, replayId);
      const report = reportNudgeFor(pj);
      await Promise.all([job && publish(job), report && publish(report)]);
    } catch (err) {
      // Never break the feed: the resync timer covers a job whose nudge was not published.
      log.error({ err: String(err), prowjob: change.name }, 'feeder: change not fed');
    }
  });
  return { synced: watch.synced, stop: () => watch.stop() };
}
