// `jetprow plank`: wiring only.
import { dataDirOptions, defineService, jobPageOptions, kubernetesOptions } from '@jetprow/service';
import { openJobRunner } from '@jetprow/runner';
import { startPlank } from './index.js';
import { holdLocalHost } from './local-host-lease.js';

export const service = defineService({
  name: 'plank',
  groups: [dataDirOptions, jobPageOptions, kubernetesOptions],
  required: ['config-path'],
  summary: `Reconciles ProwJobs into builds (local processes, in --data-dir/builds), sharded by a hash of the
job name over durable consumers plank-shard-0..15; any number of replicas share the shards. Job
pages and logs are served on the health port: /view/<prowjob>, /logs/<prowjob>.
Local builds run on one plank host (a lease across replicas; another host is refused); with
--kubeconfig / --in-cluster builds are Pods and replicas may run anywhere.
`,
  async start(ctx) {
    // Local builds (no cluster) have one plank host, however many replicas run on it.
    const lease = ctx.kubeConfig
      ? undefined
      : await holdLocalHost(ctx.bus, { dataDir: ctx.opts.dataDir, log: ctx.log });
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
      getConfig: ctx.getConfig,
      settings: { jobUrlBase },
    });
    return {
      ready: () => plank.ready(),
      routes: (app) => plank.routes(app),
      async stop() {
        await plank.stop();
        await runner.close();
        lease?.release();
      },
    };
  },
});
