// plank's deadlines: a reconcile that wants another look at a job at some time (a timeout, a
// concurrency re-check) returns `requeueAt`; that becomes a delayed message on PROW_TIMERS
// (`prow.timers.deadline.<prowjob>.<due-ms>`, libs/bus delayed.ts), and when it is due any
// replica turns it into a job nudge. No polling loops, nothing kept in a process.
import {
  cancelDelayed,
  runDelayed,
  scheduleDelayed,
  type Bus,
  type Log,
  type RunningConsumer,
} from '@jetprow/bus';
import { jobNudge } from './nudges.js';
import type { Publish } from './publisher.js';
import { FINAL_OUTCOMES, type ReconcileResult } from './sync-context.js';

/** The PROW_TIMERS queue of plank's deadlines. */
export const DEADLINE_QUEUE = 'deadline';
/** The durable consumer that turns due deadlines into job nudges. */
export const DEADLINE_CONSUMER = 'plank-deadlines';
/** Deadlines one replica remembers having stored. */
const MEMO_SIZE = 10_000;
/** A deadline nearer than this is always re-published: it may have fired already. */
const NEAR_MS = 5000;

export interface DeadlineDeps {
  bus: Bus;
  publish: Publish;
  log: Log;
  /** Epoch ms. */
  now: () => number;
  ackWaitMs: number;
}

export interface Deadlines extends RunningConsumer {
  /**
   * After a reconcile: stores the deadline it asked for before the nudge is acked (so it is never
   * lost), or drops the job's waiting deadlines once nothing is left to do.
   */
  followUp(name: string, res: ReconcileResult): Promise<void>;
}

export async function startDeadlines(deps: DeadlineDeps): Promise<Deadlines> {
  const { bus, publish, log, now } = deps;
  // The bus keeps one message per job and due time; this only spares re-publishing what this
  // replica already stored (every resync reconciles every waiting job).
  const scheduled = new Map<string, number>();
  const consumer = await runDelayed(bus, {
    queue: DEADLINE_QUEUE,
    durable: DEADLINE_CONSUMER,
    ackWaitMs: deps.ackWaitMs,
    log,
    now,
    async fire(name, dueAt) {
      const ok = await publish(jobNudge(name, 'deadline', `${name}#deadline-${dueAt}`));
      if (!ok) throw new Error(`deadline of ${name}: nudge not published`); // retried
    },
  });
  return {
    ...consumer,
    async followUp(name, res) {
      if (res.requeueAt !== undefined) {
        const far = res.requeueAt - now() > NEAR_MS;
        if (far && scheduled.get(name) === res.requeueAt) return;
        await scheduleDelayed(bus, DEADLINE_QUEUE, name, res.requeueAt);
        scheduled.delete(name); // re-insert: the map's order is recency
        scheduled.set(name, res.requeueAt);
        if (scheduled.size > MEMO_SIZE) scheduled.delete(scheduled.keys().next().value!);
      } else if (FINAL_OUTCOMES.has(res.outcome)) {
        scheduled.delete(name);
        // Best effort: a stray deadline only nudges a finished job, which does nothing.
        await cancelDelayed(bus, DEADLINE_QUEUE, name).catch((err: unknown) =>
          log.warn({ err: String(err), prowjob: name }, 'deadlines not cancelled'),
        );
      }
    },
  };
}
