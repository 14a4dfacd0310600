// Write-ahead marks for GitHub writes that must not happen twice. A writer marks a write as
// begun before sending it and done after; a crash in between leaves "begun", so whoever handles
// the same work next knows the write may already be on GitHub and checks there before writing
// again. The marks live in a KV bucket whose entries expire after a week.
import { Kvm, type KV } from '@nats-io/kv';
import type { JetStreamClient } from '@nats-io/jetstream';
import { kvKey } from './kv-key.js';

export const LEDGER_BUCKET = 'reporter-writes';
const WEEK_MS = 7 * 24 * 3600_000;

/** What is known of a write: never tried, tried (outcome unknown), or done. */
export type LedgerState = 'new' | 'begun' | 'done';

export interface WriteLedger {
  /** The state of the write `what` under `key` (a different `what` under the key counts as new). */
  state(key: string, what: string): Promise<LedgerState>;
  begin(key: string, what: string): Promise<void>;
  done(key: string, what: string): Promise<void>;
}

export async function openWriteLedger(js: JetStreamClient): Promise<WriteLedger> {
  return kvWriteLedger(await new Kvm(js).create(LEDGER_BUCKET, { history: 1, ttl: WEEK_MS }));
}

export function kvWriteLedger(kv: KV): WriteLedger {
  return {
    async state(key, what) {
      const e = await kv.get(kvKey(key));
      if (!e || e.operation !== 'PUT') return 'new';
      const v = e.string();
      if (v === `done ${what}`) return 'done';
      return v === `begun ${what}` ? 'begun' : 'new';
    },
    async begin(key, what) {
      await kv.put(kvKey(key), `begun ${what}`);
    },
    async done(key, what) {
      await kv.put(kvKey(key), `done ${what}`);
    },
  };
}
