// `jetprow all`: the whole system on one machine. Takes the data dir's lock, starts nats-server
// (unless --nats-url), a local GitHub sandbox when no GitHub credentials are given, then hook,
// trigger, plank, reporter and sinker, each as its own process, restarted if it dies. "jetprow is
// up" is said once every service answers /healthz/ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startNatsServer, NatsServerMissingError, type NatsServer } from '@jetprow/bus';
import {
  ALL_GROUPS,
  flagTokens,
  parseFlags,
  serviceFlags,
  usageText,
  UsageError,
  type Flag,
  type FlagToken,
  type ServiceDefinition,
} from '@jetprow/service';
import { service as hook } from '@jetprow/hook/main';
import { service as trigger } from '@jetprow/trigger/main';
import { service as plank } from '@jetprow/plank/main';
import { service as reporter } from '@jetprow/reporter/main';
import { service as sinker } from '@jetprow/sinker/main';
import { alive, lockDataDir, LockHeldError, type DataDirLock } from './data-dir-lock.js';
import { binPath, demo } from './paths.js';
import { prettyLine } from './pretty-log.js';
import { startSandboxGitHub } from './fakegithub.js';

/** In port order: health ports are --health-port+0..4, metrics ports --metrics-port+0..4. */
export const SERVICES: readonly ServiceDefinition[] = [hook, trigger, plank, reporter, sinker];

/**
 * The flags `all` sets for the services itself (defaults, its own nats-server and sandbox, one port
 * per service); every other flag is forwarded as given to each service that reads it.
 */
const SET_BY_ALL = new Set([
  'nats-url',
  'config-path',
  'job-config-path',
  'plugin-config',
  'hmac-secret-file',
  'github-token-path',
  'github-endpoint',
  'dry-run',
  'data-dir',
  'port',
  'health-port',
  'metrics-port',
  'log-level',
  'job-url-base',
]);

/** The flags of `tokens` that `def` reads and `all` does not set itself, as `--name=value`. */
export function forwardedFlags(def: ServiceDefinition, tokens: FlagToken[]): string[] {
  const reads = serviceFlags(def);
  return tokens
    .filter((t) => reads.has(t.name) && !SET_BY_ALL.has(t.name))
    .map((t) => (t.value === undefined ? `--${t.name}` : `--${t.name}=${t.value}`));
}

/** Which services read flag `name`: `all` accepts exactly the flags some service reads. */
export function readers(name: string): string[] {
  return SERVICES.filter((d) => serviceFlags(d).has(name)).map((d) => d.name);
}

/** What `all` itself makes of a flag, beside what the services do with it. */
const ALL_NOTES: Record<string, string> = {
  'nats-url': 'default: start nats-server, data in --data-dir',
  'config-path': 'default: the demo config in examples/demo',
  'hmac-secret-file': "default: the demo's",
  'health-port': 'the base: +0..4 in the order hook, trigger, plank, reporter, sinker',
  'metrics-port': 'the base: +0..4 as --health-port',
  'data-dir': "also nats-server's store and the lock",
};

const note = (f: Flag): string => {
  const to = readers(f.name);
  const reads = to.length === SERVICES.length ? 'every service' : to.join(', ');
  return [ALL_NOTES[f.name], `→ ${reads}`].filter(Boolean).join('; ');
};

export const USAGE = usageText({
  command: 'all',
  groups: ALL_GROUPS,
  summary: `Starts the whole system on this machine. With no flags it uses the demo config in examples/demo,
starts its own nats-server (data in --data-dir, default .jetprow) and, without GitHub credentials
(--github-token-path, or --github-app-id with --github-app-private-key-path), a local GitHub
sandbox; GitHub writes are dry-run (logged) unless --dry-run=false or credentials are given.
One 'jetprow all' per --data-dir (a lock file in it; a killed run's lock is taken over).
Each flag is forwarded to the services that read it (→).`,
  note,
});

async function portOr(preferred: number): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => void freePort().then(res));
    srv.listen(preferred, '127.0.0.1', () => srv.close(() => res(preferred)));
  });
}

