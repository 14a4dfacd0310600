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

/**
 * `prow.intents.<org>.<repo>`: a GitHub write another service wants done. Only reporter writes to
 * GitHub; it executes these. `id` is deterministic (the triggering delivery + what to write), and
 * is the JetStream msg-id, so an event handled twice asks once.
 */
export const WriteIntent = Type.Union([
  Type.Object({
    id: Type.String({ minLength: 1 }),
    kind: Type.Literal('comment'),
    org: Type.String(),
    repo: Type.String(),
    number: Type.Integer(),
    body: Type.String(),
  }),
  Type.Object({
    id: Type.String({ minLength: 1 }),
    kind: Type.Union([Type.Literal('add-label'), Type.Literal('remove-label')]),
    org: Type.String(),
    repo: Type.String(),
    number: Type.Integer(),
    label: Type.String(),
  }),
  /**
   * Prow's comment pruner: delete the bot's own comments on the issue whose body contains any of
   * `body_contains` (trigger prunes its earlier help comments once a `/test` or `/retest` runs).
   */
  Type.Object({
    id: Type.String({ minLength: 1 }),
    kind: Type.Literal('prune-comments'),
    org: Type.String(),
    repo: Type.String(),
    number: Type.Integer(),
    body_contains: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  }),
]);
export type WriteIntent = Type.Static<typeof WriteIntent>;
