// The fake as the CLI's sandbox serves it: no validator, so no GitHub OpenAPI description.
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeSha, startFakeGitHub, type FakeGitHub } from './index.js';

const owner = 'kubernetes';
const repo = 'test-infra';
const head = fakeSha('pr-7-head');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let gh: FakeGitHub | undefined;

afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

describe('unvalidated fake GitHub', () => {
  it('serves a seeded pull request and takes a status for its head', async () => {
    gh = await startFakeGitHub({ login: 'sandbox-bot' });
    gh.state.addPullRequest({ owner, repo, number: 7, title: 'Try it', head: { sha: head } });
    const octokit = new Octokit({ auth: 'x', baseUrl: gh.url, log: silent });

    const pr = await octokit.rest.pulls.get({ owner, repo, pull_number: 7 });
    expect(pr.data).toMatchObject({ number: 7, title: 'Try it', head: { sha: head } });

    const created = await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: head,
      state: 'success',
      context: 'pull-unit',
    });
    expect(created.status).toBe(201);
    expect(created.data.creator?.login).toBe('sandbox-bot');
    const combined = await octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: head });
    expect(combined.data).toMatchObject({ state: 'success', total_count: 1 });
  });

  it('answers 400 to malformed JSON and 422 to a missing required body', async () => {
    gh = await startFakeGitHub();
    gh.state.addRepo(owner, repo);
    const statuses = `${gh.url}/repos/${owner}/${repo}/statuses/${head}`;
    const post = (body: string) =>
      fetch(statuses, {
        method: 'POST',
        headers: { authorization: 'token x', 'content-type': 'application/json' },
        body,
      });
    expect((await post('{')).status).toBe(400);
    const missing = await post('');
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { message: string }).message).toMatch(/^Invalid request/);
  });
});
