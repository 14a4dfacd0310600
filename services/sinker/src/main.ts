// `jetprow sinker`: wiring only.
import type { ServiceDefinition } from '@jetprow/service';
import { parseDuration } from '@jetprow/config';
import { openJobRunner } from '@jetprow/runner';
import { startSinker } from './sinker.js';

export const service: ServiceDefinition = {
  name: 'sinker',
  options: ['dataDir'],
  required: ['configPath'],
  usage: `Usage: jetprow sinker --nats-url URL --config-path FILE [--job-config-path PATH] [--data-dir .jetprow]
       [--health-port 8081] [--metrics-port 9090]

Deletes old ProwJobs and builds (Prow's sinker rules) once per sinker.resync_period, driven by a
timer on the bus (prow.timers.sinker) that fires once per period however many replicas run.
`,
  async start(ctx) {
    const runner = await openJobRunner({
      kubeConfig: ctx.kubeConfig,
      podNamespace: ctx.getConfig().prow.pod_namespace,
      dataDir: ctx.opts.dataDir,
      log: ctx.log,
    });
    const sinker = await startSinker({
      bus: ctx.bus,
      store: ctx.store,
      runner,
      log: ctx.log,
      registry: ctx.registry,
      getSettings: () => {
        const { prow, jobs } = ctx.getConfig();
        return {
          resyncPeriodMs: parseDuration(prow.sinker.resync_period),
          maxProwJobAgeMs: parseDuration(prow.sinker.max_prowjob_age),
          maxPodAgeMs: parseDuration(prow.sinker.max_pod_age),
          terminatedPodTtlMs: parseDuration(prow.sinker.terminated_pod_ttl),
          periodicNames: new Set(jobs.periodics.map((p) => p.name)),
        };
      },
    });
    return {
      ready: () => sinker.ready(),
      async stop() {
        await sinker.stop();
        await runner.close();
      },
    };
  },
};
