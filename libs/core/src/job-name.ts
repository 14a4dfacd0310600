import { createHash } from 'node:crypto';

/**
 * The ProwJob name for a job triggered by one delivery: a UUID-shaped (v5-style) digest of
 * delivery GUID + job name + head SHA. The same delivery re-consumed, or redelivered by GitHub
 * with the same GUID, yields the same name, so creating it again is a no-op (invariant 2).
 */
export function prowJobName(delivery: string, job: string, sha: string): string {
  const h = createHash('sha256').update(`${delivery}\x00${job}\x00${sha}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5 layout
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
