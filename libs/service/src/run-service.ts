// The one way a service process starts (CONVENTIONS 1: main.ts only wires). Parses flags,
// connects to the bus, makes sure the streams exist, loads config through a hot-reloading getter,
// serves /healthz + /healthz/ready and /metrics, starts the service, and drains on SIGTERM.
import type { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { connectBus, ensureStreams, type Bus } from '@jetprow/bus';
import {
  KvJobStore,
  kubeConfigFor,
  openKubeJobStore,
  usesKubernetes,
  type JobStore,
} from '@jetprow/store';
import { watchConfig, type LoadedConfig } from '@jetprow/config';
import {
  COMMON_OPTIONS,
  FLAG_OF,
  STORE_OPTIONS,
  parseOptions,
  refuseUnusedFlags,
  UsageError,
  type CommonOptions,
  type OptionKey,
} from './flags.js';
import { createLogger, type Logger } from './logger.js';
import { healthApp, listen, metricsApp, newRegistry, type Listening } from './http.js';

export interface StartedService {
  stop(): Promise<void>;
  ready(): boolean;
  /** Extra routes for the health server (e.g. plank's log pages). */
  routes?(app: Hono): void;
}

export interface ServiceContext {
  name: string;
  opts: CommonOptions;
  log: Logger;
  registry: Registry;
  bus: Bus;
  store: JobStore;
  /** The cluster of --kubeconfig / --in-cluster, loaded once; undefined on the embedded default. */
  kubeConfig?: KubeConfig;
  getConfig: () => LoadedConfig;
}

type KubeConfig = Awaited<ReturnType<typeof kubeConfigFor>>;

export interface ServiceDefinition {
  name: string;
  /** False for services that never read or write ProwJobs (no store is opened). */
  usesStore?: boolean;
  /**
   * The options this service reads beyond COMMON_OPTIONS (and STORE_OPTIONS when it uses the
   * store). Any other flag is refused with exit 2: a flag is used or refused, never ignored.
   */
  options: readonly OptionKey[];
  /** Flags this service cannot run without. */
  required?: (keyof CommonOptions)[];
  usage: string;
  start(ctx: ServiceContext): Promise<StartedService>;
}

/** Every option `def` reads: the flags it accepts (and `jetprow all` forwards to it). */
export function serviceOptions(def: ServiceDefinition): OptionKey[] {
  return [...COMMON_OPTIONS, ...(def.usesStore === false ? [] : STORE_OPTIONS), ...def.options];
}

function noStore(service: string): JobStore {
  const fail = (): never => {
    throw new Error(`${service} has no ProwJob store (usesStore: false)`);
  };
  return { get: fail, create: fail, update: fail, delete: fail, list: fail, watch: fail };
}

export async function runService(def: ServiceDefinition, argv: string[]): Promise<number> {
  let opts: CommonOptions & { help: boolean };
  try {
    opts = parseOptions(argv);
    if (opts.help) {
      process.stdout.write(def.usage);
      return 0;
    }
    refuseUnusedFlags(argv, serviceOptions(def), def.name);
    for (const key of ['natsUrl', ...(def.required ?? [])] as (keyof CommonOptions)[]) {
      if (opts[key] === undefined) throw new UsageError(`--${FLAG_OF[key]} is required`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`jetprow ${def.name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  const log = createLogger(def.name, opts.logLevel);
  let configWatch: Awaited<ReturnType<typeof watchConfig>> | undefined;
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
    const errors = (err as { errors?: unknown[] }).errors;
    process.stderr.write(
      `jetprow ${def.name}: invalid config:\n${(errors ?? [err]).map((e) => `  ${String(e)}`).join('\n')}\n`,
    );
    return 2;
  }

  let bus: Bus;
  try {
    bus = await connectBus(opts.natsUrl!, `jetprow-${def.name}`);
    await ensureStreams(bus.jsm);
  } catch (err) {
    process.stderr.write(`jetprow ${def.name}: ${(err as Error).message}\n`);
    configWatch.close();
    return 1;
  }
  // --kubeconfig / --in-cluster: ProwJob CRs in prowjob_namespace; else the embedded KV bucket.
  // A service that never touches ProwJobs (hook) opens no store, so it needs no API access.
  let store: JobStore;
  let kubeConfig: KubeConfig | undefined;
  try {
    if (def.usesStore !== false && usesKubernetes(opts)) kubeConfig = await kubeConfigFor(opts);
    store =
      def.usesStore === false
        ? noStore(def.name)
        : kubeConfig
          ? await openKubeJobStore({
              kubeConfig,
              namespace: configWatch.get().prow.prowjob_namespace,
              log,
            })
          : await KvJobStore.open(bus.js);
  } catch (err) {
    process.stderr.write(
      `jetprow ${def.name}: cannot open the ProwJob store: ${(err as Error).message}\n`,
    );
    await bus.close();
    configWatch.close();
    return err instanceof UsageError ? 2 : 1;
  }
  const registry = newRegistry(def.name);
  const getConfig = configWatch.get;
  let service: StartedService;
  try {
    const ctx = { name: def.name, opts, log, registry, bus, store, kubeConfig, getConfig };
    service = await def.start(ctx);
  } catch (err) {
    process.stderr.write(`jetprow ${def.name}: ${(err as Error).message}\n`);
    await bus.close();
    configWatch.close();
    return err instanceof UsageError ? 2 : 1;
  }

  const servers: Listening[] = [];
  const connected = (): boolean => !bus.nc.isClosed() && !reconnecting;
  let reconnecting = false;
  void (async () => {
    for await (const s of bus.nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnecting') reconnecting = true;
      if (s.type === 'reconnect') reconnecting = false;
    }
  })();
  try {
    servers.push(
      await listen(
        healthApp(() => connected() && service.ready(), service.routes),
        opts.healthPort,
      ),
    );
    servers.push(await listen(metricsApp(registry), opts.metricsPort));
  } catch (err) {
    process.stderr.write(`jetprow ${def.name}: ${(err as Error).message}\n`);
    await service.stop();
    await bus.close();
    configWatch.close();
    return 1;
  }
  // dry-run is logged only where it means something (reporter: the one GitHub writer).
  const dryRun = def.options.includes('dryRun') ? { dryRun: opts.dryRun } : {};
  log.info(
    { healthPort: servers[0]!.port, metricsPort: servers[1]!.port, ...dryRun },
    `${def.name} started`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string): Promise<void> => {
      if (stopping) {
        if (signal === 'parent exited') return;
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, 'draining');
      await service.stop().catch((err: unknown) => log.error({ err: String(err) }, 'stop failed'));
      await Promise.all(servers.map((s) => s.close()));
      await bus.close();
      configWatch!.close();
      log.info('stopped');
      resolve(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    // Under `jetprow all` (its own process group, so a terminal's Ctrl-C reaches only `all`, which
    // drains each service once), stdin is a pipe from `all`: when it closes, `all` is gone (even
    // SIGKILLed), and the service drains instead of living on as an orphan.
    if (process.env.JETPROW_SUPERVISED === '1') {
      process.stdin.once('close', () => void stop('parent exited'));
      process.stdin.resume();
    }
  });
}
