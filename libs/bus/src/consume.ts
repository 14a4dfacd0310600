// One durable pull consumer, shared by every replica of a service, with jetprow's ack policy:
// ack only after the handler's effect is durable; TerminalError/SchemaError → term (never
// redelivered); anything else → nak with back-off. Long handlers keep their lease with working().
//
// Failover is sized in seconds, not nats.js's 30 s defaults: each pull expires after
// PULL_EXPIRES_MS with idle heartbeats at half of it, so a pull lost to a dead server or a moved
// consumer leader is noticed and re-issued within a few seconds; ack_wait defaults to 10 s and a
// healthy handler renews it every ack_wait/3, so a frozen replica (SIGSTOP, a hung event loop)
// loses its messages to the others within ack_wait; a replica pulls only as many messages as it
// handles at once, so none wait in a client buffer while their lease runs out. A consume loop
// that ends (consumer deleted, stream gone) makes the process unready (`consumersHealthy`) and is
// restarted with back-off, never just logged.
import { nanos } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { isConsumerNotFound } from '@jetprow/kv';
import type { Decoder } from '@jetprow/schemas';
import type { Bus } from './connect.js';
import { backoffMs, isTerminal, RetryLaterError } from './errors.js';
import type { Log } from './log.js';

export interface ConsumerSpec<T> {
  stream: string;
  durable: string;
  filterSubject?: string;
  /** Lease per delivery before redelivery, ms (kept alive by working() while handling). */
  ackWaitMs?: number;
  /** -1 (default): redeliver until handled or terminal. */
  maxDeliver?: number;
  /** Messages outstanding across all replicas; 1 serializes the consumer. */
  maxAckPending?: number;
  /** Where a new durable starts. Default: all messages. */
  deliverPolicy?: 'all' | 'new';
  /** Messages handled at once by this process. */
  concurrency?: number;
  decode: Decoder<T>;
  /** Resolve to ack; resolve `{ redeliverInMs }` to have the same message back later (a timer). */
  handle(data: T, msg: JsMsg): Promise<void | { redeliverInMs: number }>;
  log: Log;
  /** Called after each message with its outcome, for metrics. */
  onOutcome?(outcome: 'ack' | 'nak' | 'term', msg: JsMsg, ms: number): void;
}

export interface RunningConsumer {
  /** Stops fetching, waits for in-flight handlers. */
  stop(): Promise<void>;
  /** Settles when the consumer is stopped (a loop that ends by itself is restarted). */
  done: Promise<void>;
  /** False while the consume loop is down and being restarted. */
  healthy(): boolean;
}

/** A pull's lifetime: a lost pull is noticed within about this (heartbeats at half of it). */
export const PULL_EXPIRES_MS = 5000;
/** The default lease of a delivery; a live handler renews it every third of it. */
export const DEFAULT_ACK_WAIT_MS = 10_000;
const RESTART_BACKOFF_MS = [250, 500, 1000, 2000, 5000];

const running = new WeakMap<Bus, Set<RunningConsumer>>();

/** Whether every consumer running on `bus` is consuming (the process's readiness reads it). */
export function consumersHealthy(bus: Bus): boolean {
  for (const c of running.get(bus) ?? []) if (!c.healthy()) return false;
  return true;
}

export async function ensureConsumer(
  bus: Bus,
  stream: string,
  cfg: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  try {
    const info = await bus.jsm.consumers.info(stream, cfg.durable_name);
    const c = info.config;
    if (
      c.ack_wait !== cfg.ack_wait ||
      c.max_deliver !== cfg.max_deliver ||
      c.max_ack_pending !== cfg.max_ack_pending
    ) {
      await bus.jsm.consumers.update(stream, cfg.durable_name, {
        ack_wait: cfg.ack_wait,
        max_deliver: cfg.max_deliver,
        max_ack_pending: cfg.max_ack_pending,
      });
    }
  } catch (err) {
    if (!isConsumerNotFound(err)) throw err;
    try {
      await bus.jsm.consumers.add(stream, cfg);
    } catch (addErr) {
      // A replica created it concurrently: fine when it exists now.
      await bus.jsm.consumers.info(stream, cfg.durable_name).catch(() => {
        throw addErr;
      });
    }
  }
}

const decoder = new TextDecoder();

