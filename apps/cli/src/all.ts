// `jetprow all`: the whole system on one machine. Starts nats-server (unless --nats-url), a local
// GitHub sandbox when no GitHub credentials are given, then hook, trigger, plank, reporter and
// sinker, each as its own process, restarted if it dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, startNatsServer, NatsServerMissingError, type NatsServer } from '@jetprow/bus';
import { parseOptions, UsageError } from '@jetprow/service';
import { binPath, demo } from './paths.js';
import { prettyLine } from './pretty-log.js';
import { startSandboxGitHub } from './fakegithub.js';

const SERVICES = ['hook', 'trigger', 'plank', 'reporter', 'sinker'] as const;

const USAGE = `Usage: jetprow all [flags]

Starts the whole system on this machine. With no flags it uses the demo config in examples/demo,
starts its own nats-server (data in --data-dir, default .jetprow) and, without GitHub credentials,
a local GitHub sandbox; GitHub writes are dry-run (logged) unless --dry-run=false.

Flags: the services' flags (--config-path, --job-config-path, --plugin-config, --hmac-secret-file,
--github-token-path, --github-endpoint, --dry-run, --nats-url, --port, --health-port,
--metrics-port, --data-dir, --log-level). Health ports are --health-port+0..4 and metrics ports
--metrics-port+0..4, in the order hook, trigger, plank, reporter, sinker.
`;

async function portOr(preferred: number): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => void freePort().then(res));
    srv.listen(preferred, '127.0.0.1', () => srv.close(() => res(preferred)));
  });
}

export async function runAll(argv: string[]): Promise<number> {
  let opts;
  try {
    opts = parseOptions(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`jetprow all: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const usingDemo = opts.configPath === undefined;
  const configPath = opts.configPath ?? demo.config;
  const jobConfigPath = opts.jobConfigPath ?? (usingDemo ? demo.jobs : undefined);
  const pluginConfig = opts.pluginConfig ?? (usingDemo ? demo.plugins : undefined);
  const hmac = opts.hmacSecretFile ?? demo.hmac;

  const cleanups: (() => Promise<void>)[] = [];
  const say = (msg: string): void =>
    void process.stdout.write(
      `${prettyLine('all', JSON.stringify({ level: 30, time: Date.now(), msg }))}\n`,
    );

  let natsUrl = opts.natsUrl;
  let nats: NatsServer | undefined;
  if (!natsUrl) {
    try {
      nats = await startNatsServer({
        storeDir: join(dataDir, 'nats'),
        port: await portOr(4222),
        monitorPort: await portOr(8222),
        logFile: join(dataDir, 'nats-server.log'),
      });
    } catch (err) {
      process.stderr.write(`jetprow all: ${(err as Error).message}\n`);
      return err instanceof NatsServerMissingError ? 2 : 1;
    }
    natsUrl = nats.url;
    cleanups.push(() => nats!.stop());
    say(
      `nats-server ${nats.url} (monitoring ${nats.monitorUrl}/jsz?streams=true&consumers=true), data in ${nats.storeDir}`,
    );
  }

  let sandboxToken: string | undefined;
  let endpoint = argv.some((a) => a.startsWith('--github-endpoint'))
    ? opts.githubEndpoint
    : undefined;
  if (!opts.githubTokenPath && !endpoint) {
    let sandbox;
    try {
      sandbox = await startSandboxGitHub(demo.githubSeed, await portOr(8880));
    } catch (err) {
      process.stderr.write(
        `jetprow all: cannot start the GitHub sandbox from ${demo.githubSeed}: ${(err as Error).message}\n`,
      );
      for (const fn of cleanups.reverse()) await fn().catch(() => {});
      return 1;
    }
    cleanups.push(() => sandbox.close());
    endpoint = [sandbox.url];
    sandboxToken = join(dataDir, 'sandbox-github-token');
    writeFileSync(sandboxToken, 'sandbox\n', { mode: 0o600 });
    say(
      `no GitHub credentials: reading from the local GitHub sandbox ${sandbox.url} (seeded from ${demo.githubSeed}); GitHub writes are ${opts.dryRun ? 'dry-run (logged, not sent)' : 'sent to the sandbox'}`,
    );
  }

  const common = [
    `--nats-url=${natsUrl}`,
    `--config-path=${configPath}`,
    ...(jobConfigPath ? [`--job-config-path=${jobConfigPath}`] : []),
    ...(pluginConfig ? [`--plugin-config=${pluginConfig}`] : []),
    ...((opts.githubTokenPath ?? sandboxToken)
      ? [`--github-token-path=${opts.githubTokenPath ?? sandboxToken}`]
      : []),
    ...(endpoint ?? []).map((e) => `--github-endpoint=${e}`),
    `--dry-run=${opts.dryRun}`,
    `--data-dir=${dataDir}`,
    `--log-level=${opts.logLevel}`,
  ];
  const extra: Record<(typeof SERVICES)[number], string[]> = {
    hook: [`--port=${opts.port}`, `--hmac-secret-file=${hmac}`],
    trigger: [],
    plank: [`--job-url-base=${opts.jobUrlBase ?? `http://localhost:${opts.healthPort + 2}`}`],
    reporter: [],
    sinker: [],
  };

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const start = (svc: (typeof SERVICES)[number], i: number, restarts = 0): void => {
    const args = [
      binPath,
      svc,
      ...common,
      ...extra[svc],
      `--health-port=${opts.healthPort + i}`,
      `--metrics-port=${opts.metricsPort + i}`,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    children.set(svc, child);
    createInterface({ input: child.stderr! }).on('line', (l) =>
      process.stdout.write(`${prettyLine(svc, l)}\n`),
    );
    child.on('exit', (code, signal) => {
      children.delete(svc);
      if (stopping) return;
      if (code === 2) {
        say(`${svc} exited with a usage error; not restarting`);
        void shutdown(2);
        return;
      }
      const delay = Math.min(10_000, 500 * 2 ** restarts);
      say(`${svc} exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(() => !stopping && start(svc, i, restarts + 1), delay).unref();
    });
  };

  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
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
    resolveDone(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  SERVICES.forEach((svc, i) => start(svc, i));
  say(
    `jetprow is up: webhooks to http://localhost:${opts.port}/hook, job pages at http://localhost:${opts.healthPort + 2}/view/<prowjob>. ` +
      `Try: npx jetprow phony${existsSync(demo.payloads) ? '' : ' --payload <file>'}`,
  );
  return done;
}
