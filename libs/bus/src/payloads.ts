// Webhook bodies too big for one bus message (NATS max_payload defaults to 1 MiB; GitHub sends up
// to 25 MB) are kept whole in a JetStream object store and referenced from the event.
import type { ObjectStore } from '@nats-io/obj';
import { nanos } from '@nats-io/transport-node';
import { ensureObjectStore } from '@jetprow/kv';
import type { Bus } from './connect.js';

export const PAYLOAD_BUCKET = 'prow-payloads';

/** The object store `prow-payloads` (stream `OBJ_prow-payloads`), with the bus's replicas. */
export async function payloadStore(
  bus: Bus,
  maxAgeMs = 7 * 24 * 3600 * 1000,
): Promise<ObjectStore> {
  return ensureObjectStore(bus, PAYLOAD_BUCKET, { ttl: nanos(maxAgeMs) });
}

export async function putPayload(os: ObjectStore, name: string, body: Uint8Array): Promise<void> {
  await os.putBlob({ name }, body);
}

export async function getPayload(os: ObjectStore, name: string): Promise<Uint8Array | null> {
  return os.getBlob(name);
}
