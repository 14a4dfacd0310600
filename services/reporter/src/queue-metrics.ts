// The backlog of a durable consumer, read from the bus (it is shared by every replica): how many
// messages are not yet handled, and how old the oldest of them is (the first message after the
// consumer's ack floor that matches its filter).
import type { Bus } from '@jetprow/bus';
import type { QueueSample } from './metrics.js';

export async function consumerBacklog(
  bus: Bus,
  stream: string,
  durable: string,
  filter: string,
  nowMs: number,
): Promise<QueueSample> {
  const info = await bus.jsm.consumers.info(stream, durable);
  const depth = info.num_pending + info.num_ack_pending;
  if (depth === 0) return { depth, oldestAgeSeconds: 0 };
  // nats-server 2.9 answers `next_by_subj`: the first message at or after `seq` on the filter.
  const query = { seq: info.ack_floor.stream_seq + 1, next_by_subj: filter };
  const oldest = await bus.jsm.streams.getMessage(stream, query).catch(() => null);
  const age = oldest ? Math.max(0, (nowMs - oldest.time.getTime()) / 1000) : 0;
  return { depth, oldestAgeSeconds: age };
}
