// `jetprow reporter`: wiring only. The only process that writes to GitHub.
import type { ServiceDefinition } from '@jetprow/service';
import { createOctokit, readToken } from '@jetprow/github';
import { startReporter } from './reporter.js';
import { octokitWriter } from './octokit-writer.js';
import { dryRunWriter } from './dry-run-writer.js';

export const service: ServiceDefinition = {
  name: 'reporter',
  required: ['configPath'],
  usage: `Usage: jetprow reporter --nats-url URL --config-path FILE [--github-token-path FILE]
       [--github-endpoint URL] [--dry-run[=false]] [--health-port 8081] [--metrics-port 9090]

Consumes PROW_REPORTS (durable consumer reporter, shared by replicas) and writes commit statuses.
--dry-run (the default without --github-token-path) logs the writes instead of sending them.
`,
  async start(ctx) {
    const writer = ctx.opts.dryRun
      ? dryRunWriter(ctx.log)
      : octokitWriter(
          createOctokit({
            baseUrl: ctx.opts.githubEndpoint[0]!,
            token: ctx.opts.githubTokenPath ? readToken(ctx.opts.githubTokenPath) : undefined,
          }),
        );
    return startReporter({
      bus: ctx.bus,
      store: ctx.store,
      writer,
      log: ctx.log,
      registry: ctx.registry,
      getSettings: () => ({
        jobTypesToReport: ctx.getConfig().prow.github_reporter.job_types_to_report,
      }),
    });
  },
};
