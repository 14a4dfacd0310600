// GitHub as reporter uses it: the writes it makes, one method per kind, and the few reads it
// needs, over the real @octokit/rest (connectGitHub) or, with --dry-run, logged instead. Writes
// opt out of in-process retries and rate-limit sleeps: a failed write goes back to the bus and is
// retried through the shared write budget (budget.ts). Every failure becomes one GitHubWriteError.
import { RetryLaterError, type Log } from '@jetprow/bus';
import type { GitHubStatusState } from '@jetprow/core';
import {
  blockedUntil,
  connectGitHub,
  rateLimitFromHeaders,
  type ConnectGitHubOptions,
  type GitHubConnection,
} from '@jetprow/github';
import { budgetLink, type BudgetLink } from './budget.js';

/** One commit status, as `POST /repos/{owner}/{repo}/statuses/{sha}` takes it. */
export interface StatusWrite {
  org: string;
  repo: string;
  sha: string;
  state: GitHubStatusState;
  context: string;
  description: string;
  target_url: string;
}

export interface RepoRef {
  org: string;
  repo: string;
}
/** An issue or pull request. */
export interface IssueRef extends RepoRef {
  number: number;
}
export interface IssueComment {
  id: number;
  user: string;
  body: string;
}

/** Kinds of writes, as metrics count them. */
export type WriteKind =
  'status' | 'comment_create' | 'comment_edit' | 'comment_delete' | 'label_add' | 'label_remove';

/** Failures are GitHubWriteError, or RetryLaterError when the budget is blocked. */
export interface GitHubWriter {
  createStatus(status: StatusWrite): Promise<void>;
  createComment(issue: IssueRef, body: string): Promise<void>;
  editComment(repo: RepoRef, id: number, body: string): Promise<void>;
  deleteComment(repo: RepoRef, id: number): Promise<void>;
  addLabel(issue: IssueRef, label: string): Promise<void>;
  removeLabel(issue: IssueRef, label: string): Promise<void>;
}

/** The newest status of one context on a commit. */
export interface LatestStatus {
  state: string;
  description: string;
  target_url: string;
}

export interface GitHubReads {
  /** The issue's comments, oldest first (conditional requests: unchanged pages cost nothing). */
  listComments(issue: IssueRef): Promise<IssueComment[]>;
  /** The newest status per context on a commit (did an interrupted write land?). */
  latestStatuses(org: string, repo: string, sha: string): Promise<Map<string, LatestStatus>>;
  /** The bot's login as it appears on its comments. */
  botLogin(): Promise<string>;
}

/** A GitHub request that failed, reduced to what reporter decides on (runtime.ts: write). */
export class GitHubWriteError extends Error {
  override readonly name = 'GitHubWriteError';
  /** HTTP status; undefined when no answer came (network failure, timeout). */
  readonly status: number | undefined;
  /** How long GitHub asked to wait (retry-after, or a spent quota's reset), when it said. */
  readonly retryAfterMs: number | undefined;
  /** GitHub's error body: `{ message, errors?: [{ resource, code, field, message }] }`. */
  readonly body: unknown;
  constructor(
    message: string,
    answer: { status?: number; retryAfterMs?: number; body?: unknown },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.status = answer.status;
    this.retryAfterMs = answer.retryAfterMs;
    this.body = answer.body;
  }
}

/** Octokit's RequestError: `status` (500 when no answer came), and the answer if one did. */
interface RequestErrorLike {
  status?: unknown;
  response?: { headers?: unknown; data?: unknown };
}

/** Octokit's error as a GitHubWriteError; a RetryLaterError (a blocked budget) passes through. */
export function toWriteError(
  what: string,
  err: unknown,
  nowMs = Date.now(),
): GitHubWriteError | RetryLaterError {
  if (err instanceof RetryLaterError) return err;
  const { status, response } = (
    typeof err === 'object' && err !== null ? err : {}
  ) as RequestErrorLike;
  // Octokit reports network failures as status 500 without a response: keep "no answer".
  if (!response) return new GitHubWriteError(what, {}, { cause: err });
  const headers = (typeof response.headers === 'object' ? response.headers : null) ?? {};
  const until = blockedUntil(rateLimitFromHeaders(headers as Record<string, string>, nowMs), nowMs);
  const answer = {
    ...(typeof status === 'number' ? { status } : {}),
    ...(until === undefined ? {} : { retryAfterMs: until - nowMs }),
    body: response.data,
  };
  return new GitHubWriteError(what, answer, { cause: err });
}

async function send(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    throw toWriteError(what, err);
  }
}

type Octokit = GitHubConnection['octokit'];
const NO_RETRY = { retries: 0 };

