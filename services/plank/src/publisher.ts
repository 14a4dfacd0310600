// Publishing with a few quick retries. The bus is the only way plank's work moves on, but a nudge
// that still cannot be published is not lost work: the job is in the store, and the resync timer
// looks at every incomplete job again.
import { publishJson, type Bus, type Log } from '@jetprow/bus';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Outgoing } from './nudges.js';

export type Publish = (out: Outgoing<unknown>) => Promise<boolean>;

export function publisher(bus: Bus, log: Log, attempts = 4): Publish {
  return async (out) => {
    for (let i = 1; ; i++) {
      try {
        await publishJson(bus.js, out.subject, out.data, {
          ...(out.msgID ? { msgID: out.msgID } : {}),
          ...(out.delivery ? { delivery: out.delivery } : {}),
        });
        return true;
      } catch (err) {
        if (i >= attempts || bus.nc.isClosed()) {
          log.error({ err: String(err), subject: out.subject, msgID: out.msgID }, 'publish failed');
          return false;
        }
        await sleep(200 * 2 ** (i - 1));
      }
    }
  };
}
