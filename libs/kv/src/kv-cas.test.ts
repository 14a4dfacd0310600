// Claims and compare-and-swap on a real nats-server, with two connections racing as two replicas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { startNats, type NatsHarness } from '@jetprow/testing';
import {
  casUpdate,
  claim,
  isStreamNotFound,
  isWrongLastSequence,
  readJson,
  release,
} from './index.js';

let nats: NatsHarness;
let conns: NatsConnection[];
let a: KV;
let b: KV;

beforeAll(async () => {
  nats = await startNats();
  conns = await Promise.all([connect({ servers: nats.url }), connect({ servers: nats.url })]);
  a = await new Kvm(jetstream(conns[0]!)).create('cas-test', { history: 5 });
  b = await new Kvm(jetstream(conns[1]!)).open('cas-test');
});
afterAll(async () => {
  await Promise.all(conns.map((c) => c.close()));
  await nats.stop();
});

describe('claim', () => {
  it('exactly one of two replicas racing for a key wins it', async () => {
    for (let i = 0; i < 20; i++) {
      const key = `race.${i}`;
      const [ra, rb] = await Promise.all([claim(a, key, 'a'), claim(b, key, { who: 'b' })]);
      expect([ra, rb].filter((r) => r !== undefined)).toHaveLength(1);
      const e = await a.get(key);
      expect(e?.string()).toBe(ra !== undefined ? 'a' : '{"who":"b"}');
    }
  });

  it('a released claim can be taken again; a stale release is refused', async () => {
    const rev = await claim(a, 'lease', 'a');
    expect(rev).toBeDefined();
    expect(await release(b, 'lease', rev! + 7)).toBe(false);
    expect(await claim(b, 'lease', 'b')).toBeUndefined();
    expect(await release(a, 'lease', rev!)).toBe(true);
    expect(await claim(b, 'lease', 'b')).toBeDefined();
  });
});

describe('casUpdate', () => {
  it('loses no increment when two replicas update one counter at once', async () => {
    const inc = (kv: KV) =>
      casUpdate<{ n: number }>(kv, 'counter', (cur) => ({ put: { n: (cur?.n ?? 0) + 1 } }));
    await Promise.all(Array.from({ length: 30 }, (_, i) => inc(i % 2 ? a : b)));
    expect((await readJson<{ n: number }>(a, 'counter')).value).toEqual({ n: 30 });
  });

  it('keep returns what is there; delete removes it; a missing key reads as revision 0', async () => {
    expect(await readJson(a, 'absent')).toEqual({ value: undefined, revision: 0 });
    const put = await casUpdate<string[]>(a, 'list', () => ({ put: ['x'] }));
    expect(await casUpdate<string[]>(b, 'list', () => ({ keep: true }))).toEqual(put);
    await casUpdate<string[]>(b, 'list', () => ({ delete: true }));
    expect((await readJson(a, 'list')).value).toBeUndefined();
    // create() after the delete marker: the key lives again.
    expect(
      (await casUpdate<string[]>(a, 'list', (c) => ({ put: [...(c ?? []), 'y'] }))).value,
    ).toEqual(['y']);
  });
});

describe('error classification by nats.js codes', () => {
  it('names a lost compare-and-swap and a missing stream from the server’s own errors', async () => {
    const rev = await a.put('cas', 'one');
    const lost = await a.update('cas', 'two', rev + 5).catch((e: unknown) => e);
    expect(isWrongLastSequence(lost)).toBe(true);
    const missing = await jetstream(conns[0]!)
      .jetstreamManager()
      .then((m) => m.streams.info('NOPE'))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(JetStreamApiError);
    expect(isStreamNotFound(missing)).toBe(true);
    expect(isWrongLastSequence(missing)).toBe(false);
    expect(isWrongLastSequence(new Error('wrong last sequence'))).toBe(false);
  });
});
