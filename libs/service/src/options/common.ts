// The groups every service composes: the bus, Prow's config files, the health and metrics ports
// (Prow's InstrumentationOptions) and logging.
import { port, str, UsageError, type OptionGroup } from './group.js';
import { readableFile } from './files.js';

export interface NatsOptions {
  natsUrl?: string;
  /** Replicas of every stream, KV bucket and object store jetprow creates (1..5). */
  natsReplicas: number;
}

export const natsOptions: OptionGroup<NatsOptions> = {
  title: 'NATS',
  flags: [
    { name: 'nats-url', arg: 'URL', help: 'the NATS server (JetStream enabled)' },
    {
      name: 'nats-replicas',
      arg: 'N',
      default: '1',
      help: 'replicas of every stream, KV bucket and object store jetprow creates, 1-5 (at most the JetStream servers in the cluster; 3 on a 3-node cluster); one with fewer is raised at start, none is lowered',
    },
  ],
  parse(raw) {
    const url = str(raw, 'nats-url');
    if (url !== undefined && !/^(nats|tls|ws|wss):\/\/|^[\w.-]+:\d+/.test(url)) {
      throw new UsageError(`--nats-url: "${url}" is not a NATS URL (e.g. nats://127.0.0.1:4222)`);
    }
    const replicas = str(raw, 'nats-replicas') ?? '1';
    if (!/^[1-5]$/.test(replicas.trim())) {
      throw new UsageError(
        `--nats-replicas: "${replicas}" is not a replica count from 1 to 5 (JetStream's limit)`,
      );
    }
    return { natsUrl: url, natsReplicas: Number(replicas) };
  },
};

export interface ConfigOptions {
  configPath?: string;
  jobConfigPath?: string;
  pluginConfig?: string;
}

export const configOptions: OptionGroup<ConfigOptions> = {
  title: 'Config',
  flags: [
    { name: 'config-path', arg: 'FILE', help: "Prow's config.yaml" },
    { name: 'job-config-path', arg: 'PATH', help: 'job config: a file or a directory tree' },
    { name: 'plugin-config', arg: 'FILE', help: "Prow's plugins.yaml" },
  ],
  parse: (raw) => ({
    configPath: readableFile(raw, 'config-path'),
    jobConfigPath: readableFile(raw, 'job-config-path', 'any'),
    pluginConfig: readableFile(raw, 'plugin-config'),
  }),
};

export interface InstrumentationOptions {
  healthPort: number;
  metricsPort: number;
}

export const instrumentationOptions: OptionGroup<InstrumentationOptions> = {
  title: 'Instrumentation',
  flags: [
    { name: 'health-port', arg: 'N', default: '8081', help: '/healthz and /healthz/ready' },
    { name: 'metrics-port', arg: 'N', default: '9090', help: 'Prometheus /metrics' },
  ],
  parse: (raw) => ({
    healthPort: port(raw, 'health-port', 8081),
    metricsPort: port(raw, 'metrics-port', 9090),
  }),
};

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export const loggingOptions: OptionGroup<{ logLevel: string }> = {
  title: 'Logging',
  flags: [{ name: 'log-level', arg: 'LEVEL', default: 'info', help: LEVELS.join('|') }],
  parse(raw) {
    const level = str(raw, 'log-level') ?? 'info';
    if (!LEVELS.includes(level)) {
      throw new UsageError(`--log-level: "${level}" is not one of ${LEVELS.join(', ')}`);
    }
    return { logLevel: level };
  },
};

/** Every service: the bus, the config, its side ports, its logs. */
export const BASE_GROUPS = [
  natsOptions,
  configOptions,
  instrumentationOptions,
  loggingOptions,
] as const;
