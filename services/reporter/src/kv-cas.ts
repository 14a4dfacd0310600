// Read-modify-write of one JSON value in a JetStream KV bucket with compare-and-swap on the
// key's revision, retried on conflict: how reporter replicas share small records (the write
// budget, per-PR comment queues) without a lock service.
import type { KV } from '@nats-io/kv';

export type Change<T> = { put: T } | { delete: true } | { keep: true };

export class KvConflictError extends Error {
  override readonly name = 'KvConflictError';
}

const WRONG_LAST_SEQUENCE = new Set([10071, 10164]);
const isConflict = (err: unknown): boolean =>
  WRONG_LAST_SEQUENCE.has((err as { code?: number }).code ?? 0);
const encoder = new TextEncoder();

export interface Current<T> {
  value: T | undefined;
  /** The revision read (0 when the key never existed). */
  revision: number;
}

export async function readJson<T>(kv: KV, key: string): Promise<Current<T>> {
  const e = await kv.get(key);
  if (!e) return { value: undefined, revision: 0 };
  return { value: e.operation === 'PUT' ? (e.json() as T) : undefined, revision: e.revision };
}

/**
 * Applies `change` to the current value until the write wins the compare-and-swap. Returns what
 * was stored (or kept) and its revision.
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
      if (!isConflict(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 * (i + 1))));
    }
  }
  throw new KvConflictError(`kv ${key}: lost the compare-and-swap ${attempts} times`);
}
