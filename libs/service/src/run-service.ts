// The one way a service process starts (CONVENTIONS 1: main.ts only wires). Parses the flags of
// the option groups the service composes, loads config through a hot-reloading getter, connects
// to the bus and makes sure the streams exist, opens the ProwJob store, starts the service, serves
// /healthz + /healthz/ready and /metrics, and drains on SIGTERM. Each resource is held with
// `await using`: whatever step fails, everything opened before it is closed, in reverse order,
// and on a signal the same unwinding is the drain.
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import {
  connectBus,
  consumersHealthy,
  ensureStreams,
  probeJetStream,
  ReplicasError,
  type Bus,
} from '@jetprow/bus';
import {
  KvJobStore,
  kubeConfigFor,
  openKubeJobStore,
  usesKubernetes,
  type JobStore,
} from '@jetprow/store';
import { watchConfig, type LoadedConfig } from '@jetprow/config';
import {
  ALL_GROUPS,
  BASE_GROUPS,
  kubernetesOptions,
  parseFlags,
  usageText,
  UsageError,
  type OptionGroup,
  type OptionsOf,
} from './options/index.js';
import { createLogger, type Logger } from './logger.js';
import { healthApp, listen, metricsApp, newRegistry, type Listening } from './http.js';

export interface StartedService {
  stop(): Promise<void>;
  ready(): boolean;
  /** Extra routes for the health server (e.g. plank's log pages). */
  routes?(app: Hono): void;
}

/** What every service's options hold: BASE_GROUPS' values, with --nats-url required. */
export type BaseOptions = OptionsOf<typeof BASE_GROUPS> & { natsUrl: string };

export interface ServiceContext<O extends object = BaseOptions> {
  name: string;
  opts: O;
  log: Logger;
  registry: Registry;
  bus: Bus;
  store: JobStore;
  /** The cluster of --kubeconfig / --in-cluster, loaded once; undefined on the embedded default. */
  kubeConfig?: KubeConfig;
  getConfig: () => LoadedConfig;
}

type KubeConfig = Awaited<ReturnType<typeof kubeConfigFor>>;

export interface ServiceDefinition<O extends object = BaseOptions> {
  name: string;
  /** What the service does: the paragraph of its --help. */
  summary: string;
  /**
   * The option groups this service composes beyond BASE_GROUPS (the bus, config, side ports,
   * logging). Any other flag is refused with exit 2: a flag is used or refused, never ignored.
   * With kubernetesOptions the service opens the ProwJob store (KV, or CRs on --kubeconfig).
   */
  groups: readonly OptionGroup[];
  /** Flags this service cannot run without, beyond --nats-url. */
  required?: readonly string[];
  start(ctx: ServiceContext<O>): Promise<StartedService>;
}

/** A definition whose start() sees exactly the options its groups yield, typed. */
export function defineService<const G extends readonly OptionGroup[]>(
  def: Omit<ServiceDefinition<BaseOptions & OptionsOf<G>>, 'groups'> & { groups: G },
): ServiceDefinition {
  return def as unknown as ServiceDefinition;
}

/** Every group `def` composes, in --help order. */
export function serviceGroups(def: ServiceDefinition): readonly OptionGroup[] {
  return [...def.groups, ...BASE_GROUPS];
}

/** The flags (names without `--`) `def` reads: the flags it accepts (and `jetprow all` forwards to it). */
export function serviceFlags(def: ServiceDefinition): Set<string> {
  return new Set(serviceGroups(def).flatMap((g) => g.flags.map((f) => f.name)));
}

export function requiredFlags(def: ServiceDefinition): string[] {
  return ['nats-url', ...(def.required ?? [])];
}

export function serviceUsage(def: ServiceDefinition): string {
  return usageText({
    command: def.name,
    groups: serviceGroups(def),
    required: requiredFlags(def),
    summary: def.summary,
  });
}

/** The options of `argv` for `def`, or `{ help: true }`; a UsageError names the bad flag. */
export function parseServiceFlags(
  def: ServiceDefinition,
  argv: readonly string[],
): { help: true } | ({ help: false } & BaseOptions & Record<string, unknown>) {
  return parseFlags(argv, serviceGroups(def), {
    command: def.name,
    known: ALL_GROUPS,
    required: requiredFlags(def),
  }) as { help: true } | ({ help: false } & BaseOptions & Record<string, unknown>);
}

const usesStore = (def: ServiceDefinition): boolean => def.groups.includes(kubernetesOptions);

function noStore(service: string): JobStore {
  const fail = (): never => {
    throw new Error(`${service} has no ProwJob store (it does not compose kubernetesOptions)`);
  };
  return { get: fail, create: fail, update: fail, delete: fail, list: fail, watch: fail };
}

/** `close` run when the holder's scope ends (`await using`), errors logged, never thrown. */
function closing(what: string, log: Logger | undefined, close: () => unknown): AsyncDisposable {
  return {
    async [Symbol.asyncDispose]() {
      try {
        await close();
      } catch (err) {
        if (log) log.error({ err: String(err) }, `${what}: close failed`);
        else process.stderr.write(`${what}: close failed: ${String(err)}\n`);
      }
    },
  };
}

/** A failure that ends start-up: printed as `jetprow <svc>: <message>`, exit `code`. */
class StartError extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}

const exitCode = (err: unknown): number => (err instanceof UsageError ? 2 : 1);

export async function runService(def: ServiceDefinition, argv: string[]): Promise<number> {
  try {
    return await run(def, argv);
  } catch (err) {
    if (err instanceof StartError) {
      process.stderr.write(`jetprow ${def.name}: ${err.message}\n`);
      return err.code;
    }
    throw err;
  }
}

