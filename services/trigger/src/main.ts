// `jetprow trigger`: wiring only.
import { GITHUB_OPTIONS, type ServiceDefinition } from '@jetprow/service';
import { connectGitHub } from '@jetprow/github';
import { startTrigger } from './start-trigger.js';
import { triggerGitHub } from './github-client.js';

export const service: ServiceDefinition = {
  name: 'trigger',
  options: GITHUB_OPTIONS,
  required: ['configPath'],
  usage: `Usage: jetprow trigger --nats-url URL --config-path FILE [--job-config-path PATH] [--plugin-config FILE]
       [--github-token-path FILE | --github-app-id ID --github-app-private-key-path FILE]
       [--github-endpoint URL] [--health-port 8081] [--metrics-port 9090]

Consumes GitHub events (durable consumer plugin-trigger, shared by replicas) and creates ProwJobs.
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
};
