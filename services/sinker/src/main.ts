// `jetprow sinker`: wiring only.
import { dataDirOptions, defineService, kubernetesOptions } from '@jetprow/service';
import { openJobRunner } from '@jetprow/runner';
import { startSinker } from './sinker.js';

export const service = defineService({
  name: 'sinker',
  groups: [dataDirOptions, kubernetesOptions],
  required: ['config-path'],
  summary: `Deletes old ProwJobs and builds (Prow's sinker rules) once per sinker.resync_period, driven by a
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
      getConfig: ctx.getConfig,
    });
    return {
      ready: () => sinker.ready(),
      async stop() {
        await sinker.stop();
        await runner.close();
      },
    };
  },
});
