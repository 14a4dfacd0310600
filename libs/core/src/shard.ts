// plank shards reconciliation by a hash of the ProwJob name. The count is part of the bus layout
// (one durable consumer per shard), so every plank replica must agree on it.
export const DEFAULT_SHARDS = 16;

/** FNV-1a (32 bit) of the UTF-8 name, modulo the shard count. Stable across processes and runs. */
export function shardFor(name: string, shards: number = DEFAULT_SHARDS): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}
