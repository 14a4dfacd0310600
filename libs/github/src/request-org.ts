// Which account (organization or user) a REST request concerns: the one whose GitHub App
// installation must authorize it. Octokit hands request hooks the route template and its
// parameters (`/repos/{owner}/{repo}/…` with `owner`), or an already expanded path.

export interface RequestTarget {
  /** The route template or path, e.g. `/repos/{owner}/{repo}/statuses/{sha}` or `/orgs/acme/…`. */
  url?: string;
  owner?: unknown;
  org?: unknown;
  /**
   * Octokit's request options: `request: { org }` names the account for a request whose path
   * names none (a search scoped to an org: Prow's FindIssuesWithOrg), so an App can authorize it.
   */
  request?: { org?: unknown };
}

const PATH_ACCOUNT = /^\/(?:repos|orgs)\/([^/{}?]+)/;

export function requestOrg(target: RequestTarget): string | undefined {
  if (typeof target.owner === 'string' && target.owner) return target.owner;
  if (typeof target.org === 'string' && target.org) return target.org;
  if (typeof target.request?.org === 'string' && target.request.org) return target.request.org;
  const m = PATH_ACCOUNT.exec(requestPath(target.url));
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** The request's path without scheme, host, a GHES `/api/v3` prefix or query. */
export function requestPath(url: string | undefined): string {
  return (url ?? '')
    .replace(/^https?:\/\/[^/]+/, '')
    .replace(/^\/api\/v3(?=\/)/, '')
    .replace(/\?.*$/, '');
}

/** GitHub App endpoints (`/app`, `/app/…`) are called as the app itself, with its JWT. */
export function isAppEndpoint(url: string | undefined): boolean {
  const path = requestPath(url);
  return path === '/app' || path.startsWith('/app/');
}
