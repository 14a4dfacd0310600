// The shard workers: one durable pull consumer per shard on PROW_JOBS (`plank-shard-<n>`,
// filter `prow.jobs.<n>`, max_ack_pending 1). Every replica consumes every shard, but the server
// hands out one message of a shard at a time across all of them, so no two workers reconcile jobs
// of the same shard at once; a dead replica's message comes back to another after ack_wait (the
// consumer keeps the lease alive with working() while a reconcile runs).
import { DEFAULT_SHARDS, Streams, jobSubject } from '@jetprow/core';
import { runConsumer, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import { decoder, JobNudge } from '@jetprow/schemas';

const decodeNudge = decoder('job nudge', JobNudge);

/**
 * Attempts before a failing job is left to the resync timer. With max_ack_pending 1 a message
 * waiting for redelivery holds its whole shard, so one broken job must not hold it for long.
 */
export const MAX_ATTEMPTS = 4;

export interface ShardWorkerDeps {
  bus: Bus;
  log: Log;
  reconcile(name: string): Promise<void>;
  ackWaitMs: number;
  shards?: number;
}

export interface ShardWorkers {
  stop(): Promise<void>;
}

export async function startShardWorkers(deps: ShardWorkerDeps): Promise<ShardWorkers> {
  const { bus, log } = deps;
  const consumers: RunningConsumer[] = [];
  const count = deps.shards ?? DEFAULT_SHARDS;
  // Created together: on a cluster each durable is its own Raft group, ~0.5 s apiece one by one.
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, n) =>
      runConsumer(bus, {
        stream: Streams.jobs,
        durable: `plank-shard-${n}`,
        filterSubject: jobSubject(n),
        maxAckPending: 1,
        ackWaitMs: deps.ackWaitMs,
        concurrency: 1,
        decode: decodeNudge,
        log,
        async handle(nudge, msg) {
          try {
            await deps.reconcile(nudge.name);
          } catch (err) {
            if (msg.info.deliveryCount < MAX_ATTEMPTS) throw err; // nak with back-off
            log.error(
              { err: String(err), cause: String((err as Error).cause ?? ''), prowjob: nudge.name },
              'reconcile keeps failing: left to the resync',
            );
          }
        },
      }),
    ),
  );
  for (const r of started) if (r.status === 'fulfilled') consumers.push(r.value);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(consumers.map((c) => c.stop()));
    throw failed.reason;
  }
  return {
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
