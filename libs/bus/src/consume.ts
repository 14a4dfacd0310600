// One durable pull consumer, shared by every replica of a service, with jetprow's ack policy:
// ack only after the handler's effect is durable; TerminalError/SchemaError → term (never
// redelivered); anything else → nak with back-off. Long handlers keep their lease with working().
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
  /** Settles when the consume loop ends. */
  done: Promise<void>;
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
  const ackWaitMs = spec.ackWaitMs ?? 30_000;
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
  const concurrency = Math.max(1, spec.concurrency ?? 1);
  const messages: ConsumerMessages = await consumer.consume({
    max_messages: Math.max(concurrency, Math.min(100, concurrency * 2)),
  });
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
  const done = (async () => {
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
    await Promise.allSettled([...inflight]);
  })();

  return {
    done,
    async stop() {
      stopping = true;
      messages.stop();
      await done.catch(() => {});
    },
  };
}
