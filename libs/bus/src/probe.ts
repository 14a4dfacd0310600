// Whether JetStream can serve this process, not only whether its TCP connection is up: a stream
// without a leader (an election after a node died) or a cluster that lost its meta leader answers
// nothing while the connection looks fine. The probe asks JetStream every `intervalMs` (stream
// info of `stream`, answered by its leader; account info without a stream, answered by the meta
// leader) and is ok while the last answer came within `timeoutMs`.
import type { Bus } from './connect.js';

export interface JetStreamProbe {
  ok(): boolean;
  stop(): void;
}

export interface ProbeOptions {
  /** Probe this stream's leader (hook: PROW_EVENTS); default the account (the meta leader). */
  stream?: string;
  intervalMs?: number;
  timeoutMs?: number;
}

export function probeJetStream(bus: Bus, opts: ProbeOptions = {}): JetStreamProbe {
  const intervalMs = opts.intervalMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 1500;
  let ok = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const ask = (): Promise<unknown> =>
    opts.stream === undefined ? bus.jsm.getAccountInfo() : bus.jsm.streams.info(opts.stream);
  const tick = async (): Promise<void> => {
    let t: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ask(),
        new Promise((_, reject) => (t = setTimeout(() => reject(new Error('timeout')), timeoutMs))),
      ]);
      ok = true;
    } catch {
      ok = false;
    } finally {
      clearTimeout(t);
      if (!stopped) {
        timer = setTimeout(() => void tick(), intervalMs);
        timer.unref();
      }
    }
  };
  timer = setTimeout(() => void tick(), 0);
  timer.unref();
  return {
    ok: () => ok && bus.connected(),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
