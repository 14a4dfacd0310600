// The write budget: its arithmetic at GitHub's real 80/min and 500/h (pure), then the budget on a
// real nats-server shared by two "replicas" (two budgets on two connections): together they never
// exceed the limit in any window, GitHub's blocks hold for both, and a slot too far away is handed
// back as a RetryLaterError with the delay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, RetryLaterError, type Bus } from '@jetprow/bus';
import { startNats, type NatsHarness } from '@jetprow/testing';
import {
  answerSlot,
  moveSlot,
  nextSlot,
  openWriteBudget,
  pruneSlots,
  reserveSlot,
  type BudgetRecord,
  type WriteBudget,
  type WriteLimit,
} from './budget.js';

const NOW = 1_000_000;
const GITHUB: WriteLimit[] = [
  { count: 80, windowMs: 60_000 },
  { count: 500, windowMs: 3600_000 },
];
const SMALL: WriteLimit[] = [{ count: 3, windowMs: 1000 }];
const times = (n: number, from: number, step: number) =>
  Array.from({ length: n }, (_, i) => from + i * step);

describe('nextSlot', () => {
  const cases: {
    name: string;
    rec: BudgetRecord;
    limits: WriteLimit[];
    margin?: number;
    want: number;
  }[] = [
    { name: 'an empty budget writes now', rec: { slots: [] }, limits: GITHUB, want: NOW },
    {
      name: 'under every limit: now',
      rec: { slots: times(79, NOW - 30_000, 100) },
      limits: GITHUB,
      want: NOW,
    },
    {
      name: '80 writes in the last minute: the 81st waits until the oldest of them leaves it',
      rec: { slots: times(80, NOW - 30_000, 100) },
      limits: GITHUB,
      want: NOW - 30_000 + 60_000,
    },
    {
      name: 'the margin widens the window',
      rec: { slots: times(80, NOW - 30_000, 100) },
      limits: GITHUB,
      margin: 1000,
      want: NOW + 31_000,
    },
    {
      name: '500 in the hour: the hourly limit decides',
      rec: { slots: times(500, NOW - 3000_000, 6000) },
      limits: GITHUB,
      want: NOW - 3000_000 + 3600_000,
    },
    {
      name: 'after every write already reserved (first come, first served)',
      rec: { slots: [], open: [NOW + 400] },
      limits: SMALL,
      want: NOW + 401,
    },
    {
      name: 'never while GitHub asked us to wait',
      rec: { slots: [], blockedUntil: NOW + 5000 },
      limits: GITHUB,
      want: NOW + 5000,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(nextSlot(tc.rec, NOW, tc.limits, tc.margin ?? 0)).toBe(tc.want));
  }
});

describe('reserving slots keeps every limit in any window', () => {
  it('200 writes asked for at random times never exceed 3 per second', () => {
    let rec: BudgetRecord = { slots: [] };
    const reserved: number[] = [];
    let now = NOW;
    for (let i = 0; i < 200; i++) {
      now += Math.floor(Math.random() * 400);
      const at = nextSlot(rec, now, SMALL, 0);
      rec = reserveSlot(rec, at, now, SMALL, 0);
      reserved.push(at);
    }
    for (let i = 3; i < reserved.length; i++) {
      expect(reserved[i]! - reserved[i - 3]!).toBeGreaterThanOrEqual(1000);
    }
    expect([...reserved].sort((a, b) => a - b)).toEqual(reserved);
  });
});

describe('pruneSlots', () => {
  it('drops slots outside the longest window and beyond the largest count', () => {
    expect(pruneSlots([NOW - 2000, NOW - 500, NOW - 10, NOW], NOW, SMALL, 0)).toEqual([
      NOW - 500,
      NOW - 10,
      NOW,
    ]);
    expect(pruneSlots([NOW - 900, NOW - 800, NOW - 500, NOW - 10], NOW, SMALL, 0)).toEqual([
      NOW - 800,
      NOW - 500,
      NOW - 10,
    ]);
  });
  it('a block that has passed is forgotten when reserving', () => {
    expect(reserveSlot({ slots: [], blockedUntil: NOW - 1 }, NOW, NOW, SMALL, 0)).toEqual({
      slots: [],
      open: [NOW],
    });
  });
});

describe('answered writes count from their answer', () => {
  it('an answer turns the earliest reserved slot before it into the answer time', () => {
    const rec = { slots: [], open: [NOW - 300, NOW - 200, NOW + 500] };
    expect(answerSlot(rec, NOW - 100, NOW, SMALL, 0)).toEqual({
      slots: [NOW - 100],
      open: [NOW - 200, NOW + 500],
    });
  });

  it('a write GitHub answered late pushes the next slot later than its reservation did', () => {
    // Three writes reserved at NOW-1000.., the first answered only at NOW-600 (a slow request).
    let rec = reserveSlot({ slots: [] }, NOW - 1000, NOW - 1000, SMALL, 0);
    rec = reserveSlot(rec, NOW - 990, NOW - 1000, SMALL, 0);
    rec = reserveSlot(rec, NOW - 980, NOW - 1000, SMALL, 0);
    expect(nextSlot(rec, NOW - 900, SMALL, 0)).toBe(NOW);
    rec = answerSlot(rec, NOW - 600, NOW - 600, SMALL, 0);
    expect(nextSlot(rec, NOW - 600, SMALL, 0)).toBe(NOW - 990 + 1000);
    // A writer re-checking its own slot (NOW) against the answers so far is moved.
    const mine = reserveSlot(rec, NOW, NOW - 600, SMALL, 0);
    rec = answerSlot(
      answerSlot(mine, NOW - 500, NOW - 500, SMALL, 0),
      NOW - 450,
      NOW - 450,
      SMALL,
      0,
    );
    expect(nextSlot(rec, NOW, SMALL, 0, NOW)).toBe(NOW - 600 + 1000);
    expect(moveSlot(rec, NOW, NOW + 500).open).toEqual([NOW + 500]);
  });
});

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
    await expect(a.acquire('installation-1', 100)).rejects.toBeInstanceOf(RetryLaterError);
  });

  it('a slot further than the caller may wait reserves nothing and says how long to wait', async () => {
    const [a, b] = (await replicas([{ count: 2, windowMs: 5000 }], 0)) as [
      WriteBudget,
      WriteBudget,
    ];
    // Slots are distinct (1 ms apart at least): two acquired in the same millisecond need a little wait.
    await a.acquire('token-far', 20);
    await b.acquire('token-far', 20);
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
