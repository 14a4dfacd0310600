import { describe, expect, it } from 'vitest';
import { BodyReadError, BodyTooLargeError, checkContentLength, readBody } from './read-body.js';

function stream(chunks: Uint8Array[], fail?: Error): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      const next = chunks[i++];
      if (next) controller.enqueue(next);
      else if (fail) controller.error(fail);
      else controller.close();
    },
  });
}
const bytes = (n: number, fill = 120) => new Uint8Array(n).fill(fill);

describe('readBody', () => {
  const cases = [
    { name: 'no body', chunks: null, max: 10, want: 0 },
    { name: 'one chunk at the limit', chunks: [bytes(10)], max: 10, want: 10 },
    {
      name: 'several chunks at the limit',
      chunks: [bytes(4), bytes(4), bytes(2)],
      max: 10,
      want: 10,
    },
    {
      name: 'one byte over the limit',
      chunks: [bytes(4), bytes(4), bytes(3)],
      max: 10,
      error: BodyTooLargeError,
    },
    {
      name: 'a stream that fails',
      chunks: [bytes(4)],
      fail: new Error('reset'),
      max: 10,
      error: BodyReadError,
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const read = readBody(tc.chunks && stream(tc.chunks, tc.fail), tc.max);
      if (tc.error) {
        await expect(read).rejects.toBeInstanceOf(tc.error);
        return;
      }
      const body = await read;
      expect(body.byteLength).toBe(tc.want);
      expect(body.every((b) => b === 120)).toBe(true);
    });
  }

  it('keeps the bytes in order, whole', async () => {
    const body = await readBody(
      stream([Uint8Array.of(1, 2), Uint8Array.of(3), Uint8Array.of(4, 5)]),
      100,
    );
    expect([...body]).toEqual([1, 2, 3, 4, 5]);
  });

  it('a read error keeps its cause', async () => {
    const cause = new Error('socket hang up');
    const err = await readBody(stream([], cause), 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BodyReadError);
    expect((err as Error).cause).toBe(cause);
  });
});

describe('checkContentLength', () => {
  const cases = [
    { name: 'absent', header: undefined, ok: true },
    { name: 'at the limit', header: '100', ok: true },
    { name: 'over the limit', header: '101', ok: false },
    { name: 'garbage is left to the byte count', header: 'lots', ok: true },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const check = () => checkContentLength(tc.header, 100);
      if (tc.ok) expect(check).not.toThrow();
      else expect(check).toThrow(BodyTooLargeError);
    });
  }
});
