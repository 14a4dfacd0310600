// The HTTP listener every jetprow server uses (hook's webhooks, the health and metrics ports), and
// Prow's side ports: health on --health-port (/healthz, /healthz/ready), Prometheus on
// --metrics-port (/metrics).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface Listening {
  /** The port actually listened on (0 asks for a free one). */
  port: number;
  /** Requests received whose response has not been written out yet (nor their socket gone). */
  inflight(): number;
  /**
   * Stops accepting, lets requests in flight finish for up to `drainMs` (default 0), then drops
   * every connection.
   */
  close(): Promise<void>;
}

export interface ListenOptions {
  host?: string;
  /** How long close() waits for requests in flight (default 0: drop them). */
  drainMs?: number;
}

export async function listen(
  app: { fetch: (req: Request) => Response | Promise<Response> },
  port: number,
  opts: ListenOptions = {},
): Promise<Listening> {
  const host = opts.host ?? '0.0.0.0';
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s: ServerType = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(`cannot listen on ${host}:${port}: ${err.code ?? err.message}`, { cause: err }),
      ),
    );
  });
  let inflight = 0;
  let drained: (() => void) | undefined;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inflight++;
    res.once('close', () => {
      inflight--;
      if (inflight === 0) drained?.();
    });
  });
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    if (inflight > 0 && (opts.drainMs ?? 0) > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => (drained = r)),
        new Promise<void>((r) => (timer = setTimeout(r, opts.drainMs))),
      ]);
      clearTimeout(timer);
    }
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closed;
  };
  return {
    port: (server.address() as { port: number }).port,
    inflight: () => inflight,
    close: () => (closing ??= close()),
  };
}

export function healthApp(
  ready: () => boolean | Promise<boolean>,
  extra?: (app: Hono) => void,
): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.text('OK'));
  app.get('/healthz/ready', async (c) =>
    (await ready()) ? c.text('OK') : c.text('not ready', 503),
  );
  extra?.(app);
  return app;
}

export function newRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The metric `name` already on `registry`, else `make()` (which registers it): metrics set up
 * twice on one registry (several apps in one process, a test's second instance) are shared.
 */
export function metricOnce<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function metricsApp(registry: Registry): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) =>
    c.body(await registry.metrics(), 200, { 'content-type': registry.contentType }),
  );
  return app;
}
