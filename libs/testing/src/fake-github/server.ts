// A stateful fake GitHub REST API (Prow's fakeghserver idea) for the real @octokit/rest to talk to.
// Every request body and every response body it produces is checked against GitHub's official
// REST description; a response that does not match is a bug in the fake and answers 500.
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { ErrorObject } from 'ajv';
import { describeErrors, invalidRequestMessage, operation, type Operation } from './openapi.js';
import * as render from './render.js';
import { FakeGitHubState, type Issue, type Repo, type StatusState } from './state.js';

export interface FakeGitHubOptions {
  /** The state to serve (default: a new, empty one). */
  state?: FakeGitHubState;
  /** token -> login. Without it any token is accepted and acts as `login`. */
  tokens?: Record<string, string>;
  /** The user behind every token when `tokens` is not given (default 'jetprow-bot'). */
  login?: string;
  /** Answer 422 "No commit found for SHA" for a status on a sha the state does not know. */
  strictShas?: boolean;
  /** Requests per token per hour before 403 "API rate limit exceeded" (default 5000, as GitHub). */
  rateLimit?: number;
  /**
   * Runs before every write (POST/PATCH/DELETE) once the caller is authenticated; a returned
   * Response is sent instead, e.g. a 403 with `retry-after` for a secondary rate limit.
   */
  beforeWrite?: (
    c: Context,
    operationId: string,
  ) => Response | undefined | Promise<Response | undefined>;
}

export interface FakeGitHub {
  /** The base URL for `new Octokit({ baseUrl })`; `${url}/api/v3` works too (GHES style). */
  url: string;
  state: FakeGitHubState;
  close(): Promise<void>;
}

type Env = { Variables: { login: string } };

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

const notFound = () => new GitHubError(404, 'Not Found');
const validationFailed = (resource: string, field: string, message: string) =>
  new GitHubError(422, 'Validation Failed', { errors: [{ resource, code: 'custom', field, message }] });

/** One request, as a route handler sees it. */
interface Call {
  param(name: string): string;
  query(name: string): string | undefined;
  /** The request body, already valid against the spec. */
  body: unknown;
  login: string;
  bases: render.Bases;
  /** The repo named by {owner}/{repo}, or 404. */
  repo(): Repo;
  /** The issue (or pull request) named by {issue_number}, or 404. */
  issue(repo: Repo): Issue;
  /** One page of `items` per `per_page`/`page`, with GitHub's `link` header. */
  page(items: unknown[]): Reply;
}

/** A success answer; its status is the one the spec declares for the operation. */
interface Reply {
  body?: unknown;
  headers?: Record<string, string>;
}

interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** GitHub's path, exactly as in the REST description. */
  path: string;
  handle(call: Call): Reply;
  /** A 422 of GitHub's own for some schema violations (default: "Invalid request."). */
  invalidBody?(errors: ErrorObject[]): GitHubError | undefined;
}

