// `jetprow reporter`: wiring only. The only process that writes to GitHub.
import { GITHUB_OPTIONS, type ServiceDefinition } from '@jetprow/service';
import { reporterGitHub } from './reporter-github.js';
import { reportTemplateRenderer } from './report-template.js';
import { startReporter } from './reporter.js';

export const service: ServiceDefinition = {
  name: 'reporter',
  options: [...GITHUB_OPTIONS, 'githubWriteLimits', 'dryRun'],
  required: ['configPath'],
  usage: `Usage: jetprow reporter --nats-url URL --config-path FILE
       [--github-token-path FILE | --github-app-id ID --github-app-private-key-path FILE]
       [--github-endpoint URL] [--github-write-limits 80/1m,500/1h] [--dry-run[=false]]
       [--health-port 8081] [--metrics-port 9090]

Consumes PROW_REPORTS (durable consumer reporter) and PROW_INTENTS (reporter-intents), shared by
replicas: commit statuses, the failure comment, and the comments and labels other services ask
for. Content-creating writes are paced under --github-write-limits per token or App installation,
across all replicas. --dry-run (the default without credentials) logs the writes instead.
`,
  async start(ctx) {
    const gh = reporterGitHub({
      baseUrl: ctx.opts.githubEndpoint[0]!,
      tokenPath: ctx.opts.githubTokenPath,
      appId: ctx.opts.githubAppId,
      appPrivateKeyPath: ctx.opts.githubAppPrivateKeyPath,
      dryRun: ctx.opts.dryRun,
      log: ctx.log,
    });
    const prow = () => ctx.getConfig().prow;
    return startReporter({
      bus: ctx.bus,
      store: ctx.store,
      ...gh,
      writeLimits: ctx.opts.githubWriteLimits,
      paced: !ctx.opts.dryRun,
      log: ctx.log,
      registry: ctx.registry,
      getSettings: () => ({
        jobTypesToReport: prow().github_reporter.job_types_to_report,
        noCommentRepos: prow().github_reporter.no_comment_repos,
        summaryCommentRepos: prow().github_reporter.summary_comment_repos,
      }),
      renderReportTemplate: reportTemplateRenderer(() => prow().plank.report_templates, ctx.log),
    });
  },
};