/** Waits for a stale run's nats-server to let go of the store (SIGTERM, then SIGKILL). */
async function stopLeftover(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

async function ready(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz/ready`, {
      signal: AbortSignal.timeout(1000),
    });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

export async function runAll(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags<typeof ALL_GROUPS>>;
  let tokens: FlagToken[];
  try {
    parsed = parseFlags(argv, ALL_GROUPS, { command: 'all', known: ALL_GROUPS });
    tokens = flagTokens(argv, ALL_GROUPS);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`jetprow all: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const opts = parsed;
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const say = (msg: string): void =>
    void process.stdout.write(
      `${prettyLine('all', JSON.stringify({ level: 30, time: Date.now(), msg }))}\n`,
    );

  let lock: DataDirLock;
  try {
    lock = lockDataDir(dataDir);
  } catch (err) {
    if (err instanceof LockHeldError) {
      process.stderr.write(`jetprow all: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (lock.tookOver) {
    say(`took over the lock of a run that is gone (PID ${lock.tookOver.pid}) in ${dataDir}`);
    if (lock.tookOver.natsPid !== undefined) await stopLeftover(lock.tookOver.natsPid);
  }
  const cleanups: (() => Promise<void>)[] = [async () => lock.release()];
  const fail = async (message: string, code: number): Promise<number> => {
    process.stderr.write(`jetprow all: ${message}\n`);
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
    return code;
  };

  const usingDemo = opts.configPath === undefined;
  const configPath = opts.configPath ?? demo.config;
  const jobConfigPath = opts.jobConfigPath ?? (usingDemo ? demo.jobs : undefined);
  const pluginConfig = opts.pluginConfig ?? (usingDemo ? demo.plugins : undefined);
  const hmac = opts.hmacSecretFile ?? demo.hmac;

  let natsUrl = opts.natsUrl;
  if (!natsUrl) {
    let nats: NatsServer;
    try {
      nats = await startNatsServer({
        storeDir: join(dataDir, 'nats'),
        port: await portOr(4222),
        monitorPort: await portOr(8222),
        logFile: join(dataDir, 'nats-server.log'),
        detached: true,
      });
    } catch (err) {
      return fail((err as Error).message, err instanceof NatsServerMissingError ? 2 : 1);
    }
    natsUrl = nats.url;
    cleanups.push(() => nats.stop());
    lock.update({ natsPid: nats.process.pid, ports: { nats: nats.port } });
    say(
      `nats-server ${nats.url} (monitoring ${nats.monitorUrl}/jsz?streams=true&consumers=true), data in ${nats.storeDir}`,
    );
  }

  // GitHub: credentials (a token or a GitHub App) or an endpoint mean the real thing; else the
  // local sandbox, read-only for the services unless --dry-run=false.
  const credentials = opts.githubTokenPath !== undefined || opts.githubAppId !== undefined;
  const endpointGiven = tokens.some((t) => t.name === 'github-endpoint');
  let endpoint = endpointGiven ? opts.githubEndpoint : [];
  let tokenPath = opts.githubTokenPath;
  if (!credentials && !endpointGiven) {
    let sandbox;
    try {
      sandbox = await startSandboxGitHub(demo.githubSeed, await portOr(8880));
    } catch (err) {
      return fail(
        `cannot start the GitHub sandbox from ${demo.githubSeed}: ${(err as Error).message}`,
        1,
      );
    }
    cleanups.push(() => sandbox.close());
    endpoint = [sandbox.url];
    tokenPath = join(dataDir, 'sandbox-github-token');
    writeFileSync(tokenPath, 'sandbox\n', { mode: 0o600 });
    say(
      `no GitHub credentials: reading from the local GitHub sandbox ${sandbox.url} (seeded from ${demo.githubSeed}); ` +
        `GitHub writes are ${opts.dryRun ? 'dry-run (logged, not sent)' : 'sent to the sandbox'}`,
    );
  } else {
    say(
      `GitHub: ${endpoint[0] ?? opts.githubEndpoint[0]} as ${opts.githubAppId !== undefined ? `GitHub App ${opts.githubAppId}` : tokenPath ? 'the token in ' + tokenPath : 'no credentials'}; ` +
        `writes are ${opts.dryRun ? 'dry-run (logged, not sent)' : 'sent'}`,
    );
  }

  // What `all` sets itself, by option; each service gets the ones it reads.
  const set: Record<string, string[]> = {
    'nats-url': [natsUrl],
    'config-path': [configPath],
    'job-config-path': jobConfigPath ? [jobConfigPath] : [],
    'plugin-config': pluginConfig ? [pluginConfig] : [],
    'hmac-secret-file': [hmac],
    'github-token-path': tokenPath ? [tokenPath] : [],
    'github-endpoint': endpoint,
    'dry-run': [String(opts.dryRun)],
    'data-dir': [dataDir],
    port: [String(opts.port)],
    'log-level': [opts.logLevel],
    'job-url-base': [opts.jobUrlBase ?? `http://localhost:${opts.healthPort + 2}`],
  };
  const argsFor = (def: ServiceDefinition, i: number): string[] => {
    const reads = serviceFlags(def);
    const own = [...reads].flatMap((k) => (set[k] ?? []).map((v) => `--${k}=${v}`));
    return [
      ...own,
      ...forwardedFlags(def, tokens),
      `--health-port=${opts.healthPort + i}`,
      `--metrics-port=${opts.metricsPort + i}`,
    ];
  };
  lock.update({
    ports: { hook: opts.port, health: opts.healthPort, metrics: opts.metricsPort },
  });

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const start = (def: ServiceDefinition, i: number, restarts = 0): void => {
    // Its own process group: a terminal's Ctrl-C reaches `all` only, which drains each service
    // once. stdin is a pipe: a service whose `all` is gone (even SIGKILLed) sees it close and drains.
    const child = spawn(process.execPath, [binPath, def.name, ...argsFor(def, i)], {
      stdio: ['pipe', 'inherit', 'pipe'],
      detached: true,
      env: { ...process.env, JETPROW_SUPERVISED: '1' },
    });
    children.set(def.name, child);
    createInterface({ input: child.stderr! }).on('line', (l) =>
      process.stdout.write(`${prettyLine(def.name, l)}\n`),
    );
    child.on('exit', (code, signal) => {
      children.delete(def.name);
      if (stopping) return;
      if (code === 2) {
        say(`${def.name} exited with a usage error; not restarting`);
        void shutdown(2);
        return;
      }
      const delay = Math.min(10_000, 500 * 2 ** restarts);
      say(`${def.name} exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(() => !stopping && start(def, i, restarts + 1), delay).unref();
    });
  };

  const shutdown = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say('stopping services');
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((r) => {
            c.once('exit', () => r());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
    say('stopped');
    resolveDone(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  SERVICES.forEach((def, i) => start(def, i));

  // Up means every service answers /healthz/ready (hook listening, consumers bound).
  const startedAt = Date.now();
  let waiting = SERVICES.map((d, i) => ({ name: d.name, port: opts.healthPort + i }));
  let lastNote = Date.now();
  while (!stopping && waiting.length > 0) {
    const results = await Promise.all(waiting.map((w) => ready(w.port)));
    waiting = waiting.filter((_, i) => !results[i]);
    if (waiting.length === 0) break;
    if (Date.now() - lastNote > 5000) {
      lastNote = Date.now();
      say(`waiting for ${waiting.map((w) => w.name).join(', ')} to be ready`);
    }
    await sleep(100);
  }
  if (!stopping) {
    say(
      `jetprow is up (${Date.now() - startedAt} ms): webhooks to http://localhost:${opts.port}/hook, ` +
        `job pages at http://localhost:${opts.healthPort + 2}/view/<prowjob>. ` +
        `Try: npx jetprow phony${existsSync(demo.payloads) ? '' : ' --payload <file>'}`,
    );
  }
  return done;
}
