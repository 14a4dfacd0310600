// Starting a local nats-server with JetStream: the embedded default (`jetprow all`) and the test
// harness both use this, so there is one way to find, start, wait for and stop the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export class NatsServerMissingError extends Error {
  override readonly name = 'NatsServerMissingError';
  constructor() {
    super(
      'nats-server not found on PATH or at /usr/sbin/nats-server: install it with `apt-get install -y nats-server`, or pass --nats-url to use a running server',
    );
  }
}

/** Where Debian and other installs put the binary when it is not on PATH (root's PATH has sbin). */
export const NATS_SERVER_FALLBACKS = [
  '/usr/sbin/nats-server',
  '/usr/bin/nats-server',
  '/usr/local/bin/nats-server',
];

export function findNatsServer(
  env: NodeJS.ProcessEnv = process.env,
  fallbacks: readonly string[] = NATS_SERVER_FALLBACKS,
): string {
  const candidates = [
    ...(env.NATS_SERVER_BIN ? [env.NATS_SERVER_BIN] : []),
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, 'nats-server')),
    ...fallbacks,
  ];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  throw new NatsServerMissingError();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface NatsServerOptions {
  port?: number;
  monitorPort?: number;
  storeDir: string;
  host?: string;
  bin?: string;
  /** Where the server's own log goes (default: discarded). */
  logFile?: string;
  /** The server's name (`server_name`): JetStream in a cluster needs one per server. */
  name?: string;
  /** Join a cluster: take routes on `port` (on `host`) and solicit the other servers' `routes`. */
  cluster?: { name: string; port: number; routes: readonly string[] };
  /**
   * Its own process group, so a terminal's Ctrl-C does not stop the bus before the services that
   * use it have drained (`jetprow all` stops it last).
   */
  detached?: boolean;
}

export interface NatsServer {
  url: string;
  port: number;
  monitorUrl: string;
  storeDir: string;
  process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

async function waitReady(monitorUrl: string, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`nats-server exited with code ${proc.exitCode}`);
    try {
      const res = await fetch(`${monitorUrl}/healthz?js-enabled-only=true`);
      if (res.ok) return;
      lastErr = new Error(`healthz ${res.status}`);
    } catch (err) {
      lastErr = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nats-server not ready after ${timeoutMs} ms`, { cause: lastErr });
}

export async function startNatsServer(opts: NatsServerOptions): Promise<NatsServer> {
  const bin = opts.bin ?? findNatsServer();
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? (await freePort());
  const monitorPort = opts.monitorPort ?? (await freePort());
  mkdirSync(opts.storeDir, { recursive: true });
  const args = [
    '-js',
    '-a',
    host,
    '-p',
    String(port),
    '-m',
    String(monitorPort),
    '-sd',
    opts.storeDir,
  ];
  if (opts.logFile) args.push('-l', opts.logFile);
  if (opts.name) args.push('--server_name', opts.name);
  if (opts.cluster) {
    args.push(
      '--cluster_name',
      opts.cluster.name,
      '--cluster',
      `nats://${host}:${opts.cluster.port}`,
    );
    if (opts.cluster.routes.length > 0) args.push('--routes', opts.cluster.routes.join(','));
  }
  const proc = spawn(bin, args, {
    stdio: ['ignore', 'ignore', opts.logFile ? 'ignore' : 'pipe'],
    detached: opts.detached ?? false,
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const monitorUrl = `http://${host}:${monitorPort}`;
  try {
    await waitReady(monitorUrl, proc, 15_000);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`nats-server failed to start: ${String(err)}\n${stderr}`, { cause: err });
  }
  return {
    url: `nats://${host}:${port}`,
    port,
    monitorUrl,
    storeDir: opts.storeDir,
    process: proc,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
