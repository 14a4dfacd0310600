// A stateful fake GitHub REST API (Prow's fakeghserver idea) for the real @octokit/rest to talk to.
// Each route's operationId, docs URL, success status and body rules come from operations.json
// (taken from GitHub's REST description). Without a `validator` (the CLI's sandbox GitHub) bodies
// are not checked against GitHub's schemas; with one (@jetprow/testing passes GitHub's OpenAPI
// description) every request body and every response body the fake produces is checked: a bad
// request answers 422, a response that does not match is a bug in the fake and answers 500.
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { operationInfo, type OperationInfo } from './operations.js';
import {
  GitHubError,
  notFound,
  routes,
  type Call,
  type Problem,
  type Reply,
  type Route,
} from './routes.js';
import { appRoutes } from './app-routes.js';
import {
  FakeApps,
  JwtError,
  type FakeApp,
  type FakeAppSeed,
  type InstallationToken,
} from './apps.js';
import { FakeRateLimits, type RateLimitOptions } from './limits.js';
import { FakeGitHubState } from './state.js';

/** Schema checks for one operation. */
export interface OperationChecks {
  /** Problems with a request body (none when valid). */
  checkRequest(body: unknown): Problem[];
  /** Problems with a success response body (none when valid). */
  checkResponse(body: unknown): Problem[];
}

/** Request and response validation, e.g. against GitHub's OpenAPI description. */
export interface FakeGitHubValidator {
  /** The checks of GitHub's operation at `method` + `path`; called once per route, at creation. */
  operation(method: string, path: string): OperationChecks;
  /** The message of the 422 for a request body with these problems. */
  invalidRequestMessage(problems: Problem[], body: unknown): string;
  /** A short description of a response's problems, for the fake's 500. */
  describeProblems(problems: Problem[]): string;
}

export interface FakeGitHubOptions extends RateLimitOptions {
  /** The state to serve (default: a new, empty one). */
  state?: FakeGitHubState;
  /** token -> login. Without it any token is accepted and acts as `login`. */
  tokens?: Record<string, string>;
  /** The user behind every token when `tokens` is not given (default 'jetprow-bot'). */
  login?: string;
  /** Answer 422 "No commit found for SHA" for a status on a sha the state does not know. */
  strictShas?: boolean;
  /** GitHub Apps: their JWTs are checked against `publicKey`; installation tokens are minted. */
  apps?: FakeAppSeed[];
  /**
   * Checks request and response bodies against GitHub's schemas. Without it bodies are not
   * validated: malformed JSON still answers 400 and a missing required body 422.
   */
  validator?: FakeGitHubValidator;
  /** Port to listen on, 127.0.0.1 (default 0: any free port). */
  port?: number;
  /**
   * Runs before every write (POST/PATCH/DELETE, not `/app` endpoints) once the caller is
   * authenticated; a returned Response is sent instead, e.g. a 500.
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
  /** Rate-limit bookkeeping: accepted writes and refusals, per identity. */
  limits: FakeRateLimits;
  /** The GitHub Apps and the installation tokens they minted. */
  apps: FakeApps;
  close(): Promise<void>;
}

type Env = {
  Variables: {
    login: string;
    app: FakeApp | undefined;
    installation: InstallationToken | undefined;
  };
};

const DOCS = 'https://docs.github.com/rest';

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

/** An operation as mounted: its table entry and, when the fake validates, its checks. */
interface Mounted {
  info: OperationInfo;
  validation?: { checks: OperationChecks; validator: FakeGitHubValidator };
}

/** GitHub's answer to a required body that is missing (or `null`). */
const MISSING_BODY = "Invalid request.\n\nFor 'links/0/schema', nil is not an object.";

async function readBody(c: Context, op: Mounted, route: Route): Promise<unknown> {
  const text = await c.req.text();
  if (!text.trim() && !op.info.bodyRequired) return undefined;
  let body: unknown = null;
  try {
    if (text.trim()) body = JSON.parse(text);
  } catch {
    throw new GitHubError(400, 'Problems parsing JSON');
  }
  if (!op.validation) {
    if (body === null) throw new GitHubError(422, MISSING_BODY);
    return body;
  }
  const { checks, validator } = op.validation;
  const errors = checks.checkRequest(body);
  if (errors.length === 0) return body;
  throw (
    route.invalidBody?.(errors) ??
    new GitHubError(422, validator.invalidRequestMessage(errors, body))
  );
}

