// What to do to a PR's test report comment (Prow's ReportComment and crier's pjsToReport): pure,
// from the jobs being reported and the PR's comments to a plan of deletes, a create or an edit.
import { isComplete, type ProwJob, type ProwJobType } from '@jetprow/schemas';
import { createComment, parseIssueComments, type IssueComment } from './failure-comment.js';

export interface CommentPlan {
  /** Report comments to delete, in order. */
  deletes: number[];
  /** Body of a new report comment. */
  create?: string;
  /** A report comment to edit in place. */
  edit?: { id: number; body: string };
}

export interface PlanInput {
  /** The jobs being reported now (crier: the one job; summary mode: every job of the PR). */
  pjs: ProwJob[];
  /** The PR's comments, oldest first. */
  comments: IssueComment[];
  isBot: (login: string) => boolean;
  jobTypes: readonly ProwJobType[];
  /** Summary mode: comment even when nothing failed ("all tests passed!"). */
  mustCreate: boolean;
  /** `plank.report_templates` for the repo, rendered with a job; undefined when none applies. */
  template?: (pj: ProwJob) => string | undefined;
}

/** Prow's report.ShouldReport: a type it reports, and `report` set. */
const reportable = (pj: ProwJob, types: readonly ProwJobType[]) =>
  types.includes(pj.spec.type) && pj.spec.report === true;

const normalize = (body: string) => body.replace(/\r\n/g, '\n').trimEnd();

/**
 * Prow's ReportComment as a plan; undefined when there is nothing to report (no complete job of a
 * reported type, or not exactly one pull). One refinement keeps it idempotent: a write whose
 * result is already there (the newest report comment already has exactly the body Prow would
 * post, as after a crash between writing and recording) is left out.
 */
export function planReportComment(input: PlanInput): CommentPlan | undefined {
  const valid = input.pjs.filter((pj) => reportable(pj, input.jobTypes) && isComplete(pj));
  const first = valid[0];
  if (!first) return undefined;
  const refs = first.spec.refs;
  if (!refs || refs.pulls?.length !== 1) return undefined;

  const { deletes, entries, updateId } = parseIssueComments(valid, input.isBot, input.comments);
  const plan: CommentPlan = { deletes };
  // Any aborted job (a push while jobs ran) means no "all tests passed".
  const aborted = valid.some((pj) => pj.status.state === 'aborted');
  if (entries.length > 0 || (input.mustCreate && !aborted)) {
    const body = createComment(valid, entries, input.template?.(first));
    if (updateId === 0) plan.create = body;
    else plan.edit = { id: updateId, body };
  }
  return withoutRepeats(plan, input);
}

function withoutRepeats(plan: CommentPlan, input: PlanInput): CommentPlan {
  const byId = new Map(input.comments.map((c) => [c.id, c]));
  const { create, edit } = plan;
  if (edit && normalize(byId.get(edit.id)?.body ?? '') === normalize(edit.body)) {
    return { deletes: plan.deletes };
  }
  if (create !== undefined) {
    // The newest report comment is the last one deleted; if it already says this, keep it.
    const newest = plan.deletes[plan.deletes.length - 1];
    const found = newest === undefined ? undefined : byId.get(newest);
    if (found && normalize(found.body) === normalize(create)) {
      return { deletes: plan.deletes.slice(0, -1) };
    }
  }
  return plan;
}

/**
 * The jobs of one batch of reports, as crier would leave the comment after reporting them one
 * after another: per context only the latest report counts, placed where that report came.
 */
export function latestPerContext(jobs: ProwJob[]): ProwJob[] {
  const byContext = new Map<string, ProwJob>();
  for (const pj of jobs) {
    const context = pj.spec.context ?? '';
    byContext.delete(context);
    byContext.set(context, pj);
  }
  return [...byContext.values()];
}

const createdAt = (pj: ProwJob) => Date.parse(pj.metadata.creationTimestamp ?? pj.status.startTime);

/**
 * crier's pjsToReport for summary_comment_repos: every job of the PR, the newest run per job
 * name; undefined while any of them is still running. (Prow returns them in map order; here they
 * are sorted by job name, so the comment is the same every time.)
 */
export function summaryJobs(all: ProwJob[]): ProwJob[] | undefined {
  const newest = new Map<string, ProwJob>();
  for (const pj of all) {
    if (!isComplete(pj)) return undefined;
    if (pj.spec.report !== true) continue;
    const existing = newest.get(pj.spec.job);
    if (!existing || createdAt(pj) > createdAt(existing)) newest.set(pj.spec.job, pj);
  }
  return [...newest.values()].sort((a, b) => a.spec.job.localeCompare(b.spec.job));
}
