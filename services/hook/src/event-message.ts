// What hook publishes for one delivery: the normalized event with the raw payload inline when the
// message fits the server's max_payload (with headroom for headers), otherwise the normalized
// event with `raw_ref` pointing at the body, kept whole in the object store. Pure.
import type { GitHubEvent } from '@jetprow/schemas';

/** NATS's default max_payload (1 MiB), used when the server's is unknown. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Room kept for NATS headers (Nats-Msg-Id, Prow-Delivery, Prow-Event, traceparent) and framing. */
export const HEADER_HEADROOM = 16 * 1024;

export type EventMessage =
  | { kind: 'inline'; event: GitHubEvent; bytes: number }
  | { kind: 'offload'; event: GitHubEvent }
  /** Even without the raw body the normalized event does not fit (e.g. a huge push file list). */
  | { kind: 'too-large'; bytes: number; limit: number };

export interface RawRef {
  bucket: string;
  name: string;
  size: number;
}

/**
 * Inline when `JSON.stringify(event + raw)` fits `maxPayload - HEADER_HEADROOM` bytes; a body
 * larger than that limit is offloaded without serializing it again. The reference to an offloaded
 * body is small (under 200 bytes) and counted inside the headroom.
 */
export function planEventMessage(
  normalized: GitHubEvent,
  payload: unknown,
  bodyBytes: number,
  maxPayload: number,
): EventMessage {
  const limit = maxPayload - HEADER_HEADROOM;
  if (bodyBytes <= limit) {
    const event: GitHubEvent = { ...normalized, raw: payload };
    const bytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
    if (bytes <= limit) return { kind: 'inline', event, bytes };
  }
  const bytes = Buffer.byteLength(JSON.stringify(normalized), 'utf8');
  if (bytes > limit) return { kind: 'too-large', bytes, limit };
  return { kind: 'offload', event: normalized };
}

export function withRawRef(event: GitHubEvent, ref: RawRef): GitHubEvent {
  const { raw: _raw, ...rest } = event;
  return { ...rest, raw_ref: ref };
}