/** Checks the reply (when validating), then sends it (a GET with an ETag, or 304 on a match). */
function respond(c: Context, op: Mounted, reply: Reply): Response {
  const problems = op.validation?.checks.checkResponse(reply.body) ?? [];
  if (op.validation && problems.length > 0) {
    const why = op.validation.validator.describeProblems(problems);
    const id = op.info.operationId;
    return json(500, {
      message: `fake GitHub bug: its ${id} response does not match GitHub's schema: ${why}`,
    });
  }
  const { status } = op.info;
  if (status === 204) return new Response(null, { status: 204, headers: reply.headers });
  const headers = { ...reply.headers };
  if (c.req.method === 'GET') {
    const hash = createHash('sha256').update(JSON.stringify(reply.body)).digest('hex');
    headers.etag = `W/"${hash.slice(0, 32)}"`;
    if (c.req.header('if-none-match') === headers.etag) {
      return new Response(null, { status: 304, headers: { etag: headers.etag } });
    }
  }
  return json(status, reply.body, headers);
}

function mount(api: Hono<Env>, route: Route, state: FakeGitHubState, opts: FakeGitHubOptions) {
  const { validator } = opts;
  const op: Mounted = {
    info: operationInfo(route.method, route.path),
    validation: validator && { checks: validator.operation(route.method, route.path), validator },
  };
  // A ref may hold slashes (heads/feature/x); other params arrive with %2F decoded by hono.
  const path = route.path.replace(/\{(\w+)\}/g, (_, p: string) =>
    p === 'ref' ? ':ref{.+}' : `:${p}`,
  );
  api.on(route.method, path, async (c) => {
    try {
      if (route.method !== 'GET' && !route.path.startsWith('/app')) {
        const early = await opts.beforeWrite?.(c, op.info.operationId);
        if (early) return early;
      }
      const body = op.info.hasBody ? await readBody(c, op, route) : undefined;
      const url = new URL(c.req.url);
      const prefix = url.pathname.startsWith('/api/v3/') ? '/api/v3' : '';
      const param = (name: string) => c.req.param(name) ?? '';
      const call: Call = {
        param,
        query: (name) => c.req.query(name),
        body,
        login: c.get('login'),
        app: c.get('app'),
        installation: c.get('installation'),
        now: Date.now(),
        bases: { api: url.origin + prefix, web: url.origin },
        repo() {
          const repo = state.repo(param('owner'), param('repo'));
          if (!repo) throw notFound();
          return repo;
        },
        issue(repo) {
          const issue = repo.issues.get(Number(param('issue_number')));
          if (!issue) throw notFound();
          return issue;
        },
        page: (items) => paginate(c, items),
      };
      return respond(c, op, route.handle(call));
    } catch (e) {
      if (e instanceof GitHubError) return json(e.status, errorBody(e, op.info.docsUrl));
      throw e;
    }
  });
}

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.';

/** Who is calling: a token's user, an App (JWT, on `/app` endpoints) or an App installation. */
type Caller =
  | { login: string; identity: string; app?: FakeApp; installation?: InstallationToken }
  | { error: string };

function identify(
  credential: string,
  path: string,
  now: number,
  opts: FakeGitHubOptions,
  apps: FakeApps,
): Caller {
  if (path === '/app' || path.startsWith('/app/')) {
    try {
      const app = apps.verifyJwt(credential, now);
      return { login: `${app.slug}[bot]`, identity: `app:${app.id}`, app };
    } catch (e) {
      if (e instanceof JwtError) return { error: e.message };
      throw e;
    }
  }
  if (apps.size > 0 && credential.startsWith('ghs_')) {
    const t = apps.token(credential, now);
    if (!t) return { error: 'Bad credentials' };
    return {
      login: `${t.app.slug}[bot]`,
      identity: `installation:${t.installation}`,
      installation: t,
    };
  }
  const login = opts.tokens ? opts.tokens[credential] : (opts.login ?? 'jetprow-bot');
  return login ? { login, identity: `token:${credential}` } : { error: 'Bad credentials' };
}

