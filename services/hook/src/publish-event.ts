// Puts one accepted delivery on the bus: normalize, keep a too-big body whole in the object store,
// publish on `prow.events.<event>.<org>.<repo>` with the delivery GUID as JetStream msg-id (a
// redelivered GUID is stored once), and resolve only after JetStream acknowledged it. Everything
// must finish before one deadline, or the caller answers 503.
import { PAYLOAD_BUCKET, payloadStore, publishJson, putPayload, type Bus } from '@jetprow/bus';
import { eventSubject, normalizeEvent } from '@jetprow/core';
import { DEFAULT_MAX_PAYLOAD, planEventMessage, withRawRef } from './event-message.js';

type ObjectStore = Awaited<ReturnType<typeof payloadStore>>;

const CLIENT_TIMEOUT_SLACK_MS = 1000;

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

  async function publish(d: Delivery, started: number): Promise<Published> {
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
      timeoutMs: Math.max(1, opts.timeoutMs - (Date.now() - started)) + CLIENT_TIMEOUT_SLACK_MS,
    });
    return { subject, seq: ack.seq, duplicate: ack.duplicate, offloaded: plan.kind === 'offload' };
  }

  return async (d) => {
    const what = `publish ${d.event} delivery ${d.delivery}`;
    if (bus.nc.isClosed()) throw new PublishFailedError(`${what}: the NATS connection is closed`);
    try {
      return await deadline(publish(d, Date.now()), opts.timeoutMs, what);
    } catch (cause) {
      if (cause instanceof PublishTimeoutError || cause instanceof EventTooLargeError) throw cause;
      throw new PublishFailedError(`${what} failed`, { cause });
    }
  };
}
