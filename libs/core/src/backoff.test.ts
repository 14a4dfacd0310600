import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Backoff } from './backoff.js';

const slept = vi.hoisted(() => [] as number[]);
vi.mock('node:timers/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:timers/promises')>();
  return {
    ...real,
    setTimeout: (ms: number, value?: unknown, opts?: { signal?: AbortSignal }) => {
      slept.push(ms);
      return real.setTimeout(ms, value, opts);
    },
  };
});

describe('Backoff', () => {
  beforeEach(() => {
    slept.length = 0;
  });

  it('doubles from minMs up to maxMs; reset() starts again at minMs', async () => {
    const b = new Backoff(new AbortController().signal, { minMs: 1, maxMs: 5 });
    for (let i = 0; i < 4; i++) await b.pause();
    b.reset();
    await b.pause();
    expect(slept).toEqual([1, 2, 4, 5, 1]);
  });

  it('an abort ends a pause at once, and later pauses do not sleep', async () => {
    const stop = new AbortController();
    const b = new Backoff(stop.signal, { minMs: 60_000, maxMs: 60_000 });
    const start = Date.now();
    const p = b.pause();
    stop.abort();
    await p;
    await b.pause();
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
