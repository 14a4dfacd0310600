// The per-PR comment queue on a real nats-server: reports are kept once, one holder at a time
// (across "replicas"), a dead holder's lease runs out, and reports arriving meanwhile stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, type Bus } from '@jetprow/bus';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { openPrReportQueue, type PrReportQueue } from './comment-target.js';

let nats: NatsHarness;
let bus: Bus;
let q: PrReportQueue;
beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'pr-queue');
  q = await openPrReportQueue(bus.js);
});
afterAll(async () => {
  await bus.close();
  await nats.stop();
});

let n = 0;
const pr = () => ({ org: 'acme', repo: 'kubernetes.github.io', number: ++n });
const a = { name: 'pj-a', state: 'failure' };
const b = { name: 'pj-b', state: 'success' };

describe('PR report queue', () => {
  it('keeps a report once, and a repeated enqueue names the same revision', async () => {
    const p = pr();
    const r1 = await q.enqueue(p, a);
    expect(await q.enqueue(p, a)).toBe(r1);
    expect(await q.enqueue(p, b)).toBeGreaterThan(r1);
    expect(await q.claim(p, 'x', 10_000)).toEqual({ kind: 'claimed', items: [a, b] });
  });

  it('one holder at a time; completing drops what was done and keeps what came meanwhile', async () => {
    const p = pr();
    await q.enqueue(p, a);
    expect(await q.claim(p, 'one', 10_000)).toEqual({ kind: 'claimed', items: [a] });
    expect(await q.claim(p, 'two', 10_000)).toMatchObject({ kind: 'busy' });
    await q.enqueue(p, b);
    expect(await q.renew(p, 'two', 10_000)).toBe(false);
    expect(await q.renew(p, 'one', 10_000)).toBe(true);
    expect(await q.complete(p, 'one', [a])).toBe(1);
    expect(await q.claim(p, 'two', 10_000)).toEqual({ kind: 'claimed', items: [b] });
    expect(await q.complete(p, 'two', [b])).toBe(0);
    expect(await q.claim(p, 'three', 10_000)).toEqual({ kind: 'empty' });
  });

  it("a dead holder's lease runs out and another takes the reports over", async () => {
    const p = pr();
    await q.enqueue(p, a);
    expect((await q.claim(p, 'dies', 150)).kind).toBe('claimed');
    expect((await q.claim(p, 'next', 150)).kind).toBe('busy');
    await new Promise((r) => setTimeout(r, 200));
    expect(await q.claim(p, 'next', 10_000)).toEqual({ kind: 'claimed', items: [a] });
  });

  it('a failed holder releases the lease and the reports stay', async () => {
    const p = pr();
    await q.enqueue(p, a);
    await q.claim(p, 'fails', 10_000);
    await q.release(p, 'fails');
    expect(await q.claim(p, 'other', 10_000)).toEqual({ kind: 'claimed', items: [a] });
  });
});