function routes(state: FakeGitHubState, opts: FakeGitHubOptions): Route[] {
  const pull = (c: Call, repo: Repo) => {
    const issue = repo.issues.get(Number(c.param('pull_number')));
    if (!issue?.pull) throw notFound();
    return { issue, pr: issue.pull };
  };
  const comment = (c: Call, repo: Repo) =>
    state.comment(repo, Number(c.param('comment_id'))) ?? throwing(notFound());
  const labels = (c: Call, repo: Repo, issue: Issue) =>
    state.labels(repo, issue).map((l) => render.label(c.bases, repo, l));

  return [
    { method: 'GET', path: '/user', handle: (c) => ({ body: render.publicUser(c.bases, state.user(c.login)) }) },
    {
      method: 'POST',
      path: '/repos/{owner}/{repo}/statuses/{sha}',
      // GitHub checks `state` in its model: a bad one is "Validation Failed", not "Invalid request".
      invalidBody: (errors) =>
        errors.some((e) => e.instancePath === '/state')
          ? validationFailed('Status', 'state', 'state is not included in the list')
          : undefined,
      handle(c) {
        const repo = c.repo();
        const sha = c.param('sha');
        if (opts.strictShas && !state.knowsSha(repo, sha))
          throw new GitHubError(422, `No commit found for SHA: ${sha}`);
        const b = c.body as { state: StatusState; context?: string; description?: string | null; target_url?: string | null };
        if ((b.description ?? '').length > 140)
          throw validationFailed('Status', 'description', 'description is too long (maximum is 140 characters)');
        const s = state.createStatus(repo, sha, {
          state: b.state,
          context: b.context ?? 'default',
          description: b.description ?? null,
          targetUrl: b.target_url ?? null,
          creator: c.login,
        });
        const body = render.status(c.bases, state, repo, s);
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
        if (!state.isOrgMember(c.param('org'), c.param('username')))
          throw new GitHubError(404, 'User does not exist or is not a member of the organization');
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
        const sha = ref.startsWith('heads/') ? repo.branches.get(ref.slice('heads/'.length)) : undefined;
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
        state.addLabels(repo, issue, wanted.map((l) => (typeof l === 'string' ? l : l.name)));
        return { body: labels(c, repo, issue) };
      },
    },
    {
      method: 'DELETE',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
      handle(c) {
        const repo = c.repo();
        const issue = c.issue(repo);
        if (!state.removeLabel(repo, issue, c.param('name')))
          throw new GitHubError(404, 'Label does not exist');
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

function throwing(e: Error): never {
  throw e;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });

const errorBody = (e: GitHubError, docs: string) => ({
  message: e.message,
  ...e.extra,
  documentation_url: docs,
  status: String(e.status),
});

function paginate(c: Context, items: unknown[]): Reply {
  const url = new URL(c.req.url);
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page')) || 30));
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    url.searchParams.set('page', String(p));
    return `<${url}>; rel="${rel}"`;
  };
  const links = [
    page > 1 ? link(page - 1, 'prev') : '',
    page < last ? link(page + 1, 'next') : '',
    page < last ? link(last, 'last') : '',
    page > 1 ? link(1, 'first') : '',
  ].filter(Boolean);
  const body = items.slice((page - 1) * perPage, page * perPage);
  return { body, headers: links.length ? { link: links.join(', ') } : {} };
}

async function readBody(c: Context, op: Operation, route: Route): Promise<unknown> {
  const text = await c.req.text();
  let body: unknown = null;
  try {
    if (text.trim()) body = JSON.parse(text);
  } catch {
    throw new GitHubError(400, 'Problems parsing JSON');
  }
  const errors = op.checkRequest(body);
  if (errors.length === 0) return body;
  throw route.invalidBody?.(errors) ?? new GitHubError(422, invalidRequestMessage(errors, body));
}

/** Checks the reply against the spec, then answers it (GETs with an ETag, and 304 on a match). */
function respond(c: Context, op: Operation, reply: Reply): Response {
  const problems = op.checkResponse(reply.body);
  if (problems.length > 0) {
    const message = `fake GitHub bug: its ${op.id} response does not match GitHub's schema: ${describeErrors(problems)}`;
    return json(500, { message });
  }
  if (op.status === 204) return new Response(null, { status: 204, headers: reply.headers });
  const headers = { ...reply.headers };
  if (c.req.method === 'GET') {
    const hash = createHash('sha256').update(JSON.stringify(reply.body)).digest('hex');
    headers.etag = `W/"${hash.slice(0, 32)}"`;
    if (c.req.header('if-none-match') === headers.etag)
      return new Response(null, { status: 304, headers: { etag: headers.etag } });
  }
  return json(op.status, reply.body, headers);
}

function mount(api: Hono<Env>, route: Route, state: FakeGitHubState, opts: FakeGitHubOptions) {
  const op = operation(route.method, route.path);
  // A ref may hold slashes (heads/feature/x); hono decodes %2F in the other params.
  const path = route.path.replace(/\{(\w+)\}/g, (_, p: string) => (p === 'ref' ? ':ref{.+}' : `:${p}`));
  api.on(route.method, path, async (c) => {
    try {
      if (route.method !== 'GET') {
        const early = await opts.beforeWrite?.(c, op.id);
        if (early) return early;
      }
      const body = op.hasBody ? await readBody(c, op, route) : undefined;
      const url = new URL(c.req.url);
      const prefix = url.pathname.startsWith('/api/v3/') ? '/api/v3' : '';
      const param = (name: string) => c.req.param(name) ?? '';
      const call: Call = {
        param,
        query: (name) => c.req.query(name),
        body,
        login: c.get('login'),
        bases: { api: url.origin + prefix, web: url.origin },
        repo: () => state.repo(param('owner'), param('repo')) ?? throwing(notFound()),
        issue: (repo) => repo.issues.get(Number(param('issue_number'))) ?? throwing(notFound()),
        page: (items) => paginate(c, items),
      };
      return respond(c, op, route.handle(call));
    } catch (e) {
      if (e instanceof GitHubError) return json(e.status, errorBody(e, op.docsUrl));
      throw e;
    }
  });
}

/** Authentication (`token x` or `Bearer x`) and GitHub's primary rate limit, per token. */
function authenticate(state: FakeGitHubState, opts: FakeGitHubOptions) {
  const limit = opts.rateLimit ?? 5000;
  const windows = new Map<string, { reset: number; used: number }>();
  return async (c: Context<Env>, next: () => Promise<void>) => {
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const login = token && (opts.tokens ? opts.tokens[token] : (opts.login ?? 'jetprow-bot'));
    if (!token || !login) {
      const message = token ? 'Bad credentials' : 'Requires authentication';
      return json(401, errorBody(new GitHubError(401, message), 'https://docs.github.com/rest'));
    }
    c.set('login', login);
    const now = Math.floor(Date.now() / 1000);
    let w = windows.get(token);
    if (!w || now >= w.reset) windows.set(token, (w = { reset: now + 3600, used: 0 }));
    const quota = (q: { reset: number; used: number }) => ({
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - q.used)),
      'x-ratelimit-reset': String(q.reset),
      'x-ratelimit-used': String(q.used),
      'x-ratelimit-resource': 'core',
    });
    if (w.used >= limit) {
      const message = `API rate limit exceeded for user ID ${state.user(login).id}.`;
      const docs = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
      return json(403, errorBody(new GitHubError(403, message), docs), quota(w));
    }
    await next();
    // As on GitHub, a 304 answer to a conditional request does not count.
    if (c.res.status !== 304) w.used++;
    for (const [k, v] of Object.entries(quota(w))) c.res.headers.set(k, v);
  };
}

/**
 * The fake as a hono app (use `app.request()` in tests, or serve it). Compiles the validators of
 * every route on first use in the process (about half a second), so a request never pays for it.
 */
export function createFakeGitHubApp(opts: FakeGitHubOptions = {}): {
  app: Hono<Env>;
  state: FakeGitHubState;
} {
  const state = opts.state ?? new FakeGitHubState();
  const api = new Hono<Env>();
  for (const route of routes(state, opts)) mount(api, route, state, opts);
  const app = new Hono<Env>();
  app.use('*', authenticate(state, opts));
  app.route('/api/v3', api);
  app.route('/', api);
  const docs = 'https://docs.github.com/rest';
  app.notFound(() => json(404, { message: 'Not Found', documentation_url: docs, status: '404' }));
  app.onError((err) => json(500, { message: `fake GitHub: ${err.message}` }));
  return { app, state };
}

/** Serves the fake on 127.0.0.1 on a free port. */
export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const { app, state } = createFakeGitHubApp(opts);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
