// `jetprow plank`: wiring only.
import { join } from 'node:path';
import type { ServiceDefinition } from '@jetprow/service';
import { LocalProcessRunner } from '@jetprow/runner';
import { startPlank } from './index.js';

export const service: ServiceDefinition = {
  name: 'plank',
  required: ['configPath'],
  usage: `Usage: jetprow plank --nats-url URL --config-path FILE [--data-dir .jetprow] [--job-url-base URL]
       [--health-port 8081] [--metrics-port 9090]

Reconciles ProwJobs into builds (local processes, in --data-dir/builds), sharded by a hash of the
job name over durable consumers plank-shard-0..15; any number of replicas share the shards. Job
pages and logs are served on the health port: /view/<prowjob>, /logs/<prowjob>.
`,
  async start(ctx) {
    const runner = new LocalProcessRunner({ dir: join(ctx.opts.dataDir, 'builds'), log: ctx.log });
    const jobUrlBase = ctx.opts.jobUrlBase ?? `http://localhost:${ctx.opts.healthPort}`;
    const plank = await startPlank({
      bus: ctx.bus,
      store: ctx.store,
      runner,
      log: ctx.log,
      registry: ctx.registry,
      getSettings: () => ({ maxRevivals: ctx.getConfig().prow.plank.max_revivals, jobUrlBase }),
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