/** Authentication (`token x` or `Bearer x`, App JWTs and installation tokens) and rate limits. */
function authenticate(
  state: FakeGitHubState,
  opts: FakeGitHubOptions,
  apps: FakeApps,
  limits: FakeRateLimits,
) {
  return async (c: Context<Env>, next: () => Promise<void>) => {
    const auth = c.req.header('authorization') ?? '';
    const credential = /^(?:token|bearer)\s+(\S+)$/i.exec(auth)?.[1];
    if (!credential)
      return json(401, errorBody(new GitHubError(401, 'Requires authentication'), DOCS));
    const now = Date.now();
    const path = new URL(c.req.url).pathname.replace(/^\/api\/v3(?=\/)/, '');
    const caller = identify(credential, path, now, opts, apps);
    if ('error' in caller) return json(401, errorBody(new GitHubError(401, caller.error), DOCS));
    c.set('login', caller.login);
    c.set('app', caller.app);
    c.set('installation', caller.installation);
    const req = { at: now, identity: caller.identity, method: c.req.method, path };
    if (limits.primaryExceeded(req)) {
      const user = state.user(caller.login);
      const message = `API rate limit exceeded for user ID ${user.id}.`;
      const docs = `${DOCS}/overview/rate-limits-for-the-rest-api`;
      return json(
        403,
        errorBody(new GitHubError(403, message), docs),
        limits.headers(caller.identity, now),
      );
    }
    if (WRITE_METHODS.has(c.req.method) && !caller.app) {
      const retryAfter = limits.admitWrite(req);
      if (retryAfter !== undefined) {
        const docs = `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`;
        return json(403, errorBody(new GitHubError(403, SECONDARY_MESSAGE), docs), {
          ...limits.headers(caller.identity, now),
          'retry-after': String(retryAfter),
        });
      }
    }
    await next();
    // As on GitHub, a 304 answer to a conditional request does not count.
    if (c.res.status !== 304) limits.count(caller.identity, Date.now());
    for (const [k, v] of Object.entries(limits.headers(caller.identity, Date.now()))) {
      c.res.headers.set(k, v);
    }
  };
}

/** Every route the fake mounts (GitHub's method and path), e.g. to build operations.json. */
export function fakeGitHubRoutes(): { method: Route['method']; path: string }[] {
  const state = new FakeGitHubState();
  return [...routes(state, {}), ...appRoutes(state, new FakeApps())].map(({ method, path }) => ({
    method,
    path,
  }));
}

/**
 * The fake as a hono app: serve it, or call `app.request()` in tests. A `validator` is asked for
 * every route's checks here (GitHub's OpenAPI validator compiles them then), so no request pays
 * for it.
 */
export function createFakeGitHubApp(opts: FakeGitHubOptions = {}): {
  app: Hono<Env>;
  state: FakeGitHubState;
  limits: FakeRateLimits;
  apps: FakeApps;
} {
  const state = opts.state ?? new FakeGitHubState();
  const apps = new FakeApps(opts.apps);
  const limits = new FakeRateLimits(opts);
  const api = new Hono<Env>();
  for (const route of [...routes(state, opts), ...appRoutes(state, apps)]) {
    mount(api, route, state, opts);
  }
  const app = new Hono<Env>();
  app.use('*', authenticate(state, opts, apps, limits));
  app.route('/api/v3', api);
  app.route('/', api);
  app.notFound(() => json(404, { message: 'Not Found', documentation_url: DOCS, status: '404' }));
  app.onError((err) => json(500, { message: `fake GitHub: ${err.message}` }));
  return { app, state, limits, apps };
}

/** Serves the fake on 127.0.0.1, on a free port. */
export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const { app, state, limits, apps } = createFakeGitHubApp(opts);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: opts.port ?? 0 }, () =>
      resolve(s as Server),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    limits,
    apps,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
