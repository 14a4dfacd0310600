import { describe, expect, it } from 'vitest';
import { isAppEndpoint, requestOrg, requestPath, type RequestTarget } from './request-org.js';

describe('requestOrg (whose App installation authorizes a request)', () => {
  const cases: { name: string; target: RequestTarget; want: string | undefined }[] = [
    {
      name: 'owner parameter',
      target: { url: '/repos/{owner}/{repo}/statuses/{sha}', owner: 'acme' },
      want: 'acme',
    },
    {
      name: 'org parameter',
      target: { url: '/orgs/{org}/members/{username}', org: 'kubernetes' },
      want: 'kubernetes',
    },
    {
      name: 'expanded repo path',
      target: { url: '/repos/acme/widgets/issues/1/comments' },
      want: 'acme',
    },
    {
      name: 'GHES prefix and full URL',
      target: { url: 'https://ghe.example.com/api/v3/orgs/acme/members' },
      want: 'acme',
    },
    { name: 'no account: GET /user', target: { url: '/user' }, want: undefined },
    {
      name: 'a search scoped by request.org',
      target: { url: '/search/issues', request: { org: 'acme' } },
      want: 'acme',
    },
  ];
  for (const tc of cases) it(tc.name, () => expect(requestOrg(tc.target)).toBe(tc.want));
});

describe('isAppEndpoint (called with the JWT)', () => {
  const cases = [
    { url: '/app', want: true },
    { url: '/app/installations/{installation_id}/access_tokens', want: true },
    { url: 'http://127.0.0.1:9/api/v3/app/installations?per_page=100', want: true },
    { url: '/apps/some-app', want: false },
    { url: '/repos/{owner}/{repo}', want: false },
  ];
  for (const tc of cases) {
    it(`${tc.url} → ${tc.want}`, () => expect(isAppEndpoint(tc.url)).toBe(tc.want));
  }
  it('requestPath strips host, /api/v3 and query', () => {
    expect(requestPath('https://h/api/v3/repos/a/b?x=1')).toBe('/repos/a/b');
  });
});
