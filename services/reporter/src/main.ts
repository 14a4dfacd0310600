// `jetprow reporter`: wiring only. The only process that writes to GitHub.
import {
  defineService,
  githubOptions,
  githubWriteOptions,
  kubernetesOptions,
} from '@jetprow/service';
import { reporterGitHub } from './github.js';
import { startReporter } from './reporter.js';

export const service = defineService({
  name: 'reporter',
  groups: [githubOptions, githubWriteOptions, kubernetesOptions],
  required: ['config-path'],
  summary: `Consumes PROW_REPORTS (durable consumer reporter) and PROW_INTENTS (reporter-intents), shared by
replicas: commit statuses, the failure comment, and the comments and labels other services ask
for. Content-creating writes are paced under --github-write-limits per token or App installation,
across all replicas. --dry-run (the default without credentials) logs the writes instead.
`,
  async start(ctx) {
    return startReporter({
      bus: ctx.bus,
      store: ctx.store,
      github: reporterGitHub({
        baseUrl: ctx.opts.githubEndpoint[0]!,
        tokenPath: ctx.opts.githubTokenPath,
        appId: ctx.opts.githubAppId,
        appPrivateKeyPath: ctx.opts.githubAppPrivateKeyPath,
        dryRun: ctx.opts.dryRun,
        log: ctx.log,
      }),
      writeLimits: ctx.opts.githubWriteLimits,
      log: ctx.log,
      registry: ctx.registry,
      config: () => ctx.getConfig().prow,
    });
  },
});
