import { describe, expect, it } from 'vitest';
import {
  answerSlot,
  moveSlot,
  nextSlot,
  pruneSlots,
  reserveSlot,
  type BudgetRecord,
  type WriteLimit,
} from './budget-slots.js';

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
