// `jetprow trigger`: wiring only.
import { defineService, githubOptions, kubernetesOptions } from '@jetprow/service';
import { connectGitHub } from '@jetprow/github';
import { startTrigger } from './start-trigger.js';
import { triggerGitHub } from './github-client.js';

export const service = defineService({
  name: 'trigger',
  groups: [githubOptions, kubernetesOptions],
  required: ['config-path'],
  summary: `Consumes GitHub events (durable consumer plugin-trigger, shared by replicas) and creates ProwJobs.
Without --plugin-config the trigger plugin is enabled for every repository.
`,
  async start(ctx) {
    const gh = connectGitHub({
      baseUrl: ctx.opts.githubEndpoint[0]!,
      tokenPath: ctx.opts.githubTokenPath,
      appId: ctx.opts.githubAppId,
      appPrivateKeyPath: ctx.opts.githubAppPrivateKeyPath,
    });
    return startTrigger({
      bus: ctx.bus,
      store: ctx.store,
      github: triggerGitHub(gh),
      getConfig: ctx.getConfig,
      log: ctx.log,
      registry: ctx.registry,
      allReposEnabled: ctx.opts.pluginConfig === undefined,
    });
  },
});
