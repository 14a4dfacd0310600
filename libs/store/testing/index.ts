// A suite's own nats-server, a bus connection named `name` and a KV JobStore on it, for tests.
//   const h = await startStoreHarness('my-test', { streams: true }); … await h.close();
// Plain async functions (no vitest). Test-only: the `@jetprow/store/testing` subpath, outside the
// package's production src/ and barrel.
import { connectBus, ensureStreams, type Bus } from '@jetprow/bus';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { KvJobStore } from '../src/kv-job-store.js';

export interface StoreHarness {
  nats: NatsHarness;
  bus: Bus;
  store: KvJobStore;
  /** Closes the connection, then stops the server and removes its store dir. */
  close(): Promise<void>;
}

/** `streams`: also ensureStreams (the PROW_* streams), as services do at startup. */
export async function startStoreHarness(
  name: string,
  opts: { streams?: boolean } = {},
): Promise<StoreHarness> {
  const nats = await startNats();
  // A setup failing half-way stops what it started: the suite's teardown has no handle yet.
  const bus = await connectBus(nats.url, name).catch(async (err: unknown) => {
    await nats.stop();
    throw err;
  });
  const close = async () => {
    await bus.close();
    await nats.stop();
  };
  try {
    if (opts.streams) await ensureStreams(bus.jsm);
    return { nats, bus, store: await KvJobStore.open(bus.js), close };
  } catch (err) {
    await close();
    throw err;
  }
}
