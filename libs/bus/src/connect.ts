import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  close(): Promise<void>;
}

export class BusUnavailableError extends Error {
  override readonly name = 'BusUnavailableError';
}

/**
 * Connects to NATS with JetStream. Reconnects forever once connected (a nats-server restart is
 * survived); the first connect fails fast with a clear error naming the URL.
 */
export async function connectBus(url: string, name: string): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: url.split(','),
      name,
      noAsyncTraces: true, // 2-3x faster request/reply and JetStream publish (reference/nats-2.9.md §4)
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: 5000,
    });
  } catch (cause) {
    throw new BusUnavailableError(`cannot connect to NATS at ${url}`, { cause });
  }
  const jsm = await jetstreamManager(nc, { timeout: 5000 });
  const js = jetstream(nc, { timeout: 5000 });
  return {
    nc,
    js,
    jsm,
    async close() {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
