// Periodic timers that live on the bus (NATS 2.9 has no scheduled messages): each timer is ONE
// message on `prow.timers.<name>` in the PROW_TIMERS work queue, held by a durable consumer with
// max_ack_pending 1 and re-armed with nak(delay). So a tick fires once per period however many
// replicas run, survives restarts of services and of nats-server (the message and the last-fire
// time are on disk), and never fires a backlog after an outage (there is only one message).
import type { KV } from '@nats-io/kv';
import { Streams, timerSubject, encodeToken } from '@jetprow/core';
import { ensureKv, isWrongLastSequence } from '@jetprow/kv';
import { decoder, TimerTick } from '@jetprow/schemas';
import type { Bus } from './connect.js';
import { runConsumer, type RunningConsumer } from './consume.js';
import { publishJson } from './publish.js';
import type { Log } from './log.js';

const TIMER_BUCKET = 'prow-timers';
const decodeTick = decoder('timer tick', TimerTick);

export interface TimerSpec {
  name: string;
  periodMs: number | (() => number);
  /** Runs once per period on one replica. A throw retries it sooner (back-off, at most a period). */
  fire(): Promise<void>;
  log: Log;
  now?: () => number;
}

async function timerKv(bus: Bus): Promise<KV> {
  return ensureKv(bus, TIMER_BUCKET, { history: 1 });
}

/** Makes sure the timer's single message exists (create-if-absent; a race between replicas is fine). */
export async function seedTimer(bus: Bus, name: string, periodMs: number): Promise<void> {
  try {
    await publishJson(
      bus.js,
      timerSubject(name),
      { name, period_ms: periodMs },
      {
        expectLastSubjectSequence: 0,
      },
    );
  } catch (err) {
    if (!isWrongLastSequence(err)) throw err; // already there
  }
}

export async function runTimer(bus: Bus, spec: TimerSpec): Promise<RunningConsumer> {
  const kv = await timerKv(bus);
  const now = spec.now ?? Date.now;
  const period = (): number =>
    typeof spec.periodMs === 'function' ? spec.periodMs() : spec.periodMs;
  const key = encodeToken(spec.name).replace(/[^-/_=.a-zA-Z0-9]/g, '_');
  const log = spec.log.child({ timer: spec.name });
  await seedTimer(bus, spec.name, period());
  let failures = 0;
  return runConsumer(bus, {
    stream: Streams.timers,
    durable: `timer-${key}`,
    filterSubject: timerSubject(spec.name),
    maxAckPending: 1,
    // Short lease: a replica that dies holding the tick hands it on quickly; working() keeps a
    // long-running fire() alive.
    ackWaitMs: 10_000,
    decode: decodeTick,
    log,
    async handle() {
      const p = period();
      const last = await kv.get(key);
      const lastMs = last && last.operation === 'PUT' ? Number(last.string()) : 0;
      const due = lastMs + p - now();
      // Early redelivery (server restart, nak delay lost): wait out the rest of the period.
      if (due > 50) return { redeliverInMs: due };
      try {
        await spec.fire();
        failures = 0;
      } catch (err) {
        failures++;
        const retry = Math.min(p, 1000 * 2 ** Math.min(failures, 6));
        log.warn({ err: String(err), retryInMs: retry }, 'timer handler failed');
        return { redeliverInMs: retry };
      }
      await kv.put(key, String(now()));
      return { redeliverInMs: p };
    },
  });
}
