// The GitHub client as reporter uses it (main.ts and the tests build it here alike): writes are
// paced by the shared budget, not by plugin-throttling's per-process spacing; a rate-limit answer
// is not slept on in process but recorded on the budget (budget-link.ts) and the work handed back
// to the bus with GitHub's delay.
import type { Log } from '@jetprow/bus';
import { connectGitHub, type ConnectGitHubOptions } from '@jetprow/github';
import { budgetLink, type BudgetLink } from './budget-link.js';
import { dryRunWriter } from './dry-run-writer.js';
import type { GitHubReads, GitHubWriter } from './github-writer.js';
import { octokitReads, octokitWriter } from './octokit-writer.js';

export type ReporterGitHubOptions = Omit<
  ConnectGitHubOptions,
  'writePacing' | 'maxRateLimitWaitMs' | 'observer'
> & {
  /** Log writes instead of making them (reads still go to GitHub, as Prow's dry run). */
  dryRun?: boolean;
  log: Log;
};

export interface ReporterGitHub {
  writer: GitHubWriter;
  reads: GitHubReads;
  /** The budget (token or App installation) a write about `org` spends. */
  budgetFor(org: string): string;
  link: BudgetLink;
}

export function reporterGitHub(opts: ReporterGitHubOptions): ReporterGitHub {
  const { dryRun, log, ...connect } = opts;
  const link = budgetLink();
  const gh = connectGitHub({
    ...connect,
    writePacing: 'external',
    maxRateLimitWaitMs: 0,
    observer: link.observer,
  });
  return {
    writer: dryRun ? dryRunWriter(log) : octokitWriter(gh.octokit),
    reads: octokitReads(gh.octokit, () => gh.botLogin()),
    budgetFor: (org) => gh.auth.budget(org),
    link,
  };
}
