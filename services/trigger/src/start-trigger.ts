// The plugin consumer: a durable consumer `plugin-trigger` on PROW_EVENTS shared by every replica.
// An event is acked only after its ProwJobs are stored; a crash before that redelivers it, and
// deterministic names make the second pass create nothing new.
import { Counter, Histogram, type Registry } from 'prom-client';
import { runConsumer, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import { Streams, Subjects } from '@jetprow/core';
import { decoder, GitHubEvent } from '@jetprow/schemas';
import type { LoadedConfig } from '@jetprow/config';
import type { JobStore } from '@jetprow/store';
import type { TriggerClient, TriggerGitHub } from './context.js';
import { dispatchEvent } from './dispatch.js';
import { plugins as allPlugins } from './plugins/index.js';
import { busResponder, type Responder } from './responder.js';
import { startHorologium } from './periodics/horologium.js';
import { kvHorologiumState } from './periodics/state-store.js';

const decodeEvent = decoder('GitHub event', GitHubEvent);

export interface TriggerDeps {
  bus: Bus;
  store: JobStore;
  github: TriggerGitHub;
  /** Where the GitHub writes of one event go (default: published for reporter). */
  responderFor?: (delivery: string) => Responder;
  getConfig: () => LoadedConfig;
  log: Log;
  registry: Registry;
  /** No plugins.yaml given: every plugin is enabled for every repo. */
  allReposEnabled?: boolean;
  now?: () => Date;
  concurrency?: number;
  durable?: string;
  /** Run horologium (periodic jobs) on the bus timer. Default true. */
  periodics?: boolean;
}

export async function startTrigger(
  deps: TriggerDeps,
): Promise<{ stop(): Promise<void>; ready(): boolean }> {
  const now = deps.now ?? (() => new Date());
  const responderFor =
    deps.responderFor ?? ((delivery: string) => busResponder(deps.bus, delivery, deps.log));
  const clientFor = (delivery: string): TriggerClient => ({
    store: deps.store,
    github: deps.github,
    responder: responderFor(delivery),
    getConfig: deps.getConfig,
    log: deps.log,
    now,
  });
  const duration = new Histogram({
    name: 'prow_plugin_handle_duration_seconds',
    help: 'How long Prow plugins took to handle an event.',
    labelNames: ['event_type', 'action', 'plugin', 'took_action'],
    buckets: [
      0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
      163.84, 327.68, 655.36,
    ],
    registers: [deps.registry],
  });
  const errors = new Counter({
    name: 'prow_plugin_handle_errors',
    help: 'Prow plugin handler errors.',
    labelNames: ['event_type', 'action', 'plugin', 'took_action'],
    registers: [deps.registry],
  });
  const created = new Counter({
    name: 'jetprow_trigger_prowjobs_created_total',
    help: 'ProwJobs created (or found already created) by trigger.',
    registers: [deps.registry],
  });

  const consumer: RunningConsumer = await runConsumer(deps.bus, {
    stream: Streams.events,
    durable: deps.durable ?? 'plugin-trigger',
    filterSubject: Subjects.events,
    concurrency: deps.concurrency ?? 4,
    decode: decodeEvent,
    log: deps.log,
    async handle(ev) {
      const started = Date.now();
      const labels = { event_type: ev.event, action: ev.action ?? '', plugin: 'trigger' };
      try {
        const results = await dispatchEvent(
          clientFor(ev.delivery),
          allPlugins,
          ev,
          deps.allReposEnabled === true,
        );
        const names = results.flatMap((r) => r.created);
        duration.observe(
          { ...labels, took_action: String(names.length > 0) },
          (Date.now() - started) / 1000,
        );
        created.inc(names.length);
        if (names.length > 0) {
          deps.log.info(
            { delivery: ev.delivery, event: ev.event, org: ev.org, repo: ev.repo, prowjobs: names },
            'created prowjobs',
          );
        }
      } catch (err) {
        errors.inc({ ...labels, took_action: 'false' });
        throw err;
      }
    },
  });
  const horologium =
    deps.periodics === false
      ? undefined
      : await startHorologium(deps.bus, {
          store: deps.store,
          state: await kvHorologiumState(deps.bus),
          getConfig: deps.getConfig,
          log: deps.log.child({ component: 'horologium' }),
          now,
        });
  return {
    async stop() {
      await Promise.all([consumer.stop(), horologium?.stop()]);
    },
    ready: () => true,
  };
}
