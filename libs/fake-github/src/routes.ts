// The GitHub REST operations the fake implements, on its state. Paths are GitHub's exactly; a
// handler returns only the success body (its status is the one GitHub's REST description declares,
// see operations.json) or throws a GitHubError. Request bodies are parsed JSON; they arrive valid
// against GitHub's schema only when the fake runs with a validator (as in tests).
import * as render from './render.js';
import type { FakeGitHubState, Issue, Repo, StatusState } from './state.js';
import type { FakeApp, InstallationToken } from './apps.js';

/**
 * One problem a validator found in a body: the fields of a JSON Schema validator's error object
 * that the fake reads, so this package depends on no validator.
 */
export interface Problem {
  /** The schema keyword that failed, e.g. 'required', 'type', 'enum'. */
  keyword: string;
  /** JSON pointer to the offending value, '' for the body itself, e.g. '/state'. */
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A GitHub error answer: `{message, ...extra, documentation_url, status}`. */
export class GitHubError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

export const notFound = () => new GitHubError(404, 'Not Found');

/** GitHub's model-level 422, e.g. for a status `state` it does not know. */
const validationFailed = (resource: string, field: string, message: string) =>
  new GitHubError(422, 'Validation Failed', {
    errors: [{ resource, code: 'custom', field, message }],
  });

/** One request, as a handler sees it. */
export interface Call {
  param(name: string): string;
  query(name: string): string | undefined;
  /** The JSON request body (valid against GitHub's schema when the fake validates). */
  body: unknown;
  /** The authenticated user (`<slug>[bot]` for an App or its installation). */
  login: string;
  /** The App, when it authenticated with its JWT (only on `/app` endpoints). */
  app?: FakeApp;
  /** The installation token, when the caller used one. */
  installation?: InstallationToken;
  /** Request time, epoch ms. */
  now: number;
  bases: render.Bases;
  /** The repo named by {owner}/{repo}, or 404. */
  repo(): Repo;
  /** The issue (or pull request) named by {issue_number}, or 404. */
  issue(repo: Repo): Issue;
  /** One page of `items` per `per_page`/`page`, with GitHub's `link` header. */
  page(items: unknown[]): Reply;
}

/** A success answer. */
export interface Reply {
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** GitHub's path, exactly as in its REST description. */
  path: string;
  handle(call: Call): Reply;
  /** GitHub's own answer to some schema violations (default: 422 "Invalid request."). */
  invalidBody?(errors: Problem[]): GitHubError | undefined;
}

export interface RouteOptions {
  /** Answer 422 "No commit found for SHA" for a status on a sha the state does not know. */
  strictShas?: boolean;
}

export function routes(state: FakeGitHubState, opts: RouteOptions): Route[] {
  const pull = (c: Call, repo: Repo) => {
    const issue = repo.issues.get(Number(c.param('pull_number')));
    if (!issue?.pull) throw notFound();
    return { issue, pr: issue.pull };
  };
  const comment = (c: Call, repo: Repo) => {
    const found = state.comment(repo, Number(c.param('comment_id')));
    if (!found) throw notFound();
    return found;
  };
  const labels = (c: Call, repo: Repo, issue: Issue) =>
    state.labels(repo, issue).map((l) => render.label(c.bases, repo, l));

  return [
    {
      method: 'GET',
      path: '/user',
      handle(c) {
        // An installation token is not a user: GitHub refuses it here (use GET /app for the slug).
        if (c.installation) throw new GitHubError(403, 'Resource not accessible by integration');
        return { body: render.publicUser(c.bases, state.user(c.login)) };
      },
    },
    {
      method: 'POST',
      path: '/repos/{owner}/{repo}/statuses/{sha}',
      invalidBody: (errors) =>
        errors.some((e) => e.instancePath === '/state')
          ? validationFailed('Status', 'state', 'state is not included in the list')
          : undefined,
      handle(c) {
        const repo = c.repo();
        const sha = c.param('sha');
        if (opts.strictShas && !state.knowsSha(repo, sha)) {
          throw new GitHubError(422, `No commit found for SHA: ${sha}`);
        }
        const b = c.body as {
          state: StatusState;
          context?: string;
          description?: string | null;
          target_url?: string | null;
        };
        if ((b.description ?? '').length > 140) {
          const message = 'description is too long (maximum is 140 characters)';
          throw validationFailed('Status', 'description', message);
        }
        const status = state.createStatus(repo, sha, {
          state: b.state,
          context: b.context ?? 'default',
          description: b.description ?? null,
          targetUrl: b.target_url ?? null,
          creator: c.login,
        });
        const body = render.status(c.bases, state, repo, status);
        return { body, headers: { location: body.url } };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/commits/{ref}/statuses',
      handle(c) {
        const repo = c.repo();
        const statuses = state.statuses(repo, state.resolveRef(repo, c.param('ref')));
        return c.page(statuses.map((s) => render.status(c.bases, state, repo, s)));
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/commits/{ref}/status',
      handle(c) {
        const repo = c.repo();
        const sha = state.resolveRef(repo, c.param('ref'));
        return { body: render.combinedStatus(c.bases, state, repo, sha) };
      },
    },
    {
      method: 'GET',
      path: '/orgs/{org}/members/{username}',
      handle(c) {
        if (!state.isOrg(c.param('org'))) throw notFound();
        if (!state.isOrgMember(c.param('org'), c.param('username'))) {
          throw new GitHubError(404, 'User does not exist or is not a member of the organization');
        }
        return {};
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/collaborators/{username}',
      handle(c) {
        if (!state.isCollaborator(c.repo(), c.param('username'))) throw notFound();
        return {};
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/pulls/{pull_number}',
      handle(c) {
        const repo = c.repo();
        return { body: render.pullRequest(c.bases, state, repo, pull(c, repo).issue) };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/pulls/{pull_number}/files',
      handle(c) {
        const repo = c.repo();
        const { pr } = pull(c, repo);
        return c.page(pr.files.map((f) => render.diffEntry(c.bases, repo, pr.head.sha, f)));
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/git/ref/{ref}',
      handle(c) {
        const repo = c.repo();
        const ref = c.param('ref');
        const branch = ref.startsWith('heads/') ? ref.slice('heads/'.length) : undefined;
        const sha = branch === undefined ? undefined : repo.branches.get(branch);
        if (!sha) throw notFound();
        return { body: render.gitRef(c.bases, repo, ref, sha) };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      handle(c) {
        const repo = c.repo();
        const since = Date.parse(c.query('since') ?? '');
        const comments = state
          .comments(repo, c.issue(repo).number)
          .filter((x) => Number.isNaN(since) || Date.parse(x.updatedAt) >= since);
        return c.page(comments.map((x) => render.issueComment(c.bases, state, x)));
      },
    },
    {
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      handle(c) {
        const repo = c.repo();
        const { body } = c.body as { body: string };
        const created = state.createComment(repo, c.issue(repo).number, body, c.login);
        const json = render.issueComment(c.bases, state, created);
        return { body: json, headers: { location: json.url } };
      },
    },
    {
      method: 'PATCH',
      path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      handle(c) {
        const repo = c.repo();
        const edited = state.editComment(comment(c, repo), (c.body as { body: string }).body);
        return { body: render.issueComment(c.bases, state, edited) };
      },
    },
    {
      method: 'DELETE',
      path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      handle(c) {
        state.deleteComment(comment(c, c.repo()));
        return {};
      },
    },
    {
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
      handle(c) {
        const repo = c.repo();
        const issue = c.issue(repo);
        const { labels: wanted = [] } = c.body as { labels?: (string | { name: string })[] };
        state.addLabels(
          repo,
          issue,
          wanted.map((l) => (typeof l === 'string' ? l : l.name)),
        );
        return { body: labels(c, repo, issue) };
      },
    },
    {
      method: 'DELETE',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
      handle(c) {
        const repo = c.repo();
        const issue = c.issue(repo);
        if (!state.removeLabel(repo, issue, c.param('name'))) {
          throw new GitHubError(404, 'Label does not exist');
        }
        return { body: labels(c, repo, issue) };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
      handle(c) {
        const repo = c.repo();
        return c.page(labels(c, repo, c.issue(repo)));
      },
    },
  ];
}
