// Command-line options. Prow's flag names where Prow has one (--config-path, --job-config-path,
// --plugin-config, --hmac-secret-file, --github-token-path, --github-endpoint, --dry-run), plus
// --nats-url and the ports. Bad or missing flags and files are a UsageError: one line, exit 2.
import { parseArgs } from 'node:util';
import { accessSync, constants, statSync } from 'node:fs';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CommonOptions {
  natsUrl?: string;
  configPath?: string;
  jobConfigPath?: string;
  pluginConfig?: string;
  hmacSecretFile?: string;
  githubTokenPath?: string;
  githubEndpoint: string[];
  dryRun: boolean;
  port: number;
  healthPort: number;
  metricsPort: number;
  logLevel: string;
  dataDir: string;
  jobUrlBase?: string;
  /** Prow's `--github-app-id`: authenticate as this GitHub App (with the private key below). */
  githubAppId?: string;
  /** Prow's `--github-app-private-key-path`. */
  githubAppPrivateKeyPath?: string;
  /**
   * `--github-write-limits`: content-creating GitHub writes allowed per budget (token or App
   * installation), each `count` in any `windowMs`. Default GitHub's secondary limits, 80/1m,500/1h.
   */
  githubWriteLimits: WriteLimit[];
  /** Prow's --kubeconfig: ProwJobs as CRs and builds as Pods in that cluster (current context). */
  kubeconfig?: string;
  /** The Pod's own service account (in-cluster config) instead of --kubeconfig. */
  inCluster: boolean;
}

export interface WriteLimit {
  count: number;
  windowMs: number;
}

/** GitHub's secondary limits on content-creating requests: 80 a minute and 500 an hour. */
export const DEFAULT_GITHUB_WRITE_LIMITS = '80/1m,500/1h';
const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000 };

/** `80/1m,500/1h` → [{count 80, windowMs 60000}, {count 500, windowMs 3600000}]. */
export function parseWriteLimits(raw: string): WriteLimit[] {
  return raw.split(',').map((part) => {
    const m = /^\s*(\d+)\s*\/\s*(\d+)(ms|s|m|h)\s*$/.exec(part);
    const count = Number(m?.[1]);
    const windowMs = Number(m?.[2]) * (DURATION_UNIT_MS[m?.[3] ?? ''] ?? NaN);
    if (!m || count < 1 || !(windowMs > 0)) {
      throw new UsageError(
        `--github-write-limits: "${part.trim()}" is not COUNT/DURATION (e.g. ${DEFAULT_GITHUB_WRITE_LIMITS})`,
      );
    }
    return { count, windowMs };
  });
}

