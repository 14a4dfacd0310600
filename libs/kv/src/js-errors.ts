// JetStream API errors by the codes nats.js exports (JetStreamApiCodes) and its typed errors,
// never by message text. One place, so every package reads the same condition the same way.
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

/** The JetStream API error code of `err` (undefined for anything that is not an API error). */
export function jsApiCode(err: unknown): number | undefined {
  if (err instanceof JetStreamApiError) return err.code;
  // The KV and object-store clients rethrow API errors from their own copy of the class when
  // two versions of @nats-io/jetstream are installed side by side: read the code as a field.
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A compare-and-swap lost: the key or subject was not at the expected revision (KV create of a
 * key that exists, KV update/delete at a stale revision, publish with expectLastSubjectSequence).
 */
export function isWrongLastSequence(err: unknown): boolean {
  const code = jsApiCode(err);
  return (
    code === JetStreamApiCodes.StreamWrongLastSequence ||
    code === JetStreamApiCodes.StreamWrongLastSequenceUnknown
  );
}

export function isStreamNotFound(err: unknown): boolean {
  return jsApiCode(err) === JetStreamApiCodes.StreamNotFound;
}

export function isConsumerNotFound(err: unknown): boolean {
  return jsApiCode(err) === JetStreamApiCodes.ConsumerNotFound;
}

/** Not in JetStreamApiCodes (nats.js 3.4): a stream message delete of a sequence not stored. */
const SEQUENCE_NOT_FOUND = 10057;

/** A direct or stream get/delete of a message that is not there. */
export function isMessageNotFound(err: unknown): boolean {
  const code = jsApiCode(err);
  return code === JetStreamApiCodes.NoMessageFound || code === SEQUENCE_NOT_FOUND;
}
