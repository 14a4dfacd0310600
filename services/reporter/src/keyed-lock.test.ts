import { describe, expect, it } from 'vitest';
import { keyedLock } from './keyed-lock.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('keyedLock', () => {
  it('runs tasks of one key in order, one at a time', async () => {
    const lock = keyedLock();
    const events: string[] = [];
    const g = gate();
    const first = lock.run('job-a', async () => {
      events.push('a1 start');
      await g.opened;
      events.push('a1 end');
    });
    const second = lock.run('job-a', async () => {
      events.push('a2');
    });
    await Promise.resolve();
    expect(events).toEqual(['a1 start']);
    g.open();
    await Promise.all([first, second]);
    expect(events).toEqual(['a1 start', 'a1 end', 'a2']);
    expect(lock.size()).toBe(0);
  });

  it('does not hold other keys back', async () => {
    const lock = keyedLock();
    const g = gate();
    const held = lock.run('job-a', () => g.opened);
    expect(await lock.run('job-b', async () => 'b ran')).toBe('b ran');
    g.open();
    await held;
  });

  it('a failing task releases the key and keeps its error', async () => {
    const lock = keyedLock();
    await expect(lock.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.run('k', async () => 2)).toBe(2);
    expect(lock.size()).toBe(0);
  });
});
