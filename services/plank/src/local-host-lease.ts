// The local runner runs builds as processes on this machine, in --data-dir/builds: plank replicas
// on one host share them (the build directory is the record), but a plank on a second host would
// not see them and would start every job again ("Pod is missing"). So local builds have one plank
// host, enforced across replicas: the host holds a lease (KV bucket plank-hosts, key local-runner,
// renewed every third of its TTL by each replica on that host); a plank on another host refuses to
// start while the lease is held, and may take it over only once the owner has been gone a TTL.
// With --kubeconfig / --in-cluster builds are Pods and any number of hosts is fine.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Bus, Log } from '@jetprow/bus';
import { claim, ensureKv } from '@jetprow/kv';

export const HOST_LEASE_BUCKET = 'plank-hosts';
const KEY = 'local-runner';
export const HOST_LEASE_TTL_MS = 15_000;

export class LocalHostTakenError extends Error {
  override readonly name = 'LocalHostTakenError';
}

export interface HostLease {
  release(): void;
}

interface Holder {
  host: string;
  dataDir: string;
}

export async function holdLocalHost(
  bus: Bus,
  opts: { dataDir: string; log: Log; host?: string; ttlMs?: number },
): Promise<HostLease> {
  const ttlMs = opts.ttlMs ?? HOST_LEASE_TTL_MS;
  const me: Holder = { host: opts.host ?? hostname(), dataDir: resolve(opts.dataDir) };
  const kv = await ensureKv(bus, HOST_LEASE_BUCKET, { history: 1, ttl: ttlMs });
  const same = (h: Holder | undefined) => h?.host === me.host && h.dataDir === me.dataDir;
  const current = async (): Promise<Holder | undefined> => {
    const e = await kv.get(KEY);
    return e?.operation === 'PUT' ? (e.json() as Holder) : undefined;
  };
  if ((await claim(kv, KEY, me)) === undefined) {
    const holder = await current();
    if (holder && !same(holder)) {
      throw new LocalHostTakenError(
        `local builds run on one plank host: ${holder.host} (${holder.dataDir}) runs them now. ` +
          'Run every plank replica on that host, or run builds as Pods (--kubeconfig / --in-cluster).',
      );
    }
    if (!holder && (await claim(kv, KEY, me)) === undefined) {
      throw new LocalHostTakenError(
        'local builds run on one plank host: another host just took it',
      );
    }
  }
  const renew = setInterval(() => {
    void (async () => {
      const holder = await current();
      if (holder === undefined || same(holder)) await kv.put(KEY, JSON.stringify(me));
      else opts.log.error({ holder }, 'another plank host took the local-runner lease');
    })().catch((err: unknown) =>
      opts.log.warn({ err: String(err) }, 'could not renew the local-runner host lease'),
    );
  }, ttlMs / 3);
  renew.unref();
  return { release: () => clearInterval(renew) };
}
