// horologium's state on the bus: one JetStream KV entry (bucket `prow-horologium`, key `state`),
// so the last tick and the cron entries survive restarts of trigger and of nats-server and are
// shared by every replica (only the replica holding the horologium tick writes it).
import type { KV } from '@nats-io/kv';
import type { Bus } from '@jetprow/bus';
import { ensureKv } from '@jetprow/kv';
import type { HorologiumState } from './cron-tick.js';

export const HOROLOGIUM_BUCKET = 'prow-horologium';
const KEY = 'state';

export class HorologiumStateError extends Error {
  override readonly name = 'HorologiumStateError';
}

export interface HorologiumStateStore {
  load(): Promise<HorologiumState>;
  save(state: HorologiumState): Promise<void>;
}

export async function kvHorologiumState(bus: Bus): Promise<HorologiumStateStore> {
  const kv: KV = await ensureKv(bus, HOROLOGIUM_BUCKET, { history: 1 });
  return {
    async load() {
      const e = await kv.get(KEY);
      if (!e || e.operation !== 'PUT' || e.length === 0) return { crons: {} };
      try {
        const s = e.json<HorologiumState>();
        return { last_tick: s.last_tick, crons: s.crons ?? {} };
      } catch (cause) {
        throw new HorologiumStateError(`horologium state in ${HOROLOGIUM_BUCKET} is not JSON`, {
          cause,
        });
      }
    },
    async save(state) {
      await kv.put(KEY, JSON.stringify(state));
    },
  };
}
