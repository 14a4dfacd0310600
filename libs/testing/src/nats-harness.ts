// A real nats-server per suite (CONVENTIONS 13): free port, temp store dir, removed on dispose.
//   await using nats = await startNats();
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '@jetprow/bus';

export interface NatsHarness extends AsyncDisposable {
  url: string;
  port: number;
  monitorUrl: string;
  storeDir: string;
  server: NatsServer;
  /** Restart on the same port and store (JetStream state survives, as in production). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNats(): Promise<NatsHarness> {
  const storeDir = mkdtempSync(join(tmpdir(), 'jetprow-nats-'));
  let server = await startNatsServer({ storeDir });
  const monitorPort = Number(new URL(server.monitorUrl).port);
  const h: NatsHarness = {
    get url() {
      return server.url;
    },
    get port() {
      return server.port;
    },
    get monitorUrl() {
      return server.monitorUrl;
    },
    storeDir,
    get server() {
      return server;
    },
    async restart() {
      await server.stop();
      server = await startNatsServer({ storeDir, port: server.port, monitorPort });
    },
    async stop() {
      await server.stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
    async [Symbol.asyncDispose]() {
      await h.stop();
    },
  };
  return h;
}
