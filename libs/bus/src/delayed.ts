// Delayed messages on the bus: "look at <key> at time T" (plank's deadlines, re-checks).
// nats-server 2.9 has no scheduled messages; nak(delay) is the durable timer
// (reference/nats-2.9.md). Each delayed message is one message on
// `prow.timers.<queue>.<key>.<due-ms>` in the PROW_TIMERS work queue, held by one durable consumer
// that naks it until it is due, then runs `fire` and acks.
//
// - Survives restarts of services and of nats-server: the message is on disk.
// - Never fires early: the due time is in the message, and any delivery before it (a nak lost
//   with a connection, a restart, a wait longer than `maxWaitMs`) is nak'd again for the rest.
// - Does not pile up: the subject names key and due time, and a message is only published when
//   none is waiting on its subject (expected last subject sequence 0), so scheduling the same
//   deadline from every reconcile, for hours, keeps one message.
// - Fires once however many replicas consume: one durable, one delivery at a time per message.
import Type from 'typebox';
import { Streams, encodeToken, timerSubject } from '@jetprow/core';
import { isMessageNotFound, isWrongLastSequence } from '@jetprow/kv';
import { decoder } from '@jetprow/schemas';
import type { Bus } from './connect.js';
import { runConsumer, type RunningConsumer } from './consume.js';
import { publishJson } from './publish.js';
import type { Log } from './log.js';

/** The payload of a delayed message. */
export const DelayedMessage = Type.Object({
  key: Type.String({ minLength: 1 }),
  /** Epoch milliseconds before which it must not fire. */
  due_at: Type.Integer({ minimum: 0 }),
});
export type DelayedMessage = Type.Static<typeof DelayedMessage>;

const decodeDelayed = decoder('delayed message', DelayedMessage);

/** Redeliveries of a waiting message happen at least this often (bounds a wrong clock's effect). */
export const DEFAULT_MAX_WAIT_MS = 3600_000;

/** `prow.timers.<queue>` + `.>`: what the queue's consumer reads. */
export function delayedFilter(queue: string): string {
  return `${timerSubject(queue)}.>`;
}

/** `prow.timers.<queue>.<key>.<due-ms>` */
export function delayedSubject(queue: string, key: string, dueAt: number): string {
  return `${timerSubject(queue)}.${encodeToken(key)}.${Math.ceil(dueAt)}`;
}

/**
 * Schedules `key` to fire at `dueAt` (epoch ms). Resolves true when a message was stored, false
 * when the same key and due time were already waiting.
 */
export async function scheduleDelayed(
  bus: Bus,
  queue: string,
  key: string,
  dueAt: number,
): Promise<boolean> {
  const due = Math.ceil(dueAt);
  const data: DelayedMessage = { key, due_at: due };
  try {
    await publishJson(bus.js, delayedSubject(queue, key, due), data, {
      expectLastSubjectSequence: 0,
    });
    return true;
  } catch (err) {
    if (isWrongLastSequence(err)) return false;
    throw err;
  }
}

/**
 * Removes every waiting message of `key` (e.g. the job completed). Returns how many. Message by
 * message: on nats-server 2.9 a purge with a subject filter moves the consumer's ack floor past
 * every other waiting message, which are then never redelivered (measured on 2.9.10).
 */
export async function cancelDelayed(bus: Bus, queue: string, key: string): Promise<number> {
  const filter = `${timerSubject(queue)}.${encodeToken(key)}.>`;
  const info = await bus.jsm.streams.info(Streams.timers, { subjects_filter: filter });
  let removed = 0;
  for (const subject of Object.keys(info.state.subjects ?? {})) {
    try {
      const m = await bus.jsm.streams.getMessage(Streams.timers, { last_by_subj: subject });
      if (m && (await bus.jsm.streams.deleteMessage(Streams.timers, m.seq, false))) removed++;
    } catch (err) {
      // Fired and acked meanwhile: nothing left to remove.
      if (!isMessageNotFound(err)) throw err;
    }
  }
  return removed;
}

export interface DelayedSpec {
  queue: string;
  /** Durable consumer name. Default `delayed-<queue>`. */
  durable?: string;
  /** Runs once the message is due; a throw retries it with back-off. */
  fire(key: string, dueAt: number): Promise<void>;
  log: Log;
  /** Epoch ms. Default Date.now. */
  now?: () => number;
  /** Longest single nak; a longer wait is several. Default 1 h. */
  maxWaitMs?: number;
  /** Lease of a delivery: a nak lost with the connection redelivers after this. Default 30 s. */
  ackWaitMs?: number;
  /** Messages handled at once by this process. Default 8. */
  concurrency?: number;
  /** Called when a delivery came before its time and was put back (observability, tests). */
  onEarly?(key: string, dueAt: number): void;
}

export async function runDelayed(bus: Bus, spec: DelayedSpec): Promise<RunningConsumer> {
  const now = spec.now ?? Date.now;
  const maxWait = spec.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  return runConsumer(bus, {
    stream: Streams.timers,
    durable: spec.durable ?? `delayed-${encodeToken(spec.queue).replace(/[^-_a-zA-Z0-9]/g, '_')}`,
    filterSubject: delayedFilter(spec.queue),
    // Every waiting message is outstanding (nak'd with a delay): no limit, or a queue of far
    // deadlines would hold back a near one. Every nak counts as a delivery: no max either.
    maxAckPending: -1,
    maxDeliver: -1,
    ackWaitMs: spec.ackWaitMs ?? 30_000,
    concurrency: spec.concurrency ?? 8,
    decode: decodeDelayed,
    log: spec.log.child({ delayed: spec.queue }),
    async handle(msg) {
      const wait = msg.due_at - now();
      if (wait > 0) {
        spec.onEarly?.(msg.key, msg.due_at);
        return { redeliverInMs: Math.min(wait, maxWait) };
      }
      await spec.fire(msg.key, msg.due_at);
    },
  });
}
