// GitHubWriter and GitHubReads over the real @octokit/rest (connectGitHub from @jetprow/github).
// Writes opt out of in-process retries (`retries: 0`): a failed write goes back to the bus and is
// retried through the write budget. Octokit's RequestError becomes a GitHubWriteError carrying
// the HTTP status, headers and error body.
import { RetryLaterError } from '@jetprow/bus';
import type { GitHubConnection } from '@jetprow/github';
import type { IssueComment } from './failure-comment.js';
import type { GitHubReads, GitHubWriter, IssueRef, LatestStatus } from './github-writer.js';
import { EtagCache } from './etag-cache.js';
import { GitHubWriteError, normalizeHeaders } from './write-error.js';

export type Octokit = GitHubConnection['octokit'];

/** Octokit's RequestError shape: `status` (500 when no answer came), and the answer if one did. */
interface RequestErrorLike {
  status?: unknown;
  response?: { headers?: unknown; data?: unknown };
}

/** Octokit's error as a GitHubWriteError; a RetryLaterError (a blocked budget) passes through. */
export function toWriteError(what: string, err: unknown): GitHubWriteError | RetryLaterError {
  if (err instanceof RetryLaterError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as RequestErrorLike;
  const answered = e.response !== undefined;
  return new GitHubWriteError(
    what,
    {
      // Octokit reports network failures as status 500 without a response: keep "no answer".
      status: answered && typeof e.status === 'number' ? e.status : undefined,
      headers: normalizeHeaders(e.response?.headers),
      body: e.response?.data,
    },
    { cause: err },
  );
}

async function wrap(what: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    throw toWriteError(what, err);
  }
}

const NO_RETRY = { retries: 0 };

export function octokitWriter(octokit: Octokit): GitHubWriter {
  const rest = octokit.rest;
  return {
    createStatus: (s) =>
      wrap(`create status ${s.org}/${s.repo}@${s.sha} ${s.context}`, () =>
        rest.repos.createCommitStatus({
          owner: s.org,
          repo: s.repo,
          sha: s.sha,
          state: s.state,
          // Empty fields are left out, as Prow's github.Status does (`omitempty`).
          ...(s.context ? { context: s.context } : {}),
          ...(s.description ? { description: s.description } : {}),
          ...(s.target_url ? { target_url: s.target_url } : {}),
          request: NO_RETRY,
        }),
      ),
    createComment: (i, body) =>
      wrap(`create comment on ${i.org}/${i.repo}#${i.number}`, () =>
        rest.issues.createComment({
          owner: i.org,
          repo: i.repo,
          issue_number: i.number,
          body,
          request: NO_RETRY,
        }),
      ),
    editComment: (r, id, body) =>
      wrap(`edit comment ${r.org}/${r.repo} ${id}`, () =>
        rest.issues.updateComment({
          owner: r.org,
          repo: r.repo,
          comment_id: id,
          body,
          request: NO_RETRY,
        }),
      ),
    deleteComment: (r, id) =>
      wrap(`delete comment ${r.org}/${r.repo} ${id}`, () =>
        rest.issues.deleteComment({
          owner: r.org,
          repo: r.repo,
          comment_id: id,
          request: NO_RETRY,
        }),
      ),
    addLabel: (i, label) =>
      wrap(`add label ${label} to ${i.org}/${i.repo}#${i.number}`, () =>
        rest.issues.addLabels({
          owner: i.org,
          repo: i.repo,
          issue_number: i.number,
          labels: [label],
          request: NO_RETRY,
        }),
      ),
    removeLabel: (i, label) =>
      wrap(`remove label ${label} from ${i.org}/${i.repo}#${i.number}`, () =>
        rest.issues.removeLabel({
          owner: i.org,
          repo: i.repo,
          issue_number: i.number,
          name: label,
          request: NO_RETRY,
        }),
      ),
  };
}

const PER_PAGE = 100;

export function octokitReads(
  octokit: Octokit,
  botLogin: () => Promise<string>,
  cache = new EtagCache<IssueComment[]>(),
): GitHubReads & { cache: EtagCache<IssueComment[]> } {
  return {
    cache,
    botLogin,
    async listComments(i: IssueRef) {
      const out: IssueComment[] = [];
      for (let page = 1; ; page++) {
        const key = `${i.org}/${i.repo}#${i.number}@${page}`;
        const cached = cache.get(key);
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
          if (res.headers.etag) cache.set(key, { etag: res.headers.etag, data });
        } catch (err) {
          if (!(cached && (err as { status?: number }).status === 304)) {
            throw toWriteError(`list comments of ${i.org}/${i.repo}#${i.number}`, err);
          }
          cache.hits++;
          data = cached.data;
        }
        out.push(...data);
        if (data.length < PER_PAGE) return out;
      }
    },
    async latestStatuses(org, repo, sha) {
      const out = new Map<string, LatestStatus>();
      for (let page = 1; ; page++) {
        let statuses: {
          context: string;
          state: string;
          description: string | null;
          target_url: string | null;
        }[];
        try {
          const res = await octokit.rest.repos.getCombinedStatusForRef({
            owner: org,
            repo,
            ref: sha,
            per_page: PER_PAGE,
            page,
          });
          statuses = res.data.statuses;
        } catch (err) {
          throw toWriteError(`get statuses of ${org}/${repo}@${sha}`, err);
        }
        for (const s of statuses) {
          out.set(s.context, {
            state: s.state,
            description: s.description ?? '',
            target_url: s.target_url ?? '',
          });
        }
        if (statuses.length < PER_PAGE) return out;
      }
    },
  };
}
