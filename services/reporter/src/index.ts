export {
  startReporter,
  REPORTER_DURABLE,
  INTENTS_DURABLE,
  GITHUB_WRITE_LIMITS,
} from './reporter.js';
export type { Reporter, ReporterDeps } from './reporter.js';
export type { ReporterSettings, CommentMode } from './settings.js';
export { DEFAULT_JOB_TYPES_TO_REPORT, commentMode } from './settings.js';
export type {
  GitHubWriter,
  GitHubReads,
  IssueRef,
  LatestStatus,
  StatusWrite,
  WriteKind,
} from './github-writer.js';
export { octokitWriter, octokitReads } from './octokit-writer.js';
export type { Octokit } from './octokit-writer.js';
export { dryRunWriter } from './dry-run-writer.js';
export { GitHubWriteError } from './write-error.js';
export { shouldReport } from './should-report.js';
export { statusForJob } from './status-for-job.js';
export { reconcileReport, StatusWriteError } from './reconcile-report.js';
export type { ReconcileDeps, ReconcileResult, WriteOutcome } from './reconcile-report.js';
export { COMMENT_TAG, createComment, createEntry, parseIssueComments } from './failure-comment.js';
export type { IssueComment, ParsedComments } from './failure-comment.js';
export { planReportComment, summaryJobs, latestPerContext } from './report-comment-plan.js';
export type { CommentPlan, PlanInput } from './report-comment-plan.js';
export { budgetLink } from './budget-link.js';
export type { BudgetLink } from './budget-link.js';
export { openWriteBudget, BudgetWaitError, BUDGET_BUCKET } from './write-budget.js';
export type { WriteBudget, WriteBudgetOptions } from './write-budget.js';
export { nextSlot } from './budget-slots.js';
export type { WriteLimit, BudgetRecord } from './budget-slots.js';
export { PrReportNudge, ReporterIntent } from './intent-messages.js';