const spec = {
  'nats-url': { type: 'string' },
  'config-path': { type: 'string' },
  'job-config-path': { type: 'string' },
  'plugin-config': { type: 'string' },
  'hmac-secret-file': { type: 'string' },
  'github-token-path': { type: 'string' },
  'github-endpoint': { type: 'string', multiple: true },
  'dry-run': { type: 'string' },
  port: { type: 'string' },
  'health-port': { type: 'string' },
  'metrics-port': { type: 'string' },
  'log-level': { type: 'string' },
  'data-dir': { type: 'string' },
  'job-url-base': { type: 'string' },
  'github-app-id': { type: 'string' },
  'github-app-private-key-path': { type: 'string' },
  'github-write-limits': { type: 'string' },
  kubeconfig: { type: 'string' },
  'in-cluster': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The command-line flag of every option. */
export const FLAG_OF = {
  natsUrl: 'nats-url',
  configPath: 'config-path',
  jobConfigPath: 'job-config-path',
  pluginConfig: 'plugin-config',
  hmacSecretFile: 'hmac-secret-file',
  githubTokenPath: 'github-token-path',
  githubEndpoint: 'github-endpoint',
  dryRun: 'dry-run',
  port: 'port',
  healthPort: 'health-port',
  metricsPort: 'metrics-port',
  logLevel: 'log-level',
  dataDir: 'data-dir',
  jobUrlBase: 'job-url-base',
  githubAppId: 'github-app-id',
  githubAppPrivateKeyPath: 'github-app-private-key-path',
  githubWriteLimits: 'github-write-limits',
  kubeconfig: 'kubeconfig',
  inCluster: 'in-cluster',
} as const satisfies Record<keyof CommonOptions, keyof typeof spec>;

export type OptionKey = keyof CommonOptions;

/** What every service takes: the bus, the config files, its health and metrics ports, logs. */
export const COMMON_OPTIONS: readonly OptionKey[] = [
  'natsUrl',
  'configPath',
  'jobConfigPath',
  'pluginConfig',
  'healthPort',
  'metricsPort',
  'logLevel',
];
/** What a service that opens the ProwJob store takes: which cluster, if any (else the KV bucket). */
export const STORE_OPTIONS: readonly OptionKey[] = ['kubeconfig', 'inCluster'];
/** What a service that talks to GitHub takes (Prow's GitHub client flags). */
export const GITHUB_OPTIONS: readonly OptionKey[] = [
  'githubTokenPath',
  'githubEndpoint',
  'githubAppId',
  'githubAppPrivateKeyPath',
];

/** The command-line names (without `--`) of `keys`. */
export function flagNames(keys: readonly OptionKey[]): Set<string> {
  return new Set(keys.map((k) => FLAG_OF[k]));
}

/** One flag as given on the command line (`--name=value`, `--name value` or a bare boolean). */
export interface FlagToken {
  name: string;
  value?: string;
}

/** `--dry-run` and `--in-cluster` with no value mean true, as Go's flag package reads booleans. */
function normalizeBooleans(argv: string[]): string[] {
  return argv.map((a) => (a === '--dry-run' || a === '--in-cluster' ? `${a}=true` : a));
}

/** The flags of `argv`, in order, as given (values unchecked; parseOptions checks them). */
export function flagTokens(argv: string[]): FlagToken[] {
  try {
    const { tokens } = parseArgs({
      args: normalizeBooleans(argv),
      options: spec,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
    return tokens.flatMap((t) => (t.kind === 'option' ? [{ name: t.name, value: t.value }] : []));
  } catch (err) {
    throw new UsageError(
      (err as Error).message.split('\n')[0]!.replace(/^Unknown option/, 'unknown flag'),
    );
  }
}

/**
 * A flag is used or refused, never ignored: every flag of `argv` must be one `service` reads
 * (`used`), or a UsageError names it. `--dry-run=false` is the behaviour of a service that has no
 * dry-run mode (it writes nothing to GitHub), so it is accepted; `--dry-run` is refused there.
 */
export function refuseUnusedFlags(
  argv: string[],
  used: readonly OptionKey[],
  service: string,
): void {
  const names = flagNames(used);
  names.add('help');
  for (const t of flagTokens(argv)) {
    if (names.has(t.name)) continue;
    if (t.name === 'dry-run') {
      if (t.value === 'false') continue;
      throw new UsageError(
        `--dry-run: ${service} has no dry-run mode (only reporter writes to GitHub; run reporter with --dry-run)`,
      );
    }
    throw new UsageError(`--${t.name}: ${service} does not use this flag`);
  }
}

function port(flag: string, raw: string | undefined, def: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`--${flag}: "${raw}" is not a port number (0-65535)`);
  }
  return n;
}

function readableFile(
  flag: string,
  path: string | undefined,
  kind: 'file' | 'any' = 'file',
): string | undefined {
  if (path === undefined) return undefined;
  try {
    accessSync(path, constants.R_OK);
    if (kind === 'file' && !statSync(path).isFile()) throw new Error('not a file');
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`--${flag}: cannot read ${path}: ${why}`);
  }
  return path;
}

