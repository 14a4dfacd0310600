// How a request is authorized, and whose rate-limit budget it spends: one personal access token
// (one budget), a GitHub App (a token and a budget per installation, i.e. per org), or nothing.
import { createHash } from 'node:crypto';

export interface AuthTarget {
  /** Route template or path of the request. */
  url?: string;
  /** The organization or user the request concerns (see requestOrg). */
  org?: string;
}

export interface GitHubAuth {
  readonly kind: 'token' | 'app' | 'anonymous';
  /** The `authorization` header for a request; undefined sends none. */
  authorization(target: AuthTarget): Promise<string | undefined>;
  /**
   * The budget a request about `org` spends. GitHub counts limits per token, and for an App per
   * installation; the name is safe to show (metrics) and stable across processes.
   */
  budget(org: string | undefined): string;
  /** GitHub answered 401: forget cached credentials for `org` so the next request gets fresh ones. */
  invalidate(org: string | undefined): void;
}

/** A personal access token (Prow's `--github-token-path`). */
export function tokenAuth(token: string): GitHubAuth {
  const budget = `token-${createHash('sha256').update(token).digest('hex').slice(0, 8)}`;
  const header = `token ${token}`;
  return {
    kind: 'token',
    authorization: async () => header,
    budget: () => budget,
    invalidate() {},
  };
}

/** No credentials: GitHub's unauthenticated limits (60 requests an hour). */
export function anonymousAuth(): GitHubAuth {
  return {
    kind: 'anonymous',
    authorization: async () => undefined,
    budget: () => 'anonymous',
    invalidate() {},
  };
}