export async function runConsumer<T>(bus: Bus, spec: ConsumerSpec<T>): Promise<RunningConsumer> {
  const ackWaitMs = spec.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const concurrency = Math.max(1, spec.concurrency ?? 1);
  const open = async (): Promise<ConsumerMessages> => {
    await ensureConsumer(bus, spec.stream, {
      durable_name: spec.durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ackWaitMs),
      max_deliver: spec.maxDeliver ?? -1,
      max_ack_pending: spec.maxAckPending ?? 1000,
      deliver_policy: spec.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      ...(spec.filterSubject ? { filter_subject: spec.filterSubject } : {}),
    });
    const consumer = await bus.js.consumers.get(spec.stream, spec.durable);
    return consumer.consume({
      max_messages: concurrency,
      expires: PULL_EXPIRES_MS,
      idle_heartbeat: PULL_EXPIRES_MS / 2,
      // A deleted consumer or stream ends the loop, which re-creates them (ensureConsumer).
      abort_on_missing_resource: true,
    });
  };
  let messages: ConsumerMessages = await open();
  const inflight = new Set<Promise<void>>();
  const log = spec.log.child({ consumer: spec.durable });

  async function handleOne(m: JsMsg): Promise<void> {
    const started = Date.now();
    const beat = setInterval(() => m.working(), Math.max(250, Math.floor(ackWaitMs / 3)));
    try {
      const data = spec.decode.decode(JSON.parse(decoder.decode(m.data)));
      const result = await spec.handle(data, m);
      if (result) {
        m.nak(result.redeliverInMs);
        spec.onOutcome?.('nak', m, Date.now() - started);
        return;
      }
      await m.ackAck().catch((err: unknown) => {
        // The effect is durable and idempotent: a lost ack only means a harmless redelivery.
        log.warn({ err: String(err), seq: m.seq }, 'ack not confirmed');
      });
      spec.onOutcome?.('ack', m, Date.now() - started);
    } catch (err) {
      if (err instanceof SyntaxError || isTerminal(err)) {
        log.error(
          { err: String(err), subject: m.subject, seq: m.seq },
          'terminal error: message dropped',
        );
        m.term(); // no reason: nats-server 2.9 ignores '+TERM <reason>' (the message would stay)
        spec.onOutcome?.('term', m, Date.now() - started);
      } else {
        const delay =
          err instanceof RetryLaterError ? err.delayMs : backoffMs(m.info.deliveryCount);
        log.warn(
          {
            err: String(err),
            cause: String((err as Error).cause ?? ''),
            subject: m.subject,
            seq: m.seq,
            delivery: m.info.deliveryCount,
            retryInMs: delay,
          },
          'handler failed: will retry',
        );
        m.nak(delay);
        spec.onOutcome?.('nak', m, Date.now() - started);
      }
    } finally {
      clearInterval(beat);
    }
  }

  let slots = concurrency;
  const waiters: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (slots > 0) {
      slots--;
      return;
    }
    await new Promise<void>((r) => waiters.push(r));
  };
  const release = (): void => {
    const w = waiters.shift();
    if (w) w();
    else slots++;
  };

  let stopping = false;
  let healthy = true;
  const wake = new AbortController();
  const consumeAll = async (): Promise<void> => {
    for await (const m of messages) {
      if (stopping) {
        m.nak(); // pulled but not started: hand it back now rather than after ack_wait
        continue;
      }
      await acquire();
      const p = handleOne(m).finally(() => {
        inflight.delete(p);
        release();
      });
      inflight.add(p);
    }
  };
  const done = (async () => {
    while (!stopping) {
      try {
        await consumeAll();
        if (stopping) break;
        throw new Error('consume loop ended');
      } catch (err) {
        if (stopping) break;
        healthy = false;
        log.error({ err: String(err) }, 'consumer down: restarting');
      }
      // Re-open (re-creating the consumer if it was deleted) with back-off until it works.
      for (let attempt = 0; !stopping; attempt++) {
        await sleep(
          RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)]!,
          wake.signal,
        );
        if (stopping) break;
        try {
          messages = await open();
          healthy = true;
          log.info({}, 'consumer restarted');
          break;
        } catch (openErr) {
          log.error({ err: String(openErr) }, 'consumer restart failed: trying again');
        }
      }
    }
    await Promise.allSettled([...inflight]);
  })();

  const self: RunningConsumer = {
    done,
    healthy: () => healthy || stopping,
    async stop() {
      stopping = true;
      wake.abort();
      messages.stop();
      await done.catch(() => {});
      running.get(bus)?.delete(self);
    },
  };
  if (!running.has(bus)) running.set(bus, new Set());
  running.get(bus)!.add(self);
  return self;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