/** `--dry-run` alone means true; `--dry-run=false` turns it off. */
function bool(flag: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  throw new UsageError(`--${flag}: expected true or false, got "${raw}"`);
}

export function parseOptions(argv: string[]): CommonOptions & { help: boolean } {
  const args = normalizeBooleans(argv);
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: spec,
      strict: true,
      allowPositionals: true,
    }));
  } catch (err) {
    throw new UsageError(
      (err as Error).message.split('\n')[0]!.replace(/^Unknown option/, 'unknown flag'),
    );
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const v = values as Record<string, string | undefined> & {
    'github-endpoint'?: string[];
    help?: boolean;
  };
  const githubTokenPath = readableFile('github-token-path', v['github-token-path']);
  const githubAppId = v['github-app-id'];
  const githubAppPrivateKeyPath = readableFile(
    'github-app-private-key-path',
    v['github-app-private-key-path'],
  );
  if (
    githubTokenPath !== undefined &&
    (githubAppId !== undefined || githubAppPrivateKeyPath !== undefined)
  ) {
    throw new UsageError(
      '--github-token-path cannot be combined with --github-app-id / --github-app-private-key-path',
    );
  }
  if ((githubAppId === undefined) !== (githubAppPrivateKeyPath === undefined)) {
    throw new UsageError(
      '--github-app-id and --github-app-private-key-path must be given together',
    );
  }
  if (githubAppId !== undefined && !/^\S+$/.test(githubAppId)) {
    throw new UsageError(`--github-app-id: "${githubAppId}" is not an app id`);
  }
  for (const e of v['github-endpoint'] ?? []) {
    if (!/^https?:\/\//.test(e))
      throw new UsageError(`--github-endpoint: "${e}" is not an http(s) URL`);
  }
  const inCluster = bool('in-cluster', v['in-cluster']) ?? false;
  if (inCluster && v.kubeconfig !== undefined) {
    throw new UsageError('--kubeconfig and --in-cluster are mutually exclusive');
  }
  if (inCluster && !(process.env.KUBERNETES_SERVICE_HOST && process.env.KUBERNETES_SERVICE_PORT)) {
    throw new UsageError(
      '--in-cluster: KUBERNETES_SERVICE_HOST/PORT are not set (not running in a Pod)',
    );
  }
  if (v['nats-url'] !== undefined && !/^(nats|tls|ws|wss):\/\/|^[\w.-]+:\d+/.test(v['nats-url'])) {
    throw new UsageError(
      `--nats-url: "${v['nats-url']}" is not a NATS URL (e.g. nats://127.0.0.1:4222)`,
    );
  }
  return {
    help: v.help === true,
    natsUrl: v['nats-url'],
    configPath: readableFile('config-path', v['config-path']),
    jobConfigPath: readableFile('job-config-path', v['job-config-path'], 'any'),
    pluginConfig: readableFile('plugin-config', v['plugin-config']),
    hmacSecretFile: readableFile('hmac-secret-file', v['hmac-secret-file']),
    githubTokenPath,
    githubEndpoint: v['github-endpoint'] ?? ['https://api.github.com'],
    // Prow defaults --dry-run to true; jetprow too unless GitHub credentials are given.
    dryRun:
      bool('dry-run', v['dry-run']) ?? (githubTokenPath === undefined && githubAppId === undefined),
    port: port('port', v.port, 8888),
    healthPort: port('health-port', v['health-port'], 8081),
    metricsPort: port('metrics-port', v['metrics-port'], 9090),
    logLevel: v['log-level'] ?? 'info',
    dataDir: v['data-dir'] ?? '.jetprow',
    jobUrlBase: v['job-url-base'],
    githubAppId,
    githubAppPrivateKeyPath,
    githubWriteLimits: parseWriteLimits(v['github-write-limits'] ?? DEFAULT_GITHUB_WRITE_LIMITS),
    kubeconfig: readableFile('kubeconfig', v.kubeconfig),
    inCluster,
  };
}
