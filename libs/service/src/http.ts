// Prow's side ports: health on --health-port (/healthz, /healthz/ready), Prometheus on
// --metrics-port (/metrics).
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

export async function listen(app: Hono, port: number, host = '0.0.0.0'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
        resolve({
          port: info.port,
          close: () =>
            new Promise<void>((r) => {
              (server as { closeAllConnections?: () => void }).closeAllConnections?.();
              server.close(() => r());
            }),
        });
      });
      server.on('error', (err: NodeJS.ErrnoException) =>
        reject(
          new Error(`cannot listen on port ${port}: ${err.code ?? err.message}`, { cause: err }),
        ),
      );
    } catch (err) {
      reject(err);
    }
  });
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
