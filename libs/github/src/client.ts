// Octokit as every jetprow service builds it: the real @octokit/rest with
// - per-request authorization (a token, or a GitHub App's installation token for the request's
//   org: see auth.ts, app-auth.ts), set on every attempt;
// - @octokit/plugin-retry: 5xx and network failures retried in process with back-off (a request
//   may opt out with `request: { retries: 0 }`, as reporter's writes do: they retry through the
//   bus, paced);
// - @octokit/plugin-throttling: rate-limit answers (primary, secondary) waited out in process
//   when GitHub asks for a short wait, else failed to the caller; its own per-process write
//   pacing can be handed to the caller (`writePacing: 'external'`, reporter's shared budget);
// - an observer that sees each request before it goes and the rate-limit headers of each answer.
import { Octokit } from '@octokit/rest';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { retry } from '@octokit/plugin-retry';
import { readFileSync } from 'node:fs';
import { anonymousAuth, tokenAuth, type GitHubAuth } from './auth.js';
import { rateLimitFromHeaders, type RateLimitInfo } from './rate-limit.js';
import { requestOrg, requestPath } from './request-org.js';

export interface ObservedRequest {
  method: string;
  /** Route template or path, e.g. `/repos/{owner}/{repo}/statuses/{sha}`. */
  path: string;
  org?: string;
  /** The budget it spends (GitHubAuth.budget). */
  budget: string;
}

export interface RequestObserver {
  /** Runs before every attempt; may wait (a blocked budget) or throw (the request fails). */
  before?(req: ObservedRequest): Promise<void>;
  /** Every answer GitHub gave (any status), with its rate-limit headers. */
  answered?(req: ObservedRequest, answer: { status: number; rateLimit: RateLimitInfo }): void;
}

export interface GitHubClientOptions {
  /** API base URL (Prow's --github-endpoint), e.g. https://api.github.com or http://127.0.0.1:PORT */
  baseUrl: string;
  /** A personal access token (shorthand for `auth: tokenAuth(token)`). */
  token?: string;
  auth?: GitHubAuth;
  userAgent?: string;
  /** In-process retries of 5xx answers and network failures (default 2: after 1 s, then 4 s). */
  retries?: number;
  /** The retry back-off unit: retry n waits n² units (default 1000 ms; tests shorten it). */
  retryBaseMs?: number;
  /**
   * Rate-limit waits GitHub asks for up to this long are waited in process and the request is
   * tried once more; longer waits fail the request (default 60 s; 0 never waits).
   */
  maxRateLimitWaitMs?: number;
  /**
   * 'per-process' (default): plugin-throttling spaces writes 1 s apart per process, as GitHub
   * advises. 'external': the caller paces writes (reporter's budget shared by its replicas).
   */
  writePacing?: 'per-process' | 'external';
  observer?: RequestObserver;
  now?: () => number;
}

export function readToken(path: string): string {
  const token = readFileSync(path, 'utf8').trim();
  if (!token) throw new Error(`GitHub token file ${path} is empty`);
  return token;
}

/** True when the request failed with this HTTP status (Octokit's RequestError carries `status`). */
export function hasStatus(err: unknown, status: number): boolean {
  return typeof err === 'object' && err !== null && (err as { status?: number }).status === status;
}

interface JetprowPluginOptions {
  auth: GitHubAuth;
  observer?: RequestObserver;
  now: () => number;
}

type Plugin = Parameters<typeof Octokit.plugin>[0];

/** Authorization and observation, innermost of the plugins: it runs for every retried attempt. */
const authorizeAndObserve: Plugin = (octokit, options) => {
  const j = (options as { jetprow?: JetprowPluginOptions }).jetprow;
  if (!j) return {};
  octokit.hook.wrap('request', async (request, opts) => {
    const org = requestOrg(opts as Parameters<typeof requestOrg>[0]);
    const req: ObservedRequest = {
      method: opts.method,
      path: requestPath(opts.url),
      budget: j.auth.budget(org),
      ...(org === undefined ? {} : { org }),
    };
    await j.observer?.before?.(req);
    const authorization = await j.auth.authorization({ url: opts.url, org });
    if (authorization) opts.headers.authorization = authorization;
    try {
      const res = await request(opts);
      j.observer?.answered?.(req, {
        status: res.status,
        rateLimit: rateLimitFromHeaders(res.headers as Record<string, string>, j.now()),
      });
      return res;
    } catch (err) {
      const e = err as { status?: number; response?: { headers?: Record<string, string> } };
      if (e.response && typeof e.status === 'number') {
        j.observer?.answered?.(req, {
          status: e.status,
          rateLimit: rateLimitFromHeaders(e.response.headers ?? {}, j.now()),
        });
        if (e.status === 401) j.auth.invalidate(org);
      }
      throw err;
    }
  });
  return {};
};

const JetprowOctokit = Octokit.plugin(authorizeAndObserve, throttling, retry);

type Group = NonNullable<ThrottlingOptions['write']>;
/** A Bottleneck group that runs jobs at once: pacing is done elsewhere. */
const UNPACED = {
  key: () => ({
    schedule: (_opts: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      job(...args),
  }),
} as unknown as Group;

let instances = 0;

export function createOctokit(opts: GitHubClientOptions): Octokit {
  const now = opts.now ?? Date.now;
  const auth = opts.auth ?? (opts.token ? tokenAuth(opts.token) : anonymousAuth());
  const maxWaitMs = opts.maxRateLimitWaitMs ?? 60_000;
  const retryInProcess = (retryAfterS: number, _o: unknown, _k: unknown, retryCount: number) =>
    retryCount < 1 && retryAfterS * 1000 <= maxWaitMs;
  return new JetprowOctokit({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    userAgent: opts.userAgent ?? 'jetprow',
    request: { timeout: 10_000 },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    jetprow: { auth, observer: opts.observer, now } satisfies JetprowPluginOptions,
    retry: {
      retries: opts.retries ?? 2,
      retryAfterBaseValue: opts.retryBaseMs ?? 1000,
      // Rate limits are plugin-throttling's business (429 included), not blind retries.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      id: `jetprow-${++instances}`,
      onRateLimit: retryInProcess,
      onSecondaryRateLimit: retryInProcess,
      ...(opts.writePacing === 'external' ? { write: UNPACED, notifications: UNPACED } : {}),
    },
  });
}
