// `jetprow plank`: wiring only.
import type { ServiceDefinition } from '@jetprow/service';
import { openJobRunner } from '@jetprow/runner';
import { renderForProwJob } from '@jetprow/core';
import type { ProwJob } from '@jetprow/schemas';
import { settingsFromPlankConfig, startPlank } from './index.js';

export const service: ServiceDefinition = {
  name: 'plank',
  options: ['dataDir', 'jobUrlBase'],
  required: ['configPath'],
  usage: `Usage: jetprow plank --nats-url URL --config-path FILE [--data-dir .jetprow] [--job-url-base URL]
       [--health-port 8081] [--metrics-port 9090]

Reconciles ProwJobs into builds (local processes, in --data-dir/builds), sharded by a hash of the
job name over durable consumers plank-shard-0..15; any number of replicas share the shards. Job
pages and logs are served on the health port: /view/<prowjob>, /logs/<prowjob>.
`,
  async start(ctx) {
    const runner = await openJobRunner({
      kubeConfig: ctx.kubeConfig,
      podNamespace: ctx.getConfig().prow.pod_namespace,
      dataDir: ctx.opts.dataDir,
      log: ctx.log,
    });
    const jobUrlBase = ctx.opts.jobUrlBase ?? `http://localhost:${ctx.opts.healthPort}`;
    const plank = await startPlank({
      bus: ctx.bus,
      store: ctx.store,
      runner,
      log: ctx.log,
      registry: ctx.registry,
      getSettings: () => {
        const plankConfig = ctx.getConfig().prow.plank;
        const template = plankConfig.job_url_template;
        // Timeouts, max_revivals, max_concurrency and job_queue_capacities, with Prow's defaults.
        const base = { ...settingsFromPlankConfig(plankConfig), jobUrlBase };
        if (!template) return base;
        // Prow's JobURL: the template over &pj; an execution error is logged and the URL is ''.
        const jobUrl = (pj: ProwJob): string => {
          try {
            return renderForProwJob(template, pj);
          } catch (err) {
            ctx.log.error(
              { err: String(err), prowjob: pj.metadata.name },
              'error executing URL template',
            );
            return '';
          }
        };
        return { ...base, jobUrl };
      },
    });
    return {
      ready: () => plank.ready(),
      routes: (app) => plank.routes(app),
      async stop() {
        await plank.stop();
        await runner.close();
      },
    };
  },
};
