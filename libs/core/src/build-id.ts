// Build IDs are time-ordered decimal snowflakes, as Prow's (bwmarrin/snowflake, node 1):
// 41 bits of milliseconds since the snowflake epoch, 10 bits of node, 12 bits of sequence.
const EPOCH = 1288834974657n;

export interface BuildIdSource {
  next(): string;
}

export function snowflake(node = 1, now: () => number = Date.now): BuildIdSource {
  let lastMs = -1n;
  let seq = 0n;
  const nodeBits = BigInt(node & 0x3ff) << 12n;
  return {
    next() {
      let ms = BigInt(now());
      if (ms === lastMs) {
        seq = (seq + 1n) & 0xfffn;
        if (seq === 0n) ms = lastMs + 1n; // sequence exhausted in this ms: borrow the next one
      } else {
        seq = 0n;
      }
      if (ms < lastMs) ms = lastMs; // clock went back: never issue a smaller id
      lastMs = ms;
      return (((ms - EPOCH) << 22n) | nodeBits | seq).toString();
    },
  };
}
