// Delayed messages against a real nats-server, with an injected clock: the server's nak delays
// only pace the re-checks; whether a message fires is decided by its due time and the clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Streams } from '@jetprow/core';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { connectBus, type Bus } from './connect.js';
import { ensureStreams } from './streams.js';
import { cancelDelayed, delayedSubject, runDelayed, scheduleDelayed } from './delayed.js';
import type { RunningConsumer } from './consume.js';
import { silentLog } from './log.js';

let nats: NatsHarness;
let bus: Bus;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const poll = { timeout: 20_000, interval: 50 };

beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'delayed-test');
  await ensureStreams(bus.jsm);
});
afterAll(async () => {
  await bus.close();
  await nats.stop();
});

/** A consumer of `queue` on a clock the test moves; records what fired and every early delivery. */
async function consumer(queue: string) {
  const clock = { now: T0 };
  const fired: string[] = [];
  const early: string[] = [];
  const running: RunningConsumer = await runDelayed(bus, {
    queue,
    log: silentLog,
    now: () => clock.now,
    maxWaitMs: 100,
    ackWaitMs: 2000, // a nak lost in the restart comes back after this
    async fire(key, dueAt) {
      fired.push(`${key}@${dueAt - T0}`);
    },
    onEarly: (key) => early.push(key),
  });
  return { clock, fired, early, running };
}

async function waiting(subjectFilter: string): Promise<number> {
  const info = await bus.jsm.streams.info(Streams.timers, { subjects_filter: subjectFilter });
  return Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
}

describe('delayed messages (deadlines on the bus)', () => {
  it('fire once the clock reaches the due time, never before', async () => {
    const c = await consumer('d1');
    expect(await scheduleDelayed(bus, 'd1', 'job-a', T0 + 600_000)).toBe(true);
    await expect.poll(() => c.early.length, poll).toBeGreaterThanOrEqual(3);
    expect(c.fired).toEqual([]); // delivered several times, always before its time
    c.clock.now = T0 + 600_000;
    await expect.poll(() => c.fired, poll).toEqual(['job-a@600000']);
    await expect.poll(() => waiting('prow.timers.d1.>'), poll).toBe(0); // acked: gone
    await c.running.stop();
  });

  it('the same key and due time scheduled many times is one message, fired once', async () => {
    const c = await consumer('d2');
    const due = T0 + 60_000;
    const stored = [];
    for (let i = 0; i < 5; i++) stored.push(await scheduleDelayed(bus, 'd2', 'job-b', due));
    expect(stored).toEqual([true, false, false, false, false]);
    expect(await scheduleDelayed(bus, 'd2', 'job-b', due + 1)).toBe(true); // another deadline
    expect(await waiting('prow.timers.d2.>')).toBe(2);
    c.clock.now = due + 1;
    await expect.poll(() => [...c.fired].sort(), poll).toEqual(['job-b@60000', 'job-b@60001']);
    await expect.poll(() => waiting('prow.timers.d2.>'), poll).toBe(0);
    expect(c.fired).toHaveLength(2);
    await c.running.stop();
  });

  it('survives a nats-server restart and still does not fire early', async () => {
    const c = await consumer('d3');
    await scheduleDelayed(bus, 'd3', 'job-c', T0 + 3600_000);
    await expect.poll(() => c.early.length, poll).toBeGreaterThanOrEqual(1);
    await nats.restart();
    const before = c.early.length;
    await expect.poll(() => c.early.length, poll).toBeGreaterThan(before + 2); // consumed again
    expect(c.fired).toEqual([]);
    c.clock.now = T0 + 3600_000;
    await expect.poll(() => c.fired, poll).toEqual(['job-c@3600000']);
    await c.running.stop();
  });

  it('cancel removes every waiting message of a key, and only those, while they are consumed', async () => {
    const c = await consumer('d4');
    await scheduleDelayed(bus, 'd4', 'job-d', T0 + 1000);
    await scheduleDelayed(bus, 'd4', 'job-d', T0 + 2000);
    await scheduleDelayed(bus, 'd4', 'job-e', T0 + 1000);
    await expect.poll(() => new Set(c.early).size, poll).toBe(2); // all held by the consumer
    expect(await cancelDelayed(bus, 'd4', 'job-d')).toBe(2);
    expect(await waiting('prow.timers.d4.job-d.>')).toBe(0);
    expect(await waiting(delayedSubject('d4', 'job-e', T0 + 1000))).toBe(1);
    expect(await cancelDelayed(bus, 'd4', 'job-d')).toBe(0); // nothing left: fine
    c.clock.now = T0 + 5000;
    // The others still fire (a filtered purge on 2.9 would have dropped them from the consumer).
    await expect.poll(() => c.fired, poll).toEqual(['job-e@1000']);
    await c.running.stop();
  });

  it('a key that is not a valid subject token is encoded, and comes back as given', async () => {
    const c = await consumer('d5');
    c.clock.now = T0 + 10;
    await scheduleDelayed(bus, 'd5', 'org.repo job*1', T0);
    await expect.poll(() => c.fired, poll).toEqual(['org.repo job*1@0']);
    await c.running.stop();
  });
});
