// The PR's test report comment, exactly as Prow writes it (pkg/github/report/report.go:
// parseIssueComments, createEntry, createComment, ReportComment; crier's pjsToReport for
// summary_comment_repos; plank.report_templates), as a plan. Pure: jobs and comments in, writes out.
import type { Log } from '@jetprow/bus';
import { renderForProwJob } from '@jetprow/core';
import { isComplete, Labels, type ProwJob, type ProwJobType } from '@jetprow/schemas';
import type { IssueComment } from './github.js';
import type { ReporterConfig } from './runtime.js';

/** The tag that marks an issue comment as the test report (Prow's report.CommentTag). */
export const COMMENT_TAG = '<!-- test report -->';

/** Prow's plugins.AboutThisBot. */
export const ABOUT_THIS_BOT =
  'Instructions for interacting with me using PR comments are available [here](https://git.k8s.io/community/contributors/guide/pull-requests.md).  If you have questions or suggestions related to my behavior, please file an issue against the [kubernetes-sigs/prow](https://github.com/kubernetes-sigs/prow/issues/new?title=Prow%20issue:) repository. I understand the commands that are listed [here](https://go.k8s.io/bot-commands).';

export interface ParsedComments {
  /** IDs of report comments to delete. */
  deletes: number[];
  /** Table rows the new report holds. */
  entries: string[];
  /** The report comment to edit in place; 0 when a new one is to be created. */
  updateId: number;
}

/** Go's strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** One table row: `context | sha | [link](url) | required | \`rerun\`` (Prow's createEntry). */
export function createEntry(pj: ProwJob): string {
  let required = 'unknown';
  if (pj.spec.type === 'presubmit') {
    const label = pj.metadata.labels?.[Labels.isOptional];
    const optional = label === undefined ? undefined : parseGoBool(label);
    if (optional !== undefined) required = String(!optional);
  }
  return [
    pj.spec.context ?? '',
    pj.spec.refs?.pulls?.[0]?.sha ?? '',
    `[link](${pj.status.url ?? ''})`,
    required,
    `\`${pj.spec.rerun_command ?? ''}\``,
  ].join(' | ');
}

/**
 * Prow's parseIssueComments: the bot's report comments (oldest first, as GitHub lists them) are
 * merged into one table; rows for contexts reported now are replaced by a row per job that failed.
 * All but the newest report comment are deleted; the newest is deleted too (so a fresh comment
 * notifies) when a failure row is added or no rows remain, else it is edited in place.
 */
export function parseIssueComments(
  pjs: ProwJob[],
  isBot: (login: string) => boolean,
  comments: IssueComment[],
): ParsedComments {
  const previous: number[] = [];
  let latest = 0;
  const entries: string[] = [];
  for (const ic of comments) {
    if (!isBot(ic.user) || !ic.body.includes(COMMENT_TAG)) continue;
    if (latest !== 0) previous.push(latest);
    latest = ic.id;
    let tracking = false;
    for (const raw of ic.body.split('\n')) {
      const line = raw.trim();
      if (line.startsWith('---')) tracking = true;
      else if (line.length === 0) tracking = false;
      else if (tracking) entries.push(line);
    }
  }
  const reported = new Set(pjs.map((pj) => pj.spec.context ?? ''));
  const kept: string[] = [];
  entries.forEach((entry, i) => {
    const name = entry.split(' | ')[0];
    // The newer row of a context wins; a context reported now replaces its old row.
    const newer = entries.some((other, j) => j > i && other.split(' | ')[0] === name);
    if (!newer && !reported.has(name ?? '')) kept.push(entry);
  });
  let createNew = false;
  for (const pj of pjs) {
    if (pj.status.state === 'failure') {
      kept.push(createEntry(pj));
      createNew = true;
    }
  }
  const deletes = [...previous];
  if ((createNew || kept.length === 0) && latest !== 0) {
    deletes.push(latest);
    latest = 0;
  }
  return { deletes, entries: kept, updateId: latest };
}

/**
 * Prow's createComment. `template` is `plank.report_templates` for the repo rendered with the
 * first job (undefined: no template configured, so no template section).
 */
export function createComment(pjs: ProwJob[], entries: string[], template?: string): string {
  const first = pjs[0];
  if (!first) return '';
  const author = first.spec.refs?.pulls?.[0]?.author ?? '';
  const plural = entries.length > 1 ? 's' : '';
  let lines =
    entries.length === 0
      ? [`@${author}: all tests **passed!**`, '']
      : [
          `@${author}: The following test${plural} **failed**, say \`/retest\` to rerun all failed tests or \`/retest-required\` to rerun all mandatory failed tests:`,
          '',
          'Test name | Commit | Details | Required | Rerun command',
          '--- | --- | --- | --- | ---',
        ];
  lines = [...lines, ...entries];
  if (template !== undefined) lines.push('', template);
  lines.push('', '<details>', '', ABOUT_THIS_BOT, '</details>', COMMENT_TAG);
  return lines.join('\n');
}

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

/** How a repo's PRs get their report comment (crier's order: no_comment wins over summary). */
export type CommentMode = 'none' | 'summary' | 'failures';

export function commentMode(config: ReporterConfig, org: string, repo: string): CommentMode {
  const names = (list: readonly string[]) =>
    list.some((ident) => ident === org || ident === `${org}/${repo}`);
  if (names(config.github_reporter.no_comment_repos)) return 'none';
  if (names(config.github_reporter.summary_comment_repos)) return 'summary';
  return 'failures';
}

/** Prow's ReportTemplateForRepo: the template of the job's org/repo, else of its org, else `*`. */
export function reportTemplateFor(
  templates: Readonly<Record<string, string>>,
  pj: ProwJob,
): string | undefined {
  const refs = pj.spec.refs;
  return (refs && (templates[`${refs.org}/${refs.repo}`] ?? templates[refs.org])) ?? templates['*'];
}

/** The job's report template rendered as Go's text/template does; a failing one is left out. */
export function renderReportTemplate(
  templates: Readonly<Record<string, string>>,
  pj: ProwJob,
  log: Log,
): string | undefined {
  const template = reportTemplateFor(templates, pj);
  if (!template) return undefined;
  try {
    return renderForProwJob(template, pj, 'report');
  } catch (err) {
    log.error({ err: String(err), prowjob: pj.metadata.name }, 'error executing report template');
    return undefined;
  }
}