export function octokitWriter(octokit: Octokit): GitHubWriter {
  const { repos, issues } = octokit.rest;
  const repo = (r: RepoRef) => ({ owner: r.org, repo: r.repo, request: NO_RETRY });
  const issue = (i: IssueRef) => ({ ...repo(i), issue_number: i.number });
  const ref = (i: IssueRef) => `${i.org}/${i.repo}#${i.number}`;
  return {
    createStatus: (s) =>
      send(`create status ${s.org}/${s.repo}@${s.sha} ${s.context}`, () =>
        repos.createCommitStatus({
          ...repo(s),
          sha: s.sha,
          state: s.state,
          // Empty fields are left out, as Prow's github.Status does (`omitempty`).
          ...(s.context ? { context: s.context } : {}),
          ...(s.description ? { description: s.description } : {}),
          ...(s.target_url ? { target_url: s.target_url } : {}),
        }),
      ),
    createComment: (i, body) =>
      send(`create comment on ${ref(i)}`, () => issues.createComment({ ...issue(i), body })),
    editComment: (r, id, body) =>
      send(`edit comment ${r.org}/${r.repo} ${id}`, () =>
        issues.updateComment({ ...repo(r), comment_id: id, body }),
      ),
    deleteComment: (r, id) =>
      send(`delete comment ${r.org}/${r.repo} ${id}`, () =>
        issues.deleteComment({ ...repo(r), comment_id: id }),
      ),
    addLabel: (i, label) =>
      send(`add label ${label} to ${ref(i)}`, () =>
        issues.addLabels({ ...issue(i), labels: [label] }),
      ),
    removeLabel: (i, label) =>
      send(`remove label ${label} from ${ref(i)}`, () =>
        issues.removeLabel({ ...issue(i), name: label }),
      ),
  };
}

const PER_PAGE = 100;
/** Comment pages kept with their ETag (least recently used first out). */
const CACHED_PAGES = 1000;

export function octokitReads(
  octokit: Octokit,
  botLogin: () => Promise<string>,
): GitHubReads & { cache: { hits: number } } {
  // Conditional GETs: a 304 answer to `If-None-Match` costs no rate limit.
  const pages = new Map<string, { etag: string; data: IssueComment[] }>();
  const keep = (key: string, page: { etag: string; data: IssueComment[] }) => {
    pages.delete(key);
    pages.set(key, page);
    if (pages.size > CACHED_PAGES) pages.delete(pages.keys().next().value!);
  };
  const cache = { hits: 0 };
  return {
    cache,
    botLogin,
    async listComments(i) {
      const out: IssueComment[] = [];
      for (let page = 1; ; page++) {
        const key = `${i.org}/${i.repo}#${i.number}@${page}`;
        const cached = pages.get(key);
        let data: IssueComment[];
        try {
          const res = await octokit.rest.issues.listComments({
            owner: i.org,
            repo: i.repo,
            issue_number: i.number,
            per_page: PER_PAGE,
            page,
            ...(cached ? { headers: { 'if-none-match': cached.etag } } : {}),
          });
          data = res.data.map((c) => ({ id: c.id, user: c.user?.login ?? '', body: c.body ?? '' }));
          if (res.headers.etag) keep(key, { etag: res.headers.etag, data });
        } catch (err) {
          if (!(cached && (err as { status?: number }).status === 304)) {
            throw toWriteError(`list comments of ${i.org}/${i.repo}#${i.number}`, err);
          }
          cache.hits++;
          keep(key, cached);
          data = cached.data;
        }
        out.push(...data);
        if (data.length < PER_PAGE) return out;
      }
    },
    async latestStatuses(org, repo, sha) {
      const out = new Map<string, LatestStatus>();
      for (let page = 1; ; page++) {
        const { statuses } = await octokit.rest.repos
          .getCombinedStatusForRef({ owner: org, repo, ref: sha, per_page: PER_PAGE, page })
          .then(
            (res) => res.data,
            (err: unknown) => {
              throw toWriteError(`get statuses of ${org}/${repo}@${sha}`, err);
            },
          );
        for (const s of statuses) {
          const { state, description, target_url } = s;
          out.set(s.context, {
            state,
            description: description ?? '',
            target_url: target_url ?? '',
          });
        }
        if (statuses.length < PER_PAGE) return out;
      }
    },
  };
}

/** `--dry-run`: each write is logged instead of made (reads still go to GitHub, as in Prow). */
export function dryRunWriter(log: Log): GitHubWriter {
  const would = (write: WriteKind, verb: string, fields: object) => {
    log.info({ dryRun: true, write, ...fields }, `dry run: would ${verb}`);
    return Promise.resolve();
  };
  return {
    createStatus: (s) => would('status', 'create status', s),
    createComment: (i, body) => would('comment_create', 'create comment', { ...i, body }),
    editComment: (r, id, body) => would('comment_edit', 'edit comment', { ...r, id, body }),
    deleteComment: (r, id) => would('comment_delete', 'delete comment', { ...r, id }),
    addLabel: (i, label) => would('label_add', 'add label', { ...i, label }),
    removeLabel: (i, label) => would('label_remove', 'remove label', { ...i, label }),
  };
}

export interface ReporterGitHub {
  writer: GitHubWriter;
  reads: GitHubReads;
  /** The budget (token or App installation) a write about `org` spends. */
  budgetFor(org: string): string;
  /** Feeds the client's answers into the write budget, once it is open. */
  link: BudgetLink;
  /** Whether writes take slots in the budget (a dry run writes nothing). */
  paced: boolean;
}

/**
 * The GitHub client as reporter uses it (main.ts and the tests alike): writes are paced by the
 * shared budget, not by plugin-throttling's per-process spacing, and a rate-limit answer is not
 * slept on but recorded on the budget and the work handed back to the bus with GitHub's delay.
 */
export function reporterGitHub(
  opts: Omit<ConnectGitHubOptions, 'writePacing' | 'maxRateLimitWaitMs' | 'observer'> & {
    dryRun?: boolean;
    log: Log;
  },
): ReporterGitHub {
  const { dryRun = false, log, ...connect } = opts;
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
    paced: !dryRun,
  };
}
