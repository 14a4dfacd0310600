// Claims and compare-and-swap on JetStream KV keys: how replicas share small records and decide
// who acts (the write budget, the write ledger, per-PR comment queues, admission locks) without a
// lock service. A claim is KV create (only one caller can create a key); an update is KV update at
// the revision read, retried on conflict. Every "claim before you act" in jetprow goes through here.
import type { KV } from '@nats-io/kv';
import { isWrongLastSequence } from './js-errors.js';

export type Change<T> = { put: T } | { delete: true } | { keep: true };

export class KvConflictError extends Error {
  override readonly name = 'KvConflictError';
}

export interface Current<T> {
  value: T | undefined;
  /** The revision read (0 when the key never existed). */
  revision: number;
}

const encoder = new TextEncoder();
const encode = (value: unknown): Uint8Array =>
  typeof value === 'string' ? encoder.encode(value) : encoder.encode(JSON.stringify(value));

export async function readJson<T>(kv: KV, key: string): Promise<Current<T>> {
  const e = await kv.get(key);
  if (!e) return { value: undefined, revision: 0 };
  return { value: e.operation === 'PUT' ? (e.json() as T) : undefined, revision: e.revision };
}

/**
 * Creates `key` with `value` if no live value is there (KV create: also after a delete marker).
 * Returns the new revision, or undefined when someone else holds the key: the caller lost.
 * Strings are stored as they are, anything else as JSON.
 */
export async function claim(kv: KV, key: string, value: unknown): Promise<number | undefined> {
  try {
    return await kv.create(key, encode(value));
  } catch (err) {
    if (isWrongLastSequence(err)) return undefined;
    throw err;
  }
}

/**
 * Deletes `key` if it is still at `revision` (the holder's own claim). False when it moved on
 * (someone else's now, or already gone).
 */
export async function release(kv: KV, key: string, revision: number): Promise<boolean> {
  try {
    await kv.delete(key, { previousSeq: revision });
    return true;
  } catch (err) {
    if (isWrongLastSequence(err)) return false;
    throw err;
  }
}

/**
 * Applies `change` to the current value until the write wins the compare-and-swap. Returns what
 * was stored (or kept) and its revision. `change` gets a copy: it may mutate and return it.
 */
export async function casUpdate<T>(
  kv: KV,
  key: string,
  change: (current: T | undefined) => Change<T>,
  attempts = 50,
): Promise<Current<T>> {
  for (let i = 0; i < attempts; i++) {
    const cur = await readJson<T>(kv, key);
    const c = change(cur.value === undefined ? undefined : structuredClone(cur.value));
    try {
      if ('keep' in c) return cur;
      if ('delete' in c) {
        if (cur.value === undefined) return { value: undefined, revision: cur.revision };
        await kv.delete(key, { previousSeq: cur.revision });
        return { value: undefined, revision: cur.revision + 1 };
      }
      const data = encoder.encode(JSON.stringify(c.put));
      // create() also works after a delete marker; update() is the compare-and-swap.
      const revision =
        cur.value === undefined
          ? await kv.create(key, data)
          : await kv.update(key, data, cur.revision);
      return { value: c.put, revision };
    } catch (err) {
      if (!isWrongLastSequence(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * (i + 1))));
    }
  }
  throw new KvConflictError(`kv ${key}: lost the compare-and-swap ${attempts} times`);
}
