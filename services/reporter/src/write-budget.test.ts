// The write budget on a real nats-server, shared by two "replicas" (two budgets on two
// connections): together they never exceed the limit in any window, GitHub's blocks hold for
// both, and a slot too far away is handed back as a RetryLaterError with the delay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, RetryLaterError, type Bus } from '@jetprow/bus';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { BudgetWaitError, openWriteBudget, type WriteBudget } from './write-budget.js';

let nats: NatsHarness;
let buses: Bus[];
beforeAll(async () => {
  nats = await startNats();
  buses = [await connectBus(nats.url, 'budget-a'), await connectBus(nats.url, 'budget-b')];
});
afterAll(async () => {
  for (const b of buses) await b.close();
  await nats.stop();
});

/** Max number of times within any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j]! - t[i]! >= windowMs) i++;
    max = Math.max(max, j - i + 1);
  }
  return max;
}

const replicas = (limits = [{ count: 5, windowMs: 600 }], marginMs = 20) =>
  Promise.all(buses.map((b) => openWriteBudget(b.js, { limits, marginMs })));

describe('write budget shared through KV', () => {
  it('two replicas writing 16 times in total keep 5 per 600 ms between them, first come first served', async () => {
    const [a, b] = (await replicas()) as [WriteBudget, WriteBudget];
    const slots: number[] = [];
    const write = async (budget: WriteBudget) => {
      const slot = await budget.acquire('token-x', 10_000);
      // Never let go before its slot (the event loop may only make it later).
      expect(Date.now()).toBeGreaterThanOrEqual(slot);
      slots.push(slot);
    };
    await Promise.all([
      ...Array.from({ length: 8 }, () => write(a)),
      ...Array.from({ length: 8 }, () => write(b)),
    ]);
    expect(new Set(slots).size).toBe(16);
    // The slots given out keep the limit, margin included, whatever the machine's load.
    expect(maxInWindow(slots, 600 + 20)).toBeLessThanOrEqual(5);
    // 16 writes at 5 per window need at least three more windows after the first burst.
    expect(Math.max(...slots) - Math.min(...slots)).toBeGreaterThanOrEqual(3 * 600);
  });

  it('budgets are separate per token or installation', async () => {
    const [a] = (await replicas([{ count: 1, windowMs: 60_000 }])) as [WriteBudget];
    await a.acquire('installation-1', 0);
    await a.acquire('installation-2', 0);
    await expect(a.acquire('installation-1', 100)).rejects.toBeInstanceOf(BudgetWaitError);
  });

  it('a slot further than the caller may wait reserves nothing and says how long to wait', async () => {
    const [a, b] = (await replicas([{ count: 2, windowMs: 5000 }], 0)) as [
      WriteBudget,
      WriteBudget,
    ];
    await a.acquire('token-far', 0);
    await b.acquire('token-far', 0);
    const err = await a.acquire('token-far', 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).delayMs).toBeGreaterThan(4000);
    // Nothing was reserved by the refusal: the next caller gets the same slot.
    const again = await b.acquire('token-far', 50).catch((e: unknown) => e);
    expect(
      Math.abs((again as RetryLaterError).delayMs - (err as RetryLaterError).delayMs),
    ).toBeLessThan(500);
  });

  it('a block GitHub asked for holds for every replica, then writes resume', async () => {
    const [a, b] = (await replicas([{ count: 100, windowMs: 1000 }], 0)) as [
      WriteBudget,
      WriteBudget,
    ];
    const until = Date.now() + 400;
    await a.block('token-blocked', until);
    expect(await b.blockedUntil('token-blocked')).toBe(until);
    await b.acquire('token-blocked', 5000);
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    await expect(b.acquire('token-blocked', 0)).resolves.toBeTypeOf('number');
    expect(await a.blockedUntil('token-blocked')).toBeUndefined();
  });
});

describe('stopping', () => {
  it('a write waiting for its slot ends at once when the process stops, as a RetryLaterError', async () => {
    const [a] = (await replicas([{ count: 1, windowMs: 10_000 }], 0)) as [WriteBudget];
    await a.acquire('token-stop', 0);
    const stop = new AbortController();
    const waiting = a.acquire('token-stop', 20_000, stop.signal).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    stop.abort();
    const err = await waiting;
    expect(Date.now() - t).toBeLessThan(1000);
    expect(err).toBeInstanceOf(RetryLaterError);
  });
});
