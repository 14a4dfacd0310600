// Admission locks: Prow's maxConcurrencySerializationLocks / jobQueueSerializationLocks (TryLock
// per job name and per queue; busy → requeue after 1 s), made to hold across plank replicas, plus
// one for `plank.max_concurrency`, which Prow counts without a lock (it overshoots under load).
//
// A lock is a key in the JetStream KV bucket `plank-locks`: acquiring is KV create (fails when
// the key exists: compare-and-swap on "absent"), releasing is a delete at the acquired revision.
// The bucket's max age is the lease: a holder that dies without releasing frees its locks after
// it (60 s), so admissions hold them only from the count until the job is recorded pending.
import type { KV } from '@nats-io/kv';
import type { Bus } from '@jetprow/bus';
import { claim, ensureKv, release } from '@jetprow/kv';

export const LOCK_BUCKET = 'plank-locks';
export const LOCK_TTL_MS = 60_000;

export interface Lease {
  release(): Promise<void>;
}

export interface AdmissionLock {
  /** Takes every scope or none (never waits). Undefined when one is held by someone else. */
  tryAcquire(scopes: readonly string[], holder: string): Promise<Lease | undefined>;
}

/** KV keys allow `[-/_=.a-zA-Z0-9]`: a scope (a job or queue name) is base64url-encoded. */
export function lockKey(scope: string): string {
  return `lock.${Buffer.from(scope, 'utf8').toString('base64url')}`;
}

class KvAdmissionLock implements AdmissionLock {
  readonly #kv: KV;
  constructor(kv: KV) {
    this.#kv = kv;
  }

  async tryAcquire(scopes: readonly string[], holder: string): Promise<Lease | undefined> {
    const held: { key: string; rev: number }[] = [];
    const releaseAll = async (): Promise<void> => {
      // A failed delete is freed by the bucket's max age.
      await Promise.all(held.map((h) => release(this.#kv, h.key, h.rev).catch(() => false)));
    };
    try {
      for (const scope of [...new Set(scopes)].sort()) {
        const key = lockKey(scope);
        const rev = await claim(this.#kv, key, holder);
        if (rev === undefined) {
          await releaseAll();
          return undefined;
        }
        held.push({ key, rev });
      }
    } catch (err) {
      await releaseAll();
      throw new Error(`admission lock ${scopes.join(', ')}`, { cause: err });
    }
    return { release: releaseAll };
  }
}

/** Locks shared by every plank replica on the bus. */
export async function openAdmissionLock(bus: Bus, ttlMs = LOCK_TTL_MS): Promise<AdmissionLock> {
  const kv = await ensureKv(bus, LOCK_BUCKET, { history: 1, ttl: ttlMs });
  return new KvAdmissionLock(kv);
}

/** Locks within one process (one plank, or tests of the reconciler alone). */
export function localAdmissionLock(): AdmissionLock {
  const held = new Set<string>();
  return {
    async tryAcquire(scopes) {
      const wanted = [...new Set(scopes)];
      if (wanted.some((s) => held.has(s))) return undefined;
      for (const s of wanted) held.add(s);
      return {
        async release() {
          for (const s of wanted) held.delete(s);
        },
      };
    },
  };
}
