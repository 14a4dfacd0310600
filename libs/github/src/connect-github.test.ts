// connectGitHub against the fake GitHub (OpenAPI-validated): token and GitHub App auth,
// installation tokens per org renewed before they expire, retries and the request observer.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeSha, startFakeGitHub, type FakeGitHub } from '@jetprow/testing';
import { AppNotInstalledError } from './app-auth.js';
import { connectGitHub } from './connect-github.js';
import type { ObservedRequest } from './client.js';
import type { RateLimitInfo } from './rate-limit.js';

const dir = mkdtempSync(join(tmpdir(), 'jetprow-github-'));
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyPath = join(dir, 'app.pem');
writeFileSync(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }));
const tokenPath = join(dir, 'token');
writeFileSync(tokenPath, 'personal-token\n');

let gh: FakeGitHub;
let failNext = 0;
beforeAll(async () => {
  gh = await startFakeGitHub({
    apps: [
      {
        id: 31,
        slug: 'jetprow-ci',
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        installations: [
          { id: 501, account: 'acme' },
          { id: 502, account: 'globex' },
        ],
      },
      {
        id: 32,
        slug: 'short-lived',
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        installations: [{ id: 601, account: 'acme' }],
        tokenTtlMs: 3000,
      },
    ],
    beforeWrite: () => {
      if (failNext <= 0) return undefined;
      failNext--;
      return Response.json({ message: 'Server Error' }, { status: 502 });
    },
  });
  for (const org of ['acme', 'globex', 'initech']) {
    gh.state.addOrgMember(org, 'alice');
    gh.state.addPullRequest({
      owner: org,
      repo: 'widgets',
      number: 1,
      head: { sha: fakeSha(org) },
    });
  }
});
afterAll(() => gh.close());

const comment = (
  c: { octokit: ReturnType<typeof connectGitHub>['octokit'] },
  org: string,
  retries?: number,
) =>
  c.octokit.rest.issues.createComment({
    owner: org,
    repo: 'widgets',
    issue_number: 1,
    body: 'hello',
    ...(retries === undefined ? {} : { request: { retries } }),
  });

describe('connectGitHub', () => {
  it('with a token: every request carries it, and the bot is the token user', async () => {
    const c = connectGitHub({ baseUrl: gh.url, writePacing: 'external', tokenPath });
    expect(c.auth.kind).toBe('token');
    const { data } = await comment(c, 'acme');
    expect(data.user?.login).toBe('jetprow-bot');
    expect(await c.botLogin()).toBe('jetprow-bot');
    expect(c.auth.budget('acme')).toBe(c.auth.budget('globex'));
  });

  it('as a GitHub App: one installation token per org, comments signed <slug>[bot]', async () => {
    const c = connectGitHub({
      baseUrl: gh.url,
      writePacing: 'external',
      appId: '31',
      appPrivateKeyPath: keyPath,
    });
    expect(c.auth.kind).toBe('app');
    const before = gh.apps.minted.length;
    expect((await comment(c, 'acme')).data.user?.login).toBe('jetprow-ci[bot]');
    expect((await comment(c, 'globex')).data.user?.login).toBe('jetprow-ci[bot]');
    await comment(c, 'acme');
    const minted = gh.apps.minted.slice(before).map((t) => t.installation);
    expect(minted).toEqual([501, 502]);
    expect(await c.botLogin()).toBe('jetprow-ci[bot]');
    expect(c.auth.budget('acme')).not.toBe(c.auth.budget('globex'));
    // Reads need the installation too.
    const { data: pr } = await c.octokit.rest.pulls.get({
      owner: 'globex',
      repo: 'widgets',
      pull_number: 1,
    });
    expect(pr.number).toBe(1);
  });

  it('renews an installation token before it expires', async () => {
    const c = connectGitHub({
      baseUrl: gh.url,
      writePacing: 'external', // plugin-throttling would space comments 3 s apart
      appId: '32',
      appPrivateKeyPath: keyPath,
      appTokenRefreshBeforeMs: 1500,
    });
    const before = gh.apps.minted.length;
    await comment(c, 'acme');
    await comment(c, 'acme'); // more than 1.5 s left (GitHub's expires_at has whole seconds)
    expect(gh.apps.minted.length - before).toBe(1);
    await new Promise((r) => setTimeout(r, 1700)); // 1.3 s or less left: renewed, never expired
    await comment(c, 'acme');
    expect(gh.apps.minted.length - before).toBe(2);
  });

  it('an org without the App installed cannot be authorized', async () => {
    const c = connectGitHub({
      baseUrl: gh.url,
      writePacing: 'external',
      appId: '31',
      appPrivateKeyPath: keyPath,
    });
    await expect(comment(c, 'initech')).rejects.toBeInstanceOf(AppNotInstalledError);
  });

  it('retries 5xx in process (unless the request opts out) and shows every answer to the observer', async () => {
    const seen: { req: ObservedRequest; status: number; rateLimit: RateLimitInfo }[] = [];
    const c = connectGitHub({
      baseUrl: gh.url,
      writePacing: 'external', // plugin-throttling would space comments 3 s apart
      tokenPath,
      retryBaseMs: 20,
      observer: { answered: (req, a) => seen.push({ req, ...a }) },
    });
    failNext = 1;
    await comment(c, 'acme');
    expect(seen.map((s) => s.status)).toEqual([502, 201]);
    expect(seen[1]!.req).toMatchObject({
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      org: 'acme',
      budget: c.auth.budget('acme'),
    });
    expect(seen[1]!.rateLimit).toMatchObject({ limit: 5000, resource: 'core' });
    failNext = 1;
    await expect(comment(c, 'acme', 0)).rejects.toMatchObject({ status: 502 });
  });
});
