// The fake's GitHub Apps and rate limits, driven through the real @octokit/rest.
import { Octokit } from '@octokit/rest';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSha, startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from './index.js';

const owner = 'acme';
const repo = 'widgets';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

async function start(opts: FakeGitHubOptions = {}) {
  gh = await startFakeGitHub(opts);
  gh.state.addOrgMember(owner, 'alice');
  gh.state.addPullRequest({ owner, repo, number: 1, head: { sha: fakeSha('head') } });
  return gh;
}

const client = (g: FakeGitHub, auth: string) => new Octokit({ auth, baseUrl: g.url, log: silent });

function jwt(appId: number, key = privateKey, nowS = Math.floor(Date.now() / 1000)): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iat: nowS - 60, exp: nowS + 540, iss: String(appId) })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`;
}

const comment = (o: Octokit) =>
  o.rest.issues.createComment({ owner, repo, issue_number: 1, body: 'hi' });

describe('fake GitHub rate limits', () => {
  it('refuses writes over a secondary limit with 403 and retry-after, then lets them through', async () => {
    const g = await start({ secondaryRateLimits: [{ writes: 3, windowMs: 1500 }] });
    const o = client(g, 'tok');
    for (let i = 0; i < 3; i++) await comment(o);
    const refused = await comment(o).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 403,
      message: expect.stringContaining('secondary rate limit'),
      response: { headers: { 'retry-after': expect.stringMatching(/^[12]$/) } },
    });
    // Reads are not content creation.
    await o.rest.issues.listComments({ owner, repo, issue_number: 1 });
    await new Promise((r) => setTimeout(r, 1600));
    await comment(o);
    expect(g.limits.refused.map((r) => r.kind)).toEqual(['secondary']);
    expect(g.limits.maxWritesInWindow(1500)).toBe(3);
    expect(g.state.comments(g.state.repo(owner, repo)!, 1)).toHaveLength(4);
  });

  it('spends the primary quota per token, resets it after the window, and 304s are free', async () => {
    const g = await start({ rateLimit: 2, rateLimitWindowMs: 1500 });
    const o = client(g, 'tok');
    const first = await o.rest.issues.listComments({ owner, repo, issue_number: 1 });
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    const notModified = await o.rest.issues
      .listComments({
        owner,
        repo,
        issue_number: 1,
        headers: { 'if-none-match': first.headers.etag },
      })
      .catch((e: unknown) => e);
    expect(notModified).toMatchObject({ status: 304 });
    const second = await o.rest.issues.listComments({ owner, repo, issue_number: 1 });
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    const refused = await o.rest.issues
      .listComments({ owner, repo, issue_number: 1 })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 403,
      message: expect.stringContaining('API rate limit exceeded'),
      response: {
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': expect.any(String) },
      },
    });
    // Another token has its own quota.
    await client(g, 'other').rest.issues.listComments({ owner, repo, issue_number: 1 });
    await new Promise((r) => setTimeout(r, 1600));
    await o.rest.issues.listComments({ owner, repo, issue_number: 1 });
    expect(g.limits.refused.map((r) => `${r.kind}:${r.identity}`)).toEqual(['primary:token:tok']);
  });
});

describe('fake GitHub Apps', () => {
  const app = {
    id: 4242,
    slug: 'jetprow-ci',
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    installations: [{ id: 77, account: owner }],
  };

  it('authenticates the app by its JWT, lists installations and mints installation tokens', async () => {
    const g = await start({ apps: [app] });
    const asApp = client(g, jwt(app.id));
    const { data: me } = await asApp.rest.apps.getAuthenticated();
    expect(me).toMatchObject({ id: 4242, slug: 'jetprow-ci' });
    const { data: installs } = await asApp.rest.apps.listInstallations();
    expect(
      installs.map((i) => [i.id, i.account && 'login' in i.account ? i.account.login : '']),
    ).toEqual([[77, owner]]);
    const { data: minted } = await asApp.rest.apps.createInstallationAccessToken({
      installation_id: 77,
    });
    expect(Date.parse(minted.expires_at)).toBeGreaterThan(Date.now() + 3500_000);

    const asInstallation = client(g, minted.token);
    const { data: created } = await comment(asInstallation);
    expect(created.user?.login).toBe('jetprow-ci[bot]');
    // An installation is not a user.
    await expect(asInstallation.rest.users.getAuthenticated()).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      asApp.rest.apps.createInstallationAccessToken({ installation_id: 78 }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it('refuses a JWT signed with another key, and an expired installation token', async () => {
    const g = await start({ apps: [{ ...app, tokenTtlMs: 200 }] });
    await expect(
      client(g, jwt(app.id, other.privateKey)).rest.apps.getAuthenticated(),
    ).rejects.toMatchObject({
      status: 401,
    });
    await expect(client(g, jwt(9999)).rest.apps.getAuthenticated()).rejects.toMatchObject({
      status: 401,
    });
    const { data: minted } = await client(g, jwt(app.id)).rest.apps.createInstallationAccessToken({
      installation_id: 77,
    });
    await comment(client(g, minted.token));
    await new Promise((r) => setTimeout(r, 300));
    await expect(comment(client(g, minted.token))).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    });
  });
});
