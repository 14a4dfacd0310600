// Bus messages other than GitHub events. All are level-triggered: they name a thing to look at;
// the handler reads its current state from the store.
import Type from 'typebox';

/** `prow.jobs.<shard>`: reconcile this ProwJob. */
export const JobNudge = Type.Object({
  name: Type.String({ minLength: 1 }),
  reason: Type.Optional(Type.String()),
});
export type JobNudge = Type.Static<typeof JobNudge>;

/** `prow.reports.<org>.<repo>.<sha>.<context>`: report this ProwJob's current state. */
export const ReportNudge = Type.Object({
  name: Type.String({ minLength: 1 }),
  state: Type.Optional(Type.String()),
});
export type ReportNudge = Type.Static<typeof ReportNudge>;

/** `prow.timers.<name>`: the one message of a periodic bus timer. */
export const TimerTick = Type.Object({
  name: Type.String({ minLength: 1 }),
  period_ms: Type.Integer({ minimum: 1 }),
});
export type TimerTick = Type.Static<typeof TimerTick>;
