// Runs the hook app on a port. ready() follows the NATS connection (hook cannot accept anything
// while the bus is away); stop() stops accepting, lets in-flight deliveries finish (each is
// bounded by the publish deadline), then closes the server. The bus belongs to the caller.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
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

/** Tracks whether the NATS connection is up, from the client's status events. */
function watchConnection(nc: HookDeps['bus']['nc']): { up(): boolean; stop(): void } {
  let up = !nc.isClosed();
  const events = nc.status();
  void (async () => {
    for await (const s of events) {
      if (s.type === 'disconnect' || s.type === 'close') up = false;
      else if (s.type === 'reconnect') up = true;
    }
  })().catch(() => {
    up = false;
  });
  void nc.closed().then(() => {
    up = false;
  });
  return {
    up: () => up && !nc.isClosed(),
    stop: () => (events as { stop?: () => void }).stop?.(),
  };
}

function listen(
  fetch: (req: Request) => Promise<Response>,
  port: number,
  host: string,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, rejectListen) => {
    const server = serve({ fetch, port, hostname: host }, (info: AddressInfo) =>
      resolve({ server, port: info.port }),
    );
    server.once('error', (err: NodeJS.ErrnoException) =>
      rejectListen(
        new Error(`hook cannot listen on ${host}:${port}: ${err.code ?? err.message}`, {
          cause: err,
        }),
      ),
    );
  });
}

export async function startHook(deps: HookDeps): Promise<RunningHook> {
  const app = createHookApp(deps);
  const connection = watchConnection(deps.bus.nc);
  let stopping = false;
  let inflight = 0;
  let drained: (() => void) | undefined;

  let listening: { server: ServerType; port: number };
  try {
    listening = await listen(async (req) => app.fetch(req), deps.port, deps.host ?? '0.0.0.0');
  } catch (err) {
    connection.stop();
    throw err;
  }
  const { server } = listening;
  // In flight = from request to the response having been written out (or the socket gone).
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inflight++;
    res.once('close', () => {
      inflight--;
      if (inflight === 0) drained?.();
    });
  });
  deps.log.info({ port: listening.port, path: deps.path ?? '/hook' }, 'hook listening');

  let stopped: Promise<void> | undefined;
  async function stop(): Promise<void> {
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (inflight > 0) {
      // Every delivery ends by its publish deadline; a client still sending a body does not
      // hold us past the grace period.
      const graceMs = (deps.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS) + 10_000;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closed;
    connection.stop();
    deps.log.info({}, 'hook stopped');
  }

  return {
    port: listening.port,
    ready: () => !stopping && connection.up(),
    stop: () => (stopped ??= stop()),
  };
}