async function run(def: ServiceDefinition, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseServiceFlags(def, argv);
  } catch (err) {
    if (err instanceof UsageError) throw new StartError(err.message, 2);
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(serviceUsage(def));
    return 0;
  }
  const opts = parsed;
  const log = createLogger(def.name, opts.logLevel);
  // Disposed last: after every resource below has closed.
  await using _stopped = closing('log', log, () => log.info('stopped'));

  let configWatch: Awaited<ReturnType<typeof watchConfig>>;
  try {
    configWatch = await watchConfig(
      {
        configPath: opts.configPath,
        jobConfigPath: opts.jobConfigPath,
        pluginConfigPath: opts.pluginConfig,
      },
      {
        onError: (errors) =>
          log.error(
            { errors: errors.map(String) },
            'config reload failed: keeping the last good config',
          ),
        onReload: () => log.info('config reloaded'),
      },
    );
  } catch (err) {
    const errors = (err as { errors?: unknown[] }).errors ?? [err];
    throw new StartError(`invalid config:\n${errors.map((e) => `  ${String(e)}`).join('\n')}`, 2);
  }
  await using _config = closing('config watcher', log, () => configWatch.close());

  let bus: Bus;
  try {
    bus = await connectBus(opts.natsUrl, `jetprow-${def.name}`, {
      replicas: opts.natsReplicas,
      log: log.child({ component: 'bus' }),
    });
  } catch (err) {
    throw new StartError((err as Error).message, 1);
  }
  await using _bus = closing('bus', log, () => bus.close());
  try {
    await ensureStreams(bus.jsm, { replicas: bus.replicas, log: bus.log });
  } catch (err) {
    // Replicas on a server that is not clustered are a setup error (exit 2: `jetprow all` does
    // not restart it); too few servers up may pass, so that one is restarted.
    const setup = err instanceof ReplicasError && err.kind === 'not-clustered';
    throw new StartError((err as Error).message, setup ? 2 : 1);
  }

  // --kubeconfig / --in-cluster: ProwJob CRs in prowjob_namespace; else the embedded KV bucket.
  // A service that never touches ProwJobs (hook) opens no store, so it needs no API access.
  let store: JobStore = noStore(def.name);
  let kubeConfig: KubeConfig | undefined;
  if (usesStore(def)) {
    try {
      const kube = opts as unknown as { kubeconfig?: string; inCluster: boolean };
      if (usesKubernetes(kube)) kubeConfig = await kubeConfigFor(kube);
      store = kubeConfig
        ? await openKubeJobStore({
            kubeConfig,
            namespace: configWatch.get().prow.prowjob_namespace,
            log,
          })
        : await KvJobStore.open(bus);
      // The ProwJob cache (list once, then the change feed) is warm before the service starts.
      await store.sync?.();
    } catch (err) {
      throw new StartError(
        `cannot open the ProwJob store: ${(err as Error).message}`,
        exitCode(err),
      );
    }
  }
  await using _store = closing('ProwJob store', log, () => store.close?.());

  const registry = newRegistry(def.name);
  let service: StartedService;
  try {
    service = await def.start({
      name: def.name,
      opts,
      log,
      registry,
      bus,
      store,
      kubeConfig,
      getConfig: configWatch.get,
    });
  } catch (err) {
    throw new StartError((err as Error).message, exitCode(err));
  }
  await using _service = closing('service', log, () => service.stop());

  // Ready: connected, JetStream answering (a meta leader), every consumer consuming, the ProwJob
  // cache synced, and the service's own readiness.
  const jetstream = probeJetStream(bus);
  await using _probe = closing('JetStream probe', log, () => jetstream.stop());
  const ready = (): boolean =>
    jetstream.ok() && consumersHealthy(bus) && (store.synced?.() ?? true) && service.ready();
  let health: Listening;
  let metrics: Listening;
  try {
    health = await listen(healthApp(ready, service.routes), opts.healthPort);
  } catch (err) {
    throw new StartError((err as Error).message, 1);
  }
  await using _health = closing('health server', log, () => health.close());
  try {
    metrics = await listen(metricsApp(registry), opts.metricsPort);
  } catch (err) {
    throw new StartError((err as Error).message, 1);
  }
  await using _metrics = closing('metrics server', log, () => metrics.close());

  // dry-run is logged only where it means something (reporter: the one GitHub writer).
  const dryRun = 'dryRun' in opts ? { dryRun: opts.dryRun } : {};
  log.info(
    { healthPort: health.port, metricsPort: metrics.port, ...dryRun },
    `${def.name} started`,
  );
  const signal = await stopSignal(log);
  log.info({ signal }, 'draining');
  // The supervised stdin pipe must not keep the process alive once it has drained.
  if (process.env.JETPROW_SUPERVISED === '1') process.stdin.destroy();
  // Leaving this scope is the drain: servers, then the service, then the bus and the config.
  return 0;
}

/**
 * Resolves with the first of SIGTERM, SIGINT or (under `jetprow all`) the parent going away; a
 * second signal while draining exits at once.
 */
function stopSignal(log: Logger): Promise<string> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        if (signal === 'parent exited') return;
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      resolve(signal);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // Under `jetprow all` (its own process group, so a terminal's Ctrl-C reaches only `all`, which
    // drains each service once), stdin is a pipe from `all`: when it closes, `all` is gone (even
    // SIGKILLed), and the service drains instead of living on as an orphan.
    if (process.env.JETPROW_SUPERVISED === '1') {
      process.stdin.once('close', () => stop('parent exited'));
      process.stdin.resume();
    }
  });
}
