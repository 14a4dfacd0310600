// A consume loop that ends is restarted (the process is unready meanwhile), a frozen replica's
// message goes to another within ack_wait, and the JetStream probe sees a stream without a leader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Type from 'typebox';
import { decoder } from '@jetprow/schemas';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { connectBus, type Bus } from './connect.js';
import { ensureStreams } from './streams.js';
import { publishJson } from './publish.js';
import { consumersHealthy, runConsumer } from './consume.js';
import { probeJetStream } from './probe.js';
import { silentLog } from './log.js';

let nats: NatsHarness;
let bus: Bus;
let other: Bus;
const Msg = decoder('test message', Type.Object({ n: Type.Integer() }));

beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'failover-a');
  other = await connectBus(nats.url, 'failover-b');
  await ensureStreams(bus.jsm);
});
afterAll(async () => {
  await Promise.all([bus.close(), other.close()]);
  await nats.stop();
});

describe('runConsumer failover', () => {
  it('restarts a consume loop whose consumer was deleted, unready until it is back', async () => {
    const seen: number[] = [];
    const c = await runConsumer(bus, {
      stream: 'PROW_JOBS',
      durable: 'restart-test',
      filterSubject: 'prow.jobs.41',
      decode: Msg,
      log: silentLog,
      async handle(m) {
        seen.push(m.n);
      },
    });
    try {
      await publishJson(bus.js, 'prow.jobs.41', { n: 1 });
      await expect.poll(() => seen, { timeout: 5000 }).toEqual([1]);
      expect(consumersHealthy(bus)).toBe(true);
      await bus.jsm.consumers.delete('PROW_JOBS', 'restart-test');
      await expect.poll(() => consumersHealthy(bus), { timeout: 30_000 }).toBe(false);
      await expect.poll(() => consumersHealthy(bus), { timeout: 30_000 }).toBe(true);
      // Re-created by the restart: a message published now is handled.
      await publishJson(bus.js, 'prow.jobs.41', { n: 2 });
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual([1, 2]);
      const info = await bus.jsm.consumers.info('PROW_JOBS', 'restart-test');
      expect(info.config.durable_name).toBe('restart-test');
    } finally {
      await c.stop();
    }
    expect(consumersHealthy(bus)).toBe(true); // a stopped consumer does not count
  }, 90_000);

  it('hands a frozen replica’s message to another within ack_wait', async () => {
    const got: string[] = [];
    let release!: () => void;
    const frozen = new Promise<void>((r) => (release = r));
    const spec = {
      stream: 'PROW_JOBS',
      durable: 'frozen-test',
      filterSubject: 'prow.jobs.42',
      maxAckPending: 1,
      ackWaitMs: 1500,
      decode: Msg,
      log: silentLog,
    };
    // Replica A takes the message and never renews its lease (as a SIGSTOPped process would not).
    const a = await runConsumer(bus, {
      ...spec,
      async handle(m, msg) {
        got.push(`a${m.n}`);
        (msg as { working: () => void }).working = () => {};
        await frozen;
      },
    });
    await publishJson(bus.js, 'prow.jobs.42', { n: 7 });
    await expect.poll(() => got, { timeout: 5000 }).toEqual(['a7']);
    const b = await runConsumer(other, {
      ...spec,
      async handle(m) {
        got.push(`b${m.n}`);
      },
    });
    const t0 = Date.now();
    try {
      await expect.poll(() => got, { timeout: 10_000 }).toEqual(['a7', 'b7']);
      expect(Date.now() - t0).toBeLessThan(1500 + 6000); // ack_wait plus a pull's lifetime
    } finally {
      release();
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 30_000);
});

describe('probeJetStream', () => {
  it('is ok while the stream answers, not ok once it is gone, ok again when it is back', async () => {
    await bus.jsm.streams.add({ name: 'PROBE_TEST', subjects: ['probe.test'] });
    const probe = probeJetStream(bus, { stream: 'PROBE_TEST', intervalMs: 100, timeoutMs: 500 });
    try {
      await expect.poll(() => probe.ok(), { timeout: 3000 }).toBe(true);
      await bus.jsm.streams.delete('PROBE_TEST');
      await expect.poll(() => probe.ok(), { timeout: 3000 }).toBe(false);
      await bus.jsm.streams.add({ name: 'PROBE_TEST', subjects: ['probe.test'] });
      await expect.poll(() => probe.ok(), { timeout: 3000 }).toBe(true);
    } finally {
      probe.stop();
    }
  });
});
