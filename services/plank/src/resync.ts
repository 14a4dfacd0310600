// The resync: a bus timer (`plank-resync`, fires once per period across all replicas) that nudges
// every incomplete job. It is what finds a pending job whose watching replica died while no
// replica restarted, and a job whose nudge could not be published.
import { runTimer, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import { isComplete } from '@jetprow/schemas';
import type { JobStore } from '@jetprow/store';
import { changeMsgId, jobNudge } from './nudges.js';
import type { Publish } from './publisher.js';

export const RESYNC_TIMER = 'plank-resync';
/** Publishes in flight at once (the client is fastest around 128–256). */
const WINDOW = 256;

export interface ResyncDeps {
  bus: Bus;
  store: JobStore;
  publish: Publish;
  log: Log;
  periodMs: () => number;
}

/** Publishes one nudge per incomplete job; returns how many. */
export async function resyncOnce(deps: Omit<ResyncDeps, 'bus'>, tick: number): Promise<number> {
  const jobs = (await deps.store.list({}, { incomplete: true })).filter((pj) => !isComplete(pj));
  let failed = 0;
  for (let i = 0; i < jobs.length; i += WINDOW) {
    const batch = jobs.slice(i, i + WINDOW).map((pj) =>
      // The tick in the id: a retried fire re-publishes nothing, the next period's fire is new.
      deps.publish(jobNudge(pj.metadata.name, 'resync', `${changeMsgId(pj)}#resync-${tick}`)),
    );
    failed += (await Promise.all(batch)).filter((ok) => !ok).length;
  }
  if (failed > 0) throw new Error(`resync: ${failed} of ${jobs.length} nudges not published`);
  return jobs.length;
}

export async function startResync(deps: ResyncDeps): Promise<RunningConsumer> {
  const log = deps.log.child({ timer: RESYNC_TIMER });
  return runTimer(deps.bus, {
    name: RESYNC_TIMER,
    periodMs: deps.periodMs,
    log,
    async fire() {
      const n = await resyncOnce(deps, Math.floor(Date.now() / deps.periodMs()));
      log.debug({ jobs: n }, 'resync: incomplete jobs nudged');
    },
  });
}
