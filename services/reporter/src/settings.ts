// The reporter's settings, read through a getter on every use (config hot reload is free).
import type { ProwJobType } from '@jetprow/schemas';

export interface ReporterSettings {
  /** Prow's `github_reporter.job_types_to_report`; empty or absent means presubmit+postsubmit. */
  jobTypesToReport?: readonly ProwJobType[];
  /** `github_reporter.no_comment_repos`: orgs or org/repos that get statuses but no comment. */
  noCommentRepos?: readonly string[];
  /**
   * `github_reporter.summary_comment_repos`: orgs or org/repos whose PRs get one comment once
   * every job of the PR is complete ("all tests passed!" when nothing failed).
   */
  summaryCommentRepos?: readonly string[];
}

export const DEFAULT_JOB_TYPES_TO_REPORT: readonly ProwJobType[] = ['presubmit', 'postsubmit'];

export function jobTypesToReport(settings: ReporterSettings): readonly ProwJobType[] {
  const types = settings.jobTypesToReport;
  return types && types.length > 0 ? types : DEFAULT_JOB_TYPES_TO_REPORT;
}

/** How a repo's PRs get their test report comment (crier's order: no_comment wins over summary). */
export type CommentMode = 'none' | 'summary' | 'failures';

export function commentMode(settings: ReporterSettings, org: string, repo: string): CommentMode {
  const names = (list: readonly string[] | undefined) =>
    (list ?? []).some((ident) => ident === org || ident === `${org}/${repo}`);
  if (names(settings.noCommentRepos)) return 'none';
  if (names(settings.summaryCommentRepos)) return 'summary';
  return 'failures';
}
