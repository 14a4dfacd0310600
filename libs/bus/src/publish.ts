import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { randomBytes } from 'node:crypto';

export interface PublishOptions {
  /** JetStream dedupe id (`Nats-Msg-Id`). */
  msgID?: string;
  /** The GitHub delivery this message descends from (`Prow-Delivery`). */
  delivery?: string;
  /** The GitHub event type (`Prow-Event`). */
  event?: string;
  /** W3C trace context; a new one is made when absent. */
  traceparent?: string;
  /** Milliseconds to wait for the JetStream ack. */
  timeoutMs?: number;
  /** Expect no message on this subject yet (create-if-absent), or this last sequence. */
  expectLastSubjectSequence?: number;
}

export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export function buildHeaders(opts: PublishOptions): MsgHdrs {
  const h = natsHeaders();
  if (opts.delivery) h.set('Prow-Delivery', opts.delivery);
  if (opts.event) h.set('Prow-Event', opts.event);
  h.set('traceparent', opts.traceparent ?? newTraceparent());
  return h;
}

const encoder = new TextEncoder();

/** Publishes JSON and resolves only once JetStream has stored it (or it was a duplicate). */
export async function publishJson(
  js: JetStreamClient,
  subject: string,
  data: unknown,
  opts: PublishOptions = {},
): Promise<PubAck> {
  return js.publish(subject, encoder.encode(JSON.stringify(data)), {
    msgID: opts.msgID,
    headers: buildHeaders(opts),
    timeout: opts.timeoutMs ?? 5000,
    expect:
      opts.expectLastSubjectSequence !== undefined
        ? { lastSubjectSequence: opts.expectLastSubjectSequence }
        : undefined,
  });
}
