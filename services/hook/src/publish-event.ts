// Puts one accepted delivery on the bus: normalize, keep a too-big body whole in the object store,
// publish on `prow.events.<event>.<org>.<repo>` with the delivery GUID as JetStream msg-id (a
// redelivered GUID is stored once), and resolve only after JetStream acknowledged it. Everything
// must finish before one deadline, or the caller answers 503. Within the deadline a failed or
// unanswered attempt is retried (same msg-id, so a retry of a publish that did land is stored
// once): a stream leader election after a node died costs latency, not a 503.
import { PAYLOAD_BUCKET, payloadStore, publishJson, putPayload, type Bus } from '@jetprow/bus';
import { eventSubject, normalizeEvent } from '@jetprow/core';
import { DEFAULT_MAX_PAYLOAD, planEventMessage, withRawRef } from './event-message.js';

type ObjectStore = Awaited<ReturnType<typeof payloadStore>>;

const CLIENT_TIMEOUT_SLACK_MS = 1000;
/** One attempt's own deadline: a publish lost in a leader election is retried after this. */
export const ATTEMPT_TIMEOUT_MS = 2000;
/** Pauses between attempts (the last one repeats), so an election has time to finish. */
const RETRY_PAUSES_MS = [50, 100, 250, 500];

export interface Delivery {
  event: string;
  delivery: string;
  /** The raw, signed body. */
  body: Uint8Array;
  /** The parsed body. */
  payload: unknown;
  receivedAt: Date;
  traceparent?: string | undefined;
}

export interface Published {
  subject: string;
  seq: number;
  /** JetStream had this delivery already (msg-id dedupe): not stored again. */
  duplicate: boolean;
  /** The body went to the object store and the event carries `raw_ref`. */
  offloaded: boolean;
  /** Attempts that failed before this one was stored (0: the first went through). */
  retries: number;
}

export type EventPublisher = (d: Delivery) => Promise<Published>;

/** The bus did not acknowledge in time; the event may or may not be stored. */
export class PublishTimeoutError extends Error {
  override readonly name = 'PublishTimeoutError';
}

/** The bus refused or failed the publish (closed connection, no stream, server error…). */
export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
}

/**
 * The normalized event alone exceeds the bus's max_payload: retrying cannot help. Nothing is
 * truncated; raise the server's max_payload to accept such deliveries.
 */
export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError';
}

export interface PublisherOptions {
  bus: Bus;
  /** Deadline for the whole publish (object store included). */
  timeoutMs: number;
}

function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, rejectTimeout) => {
    timer = setTimeout(
      () => rejectTimeout(new PublishTimeoutError(`${what}: no ack within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

export function createEventPublisher(opts: PublisherOptions): EventPublisher {
  const { bus } = opts;
  let store: Promise<ObjectStore> | undefined;
  const objects = (): Promise<ObjectStore> => {
    store ??= payloadStore(bus).catch((err: unknown) => {
      store = undefined; // try again with the next big delivery
      throw err;
    });
    return store;
  };

  async function publish(d: Delivery, started: number, timeoutMs: number): Promise<Published> {
    const normalized = normalizeEvent(d.event, d.delivery, d.payload, d.receivedAt);
    const subject = eventSubject(d.event, normalized.org, normalized.repo);
    const maxPayload = bus.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    const plan = planEventMessage(normalized, d.payload, d.body.byteLength, maxPayload);
    if (plan.kind === 'too-large') {
      throw new EventTooLargeError(
        `normalized ${d.event} event is ${plan.bytes} bytes, over the ${plan.limit} bytes ` +
          `the bus takes (max_payload ${maxPayload})`,
      );
    }
    let event = plan.event;
    if (plan.kind === 'offload') {
      await putPayload(await objects(), d.delivery, d.body);
      const ref = { bucket: PAYLOAD_BUCKET, name: d.delivery, size: d.body.byteLength };
      event = withRawRef(event, ref);
    }
    const ack = await publishJson(bus.js, subject, event, {
      msgID: d.delivery,
      delivery: d.delivery,
      event: d.event,
      traceparent: d.traceparent,
      // Our deadline, not the client's request timeout, decides (and classifies) a timeout.
      timeoutMs: Math.max(1, timeoutMs - (Date.now() - started)) + CLIENT_TIMEOUT_SLACK_MS,
    });
    const offloaded = plan.kind === 'offload';
    return { subject, seq: ack.seq, duplicate: ack.duplicate, offloaded, retries: 0 };
  }

  return async (d) => {
    const what = `publish ${d.event} delivery ${d.delivery}`;
    if (bus.nc.isClosed()) throw new PublishFailedError(`${what}: the NATS connection is closed`);
    const until = Date.now() + opts.timeoutMs;
    let last: unknown;
    for (let retries = 0; ; retries++) {
      const left = until - Date.now();
      if (left <= 0 || bus.nc.isClosed()) break;
      const attemptMs = Math.min(left, ATTEMPT_TIMEOUT_MS);
      try {
        const published = await deadline(publish(d, Date.now(), attemptMs), attemptMs, what);
        return { ...published, retries };
      } catch (err) {
        if (err instanceof EventTooLargeError) throw err;
        last = err;
      }
      const pause = RETRY_PAUSES_MS[Math.min(retries, RETRY_PAUSES_MS.length - 1)]!;
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(pause, until - Date.now()))));
    }
    if (last instanceof PublishTimeoutError || last === undefined) {
      throw new PublishTimeoutError(`${what}: not stored within ${opts.timeoutMs} ms`, {
        cause: last,
      });
    }
    throw new PublishFailedError(`${what} failed`, { cause: last });
  };
}
