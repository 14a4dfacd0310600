// The end-to-end setup the e2e suites and the benchmark share: a directory with Prow's config
// files, the flags every service gets, service processes started in parallel and stopped
// together, and their logs appended to a failure. No vitest here: bench/ (run by tsx) uses it too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceFlags as flagsOf, type ServiceDefinition } from '@jetprow/service';
import { spawnService, type ServiceProcess } from '@jetprow/testing';
import { service as hook } from '@jetprow/hook/main';
import { service as trigger } from '@jetprow/trigger/main';
import { service as plank } from '@jetprow/plank/main';
import { service as reporter } from '@jetprow/reporter/main';
import { service as sinker } from '@jetprow/sinker/main';

const DEFINITIONS: Record<string, ServiceDefinition> = { hook, trigger, plank, reporter, sinker };

/**
 * The flags of `flags` that service `name` reads (a service refuses any other with exit 2), so a
 * suite can hand every service one common set, as `jetprow all` does.
 */
export function flagsFor(name: string, flags: string[]): string[] {
  const def = DEFINITIONS[name];
  if (!def) return flags;
  const reads = flagsOf(def);
  return flags.filter((f) => {
    const flag = /^--([^=]+)/.exec(f)?.[1];
    return flag === undefined || reads.has(flag);
  });
}

export interface ConfigFiles {
  /** config.yaml */
  config: string;
  /** jobs.yaml */
  jobs: string;
  /** plugins.yaml enables the trigger plugin for this org. */
  org: string;
  /** hmac: hook's webhook secret. */
  hmac: string;
  /** token: the GitHub token. */
  token: string;
}

/** Where writeConfigDir put each file, and the services' data dir. */
export interface ConfigPaths {
  config: string;
  jobs: string;
  plugins: string;
  hmac: string;
  token: string;
  data: string;
}

/** Writes config.yaml, jobs.yaml, plugins.yaml, hmac and token into `dir` (which must exist). */
export function writeConfigDir(dir: string, files: ConfigFiles): ConfigPaths {
  const paths: ConfigPaths = {
    config: join(dir, 'config.yaml'),
    jobs: join(dir, 'jobs.yaml'),
    plugins: join(dir, 'plugins.yaml'),
    hmac: join(dir, 'hmac'),
    token: join(dir, 'token'),
    data: join(dir, 'data'),
  };
  writeFileSync(paths.config, files.config);
  writeFileSync(paths.jobs, files.jobs);
  writeFileSync(paths.plugins, `plugins:\n  ${files.org}:\n    plugins: [trigger]\n`);
  writeFileSync(paths.hmac, files.hmac);
  writeFileSync(paths.token, files.token);
  return paths;
}

/** The flags every service gets: the bus, the config files, GitHub (writes on), the data dir. */
export function serviceFlags(paths: ConfigPaths, natsUrl: string, githubUrl: string): string[] {
  return [
    `--nats-url=${natsUrl}`,
    `--config-path=${paths.config}`,
    `--job-config-path=${paths.jobs}`,
    `--plugin-config=${paths.plugins}`,
    `--github-endpoint=${githubUrl}`,
    `--github-token-path=${paths.token}`,
    '--dry-run=false',
    `--data-dir=${paths.data}`,
  ];
}

/** hook's own flags: its port and the webhook secret. */
export function hookFlags(paths: ConfigPaths, port: number): string[] {
  return [`--port=${port}`, `--hmac-secret-file=${paths.hmac}`];
}

/** The last `tailChars` of each process's log, for a failure message. */
export function serviceLogs(procs: Iterable<ServiceProcess>, tailChars = 3000): string {
  return [...procs].map((p) => `--- ${p.name}\n${p.output().slice(-tailChars)}`).join('\n');
}

/** Runs `fn`; if it throws, throws again with `diagnose()` (e.g. the services' logs) appended. */
export async function withDiagnostics<T>(diagnose: () => string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new Error(`${String(err)}\n${diagnose()}`);
  }
}

/** One suite's service processes: the same flags for all, each waited for until ready. */
export class Services {
  /** Every process started, restarted ones included, in start order. */
  readonly all: ServiceProcess[] = [];
  private readonly common: string[];
  private readonly readyMs: number;

  /** `common`: the flags every process gets; `readyMs`: how long each may take to be ready. */
  constructor(common: string[], readyMs: number) {
    this.common = common;
    this.readyMs = readyMs;
  }

  /** Spawns `jetprow <name>` with the common flags and `extra`; resolves once it is ready. */
  async start(name: string, extra: string[] = []): Promise<ServiceProcess> {
    const p = await spawnService(name, flagsFor(name, [...this.common, ...extra]));
    this.all.push(p);
    await p.waitReady(this.readyMs);
    return p;
  }

  /** The tail of every process's log. */
  logs(): string {
    return serviceLogs(this.all);
  }

  /** Runs `fn`; if it throws, throws again with every process's log appended. */
  explain<T>(fn: () => Promise<T>): Promise<T> {
    return withDiagnostics(() => this.logs(), fn);
  }

  /** SIGTERM to every process; resolves once all have exited. */
  async stop(): Promise<void> {
    await Promise.all(this.all.map((p) => p.kill('SIGTERM')));
  }
}
