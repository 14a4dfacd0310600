// Runs the hook app on a port (libs/service's listener). ready() follows whether PROW_EVENTS can
// take a publish (its leader answers), not just the NATS connection; stop() stops accepting, lets in-flight deliveries
// finish (each is bounded by the publish deadline), then closes the server. The bus belongs to
// the caller.
import { probeJetStream } from '@jetprow/bus';
import { Streams } from '@jetprow/core';
import { listen } from '@jetprow/service';
import { createHookApp, DEFAULT_PUBLISH_TIMEOUT_MS, type HookAppDeps } from './app.js';

export interface HookDeps extends HookAppDeps {
  /** Prow's --port (8888); 0 picks a free port. */
  port: number;
  host?: string;
}

export interface RunningHook {
  /** The port actually listened on. */
  port: number;
  ready(): boolean;
  stop(): Promise<void>;
}

export async function startHook(deps: HookDeps): Promise<RunningHook> {
  const app = createHookApp(deps);
  const host = deps.host ?? '0.0.0.0';
  // Every delivery ends by its publish deadline; a client still sending a body does not hold us
  // past the grace period.
  const drainMs = (deps.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS) + 10_000;
  const server = await listen(app, deps.port, { host, drainMs }).catch((err: unknown) => {
    throw new Error(`hook ${(err as Error).message}`, { cause: err });
  });
  deps.log.info({ port: server.port, path: deps.path ?? '/hook' }, 'hook listening');
  const jetstream = probeJetStream(deps.bus, { stream: Streams.events, intervalMs: 1000 });
  let stopping = false;
  let stopped: Promise<void> | undefined;
  return {
    port: server.port,
    ready: () => !stopping && jetstream.ok(),
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        jetstream.stop();
        await server.close();
        deps.log.info({}, 'hook stopped');
      })()),
  };
}
