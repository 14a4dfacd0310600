// The local runner's one-host rule across replicas, on a real nats-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, silentLog, type Bus } from '@jetprow/bus';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { holdLocalHost, LocalHostTakenError } from './local-host-lease.js';

let nats: NatsHarness;
let a: Bus;
let b: Bus;

beforeAll(async () => {
  nats = await startNats();
  [a, b] = await Promise.all([connectBus(nats.url, 'host-a'), connectBus(nats.url, 'host-b')]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await nats.stop();
});

describe('local-runner host lease', () => {
  it('replicas on the holding host share it; another host is refused until the owner is gone', async () => {
    const ttlMs = 1500;
    const first = await holdLocalHost(a, { host: 'h1', dataDir: '/d', log: silentLog, ttlMs });
    const second = await holdLocalHost(b, { host: 'h1', dataDir: '/d', log: silentLog, ttlMs });
    const other = holdLocalHost(b, { host: 'h2', dataDir: '/d', log: silentLog, ttlMs });
    await expect(other).rejects.toThrow(LocalHostTakenError);
    await expect(other).rejects.toThrow(/h1 \(\/d\) runs them now/);
    // Renewed while held: still refused after more than a TTL.
    await new Promise((r) => setTimeout(r, ttlMs + 500));
    await expect(
      holdLocalHost(b, { host: 'h2', dataDir: '/d', log: silentLog, ttlMs }),
    ).rejects.toThrow(LocalHostTakenError);
    // The owner host goes away: after a TTL another host takes over.
    first.release();
    second.release();
    await new Promise((r) => setTimeout(r, ttlMs + 500));
    const taken = await holdLocalHost(b, { host: 'h2', dataDir: '/d', log: silentLog, ttlMs });
    taken.release();
  }, 20_000);
});
