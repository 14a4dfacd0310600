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

/** JSClusterNotAvailErr: "JetStream system temporarily unavailable" (no meta leader just now). */
const CLUSTER_NOT_AVAILABLE = 10008;

/**
 * A JetStream API request the server did not answer in time (nats.js's TimeoutError), or answered
 * "temporarily unavailable". In a cluster both happen for a moment: measured on 2.9.10, while an
 * R3 stream is being created, other requests about it (create, info, update) go unanswered for
 * the client's whole timeout; and during a leader election. Worth asking again.
 */
export function isTransientJetStreamError(err: unknown): boolean {
  return (
    (err instanceof Error && err.name === 'TimeoutError') ||
    jsApiCode(err) === CLUSTER_NOT_AVAILABLE
  );
}

// Placement errors (nats-server's errors.json; not in JetStreamApiCodes in nats.js 3.4).
/** JSClusterNoPeersErr: "no suitable peers for placement" (fewer servers up than replicas). */
const CLUSTER_NO_PEERS = 10005;
/** JSInsufficientResourcesErr: "insufficient resources" (no server has room for a replica). */
const INSUFFICIENT_RESOURCES = 10023;
/** JSStreamReplicasNotSupportedErr: "replicas > 1 not supported in non-clustered mode". */
const REPLICAS_NOT_SUPPORTED = 10074;

/**
 * Why a stream (or bucket) could not get the replicas asked for: the server is not clustered,
 * or the cluster has too few servers (up, with room) to place them. Undefined for anything else.
 */
export function replicaPlacementProblem(
  err: unknown,
): 'not-clustered' | 'too-few-servers' | undefined {
  const code = jsApiCode(err);
  if (code === REPLICAS_NOT_SUPPORTED) return 'not-clustered';
  if (code === CLUSTER_NO_PEERS || code === INSUFFICIENT_RESOURCES) return 'too-few-servers';
  return undefined;
}
