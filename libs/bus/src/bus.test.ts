import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Type from 'typebox';
import { decoder } from '@jetprow/schemas';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { connectBus, type Bus } from './connect.js';
import { ensureStreams } from './streams.js';
import { publishJson } from './publish.js';
import { runConsumer } from './consume.js';
import { runTimer } from './timer.js';
import { TerminalError } from './errors.js';
import { silentLog } from './log.js';
import { getPayload, payloadStore, putPayload } from './payloads.js';

let nats: NatsHarness;
let bus: Bus;
const Msg = decoder('test message', Type.Object({ n: Type.Integer() }));

beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'bus-test');
  await ensureStreams(bus.jsm);
});
afterAll(async () => {
  await bus.close();
  await nats.stop();
});

describe('streams', () => {
  it('are idempotent to ensure, and dedupe by msg-id', async () => {
    await ensureStreams(bus.jsm);
    const a = await publishJson(bus.js, 'prow.events.ping.o.r', { n: 1 }, { msgID: 'guid-1' });
    const b = await publishJson(bus.js, 'prow.events.ping.o.r', { n: 1 }, { msgID: 'guid-1' });
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(true);
    expect(b.seq).toBe(a.seq);
  });

  it('keep only the newest report per subject', async () => {
    for (let i = 0; i < 3; i++) await publishJson(bus.js, 'prow.reports.o.r.sha.ctx', { n: i });
    const info = await bus.jsm.streams.info('PROW_REPORTS');
    expect(info.state.messages).toBe(1);
  });
});

describe('runConsumer', () => {
  it('acks handled messages, terms bad ones, retries failures', async () => {
    const seen: string[] = [];
    let failedOnce = false;
    const c = await runConsumer(bus, {
      stream: 'PROW_JOBS',
      durable: 'test-consumer',
      filterSubject: 'prow.jobs.0',
      decode: Msg,
      log: silentLog,
      async handle(m, raw) {
        if (m.n === 2 && !failedOnce) {
          failedOnce = true;
          throw new Error('transient');
        }
        if (m.n === 3) throw new TerminalError('never');
        seen.push(`${m.n}@${raw.info.deliveryCount}`);
      },
    });
    await publishJson(bus.js, 'prow.jobs.0', { n: 1 });
    await publishJson(bus.js, 'prow.jobs.0', { n: 2 });
    await publishJson(bus.js, 'prow.jobs.0', { n: 3 });
    await publishJson(bus.js, 'prow.jobs.0', { wrong: true });
    await expect.poll(() => seen, { timeout: 8000 }).toEqual(['1@1', '2@2']);
    // Work queue: acked and termed messages are gone.
    await expect
      .poll(async () => (await bus.jsm.streams.info('PROW_JOBS')).state.messages, { timeout: 5000 })
      .toBe(0);
    await c.stop();
  });
});

describe('runTimer', () => {
  it('fires once per period across replicas and keeps firing', async () => {
    const fired: string[] = [];
    const mk = (id: string) =>
      runTimer(bus, {
        name: 'test-tick',
        periodMs: 400,
        log: silentLog,
        async fire() {
          fired.push(`${id}@${Date.now()}`);
        },
      });
    const [a, b, c] = await Promise.all([mk('a'), mk('b'), mk('c')]);
    await new Promise((r) => setTimeout(r, 2100));
    await Promise.all([a.stop(), b.stop(), c.stop()]);
    // ~5 periods in 2.1 s: once each, never three replicas at once.
    expect(fired.length).toBeGreaterThanOrEqual(3);
    expect(fired.length).toBeLessThanOrEqual(6);
    const times = fired.map((f) => Number(f.split('@')[1]));
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(350);
    // Only one timer message exists however many replicas seeded it.
    const info = await bus.jsm.streams.info('PROW_TIMERS', {
      subjects_filter: 'prow.timers.>',
    } as never);
    expect(info.state.messages).toBe(1);
  });
});

describe('payloads', () => {
  it('stores a 3 MB body whole in the object store', async () => {
    const os = await payloadStore(bus);
    const body = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
    await putPayload(os, 'delivery-big', body);
    const back = await getPayload(os, 'delivery-big');
    expect(back?.length).toBe(body.length);
    expect(Buffer.compare(Buffer.from(back!), Buffer.from(body))).toBe(0);
  });
});
