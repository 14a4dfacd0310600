// The fake GitHub, driven only through the real @octokit/rest as production code drives GitHub.
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFakeGitHubApp,
  fakeSha,
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
} from './index.js';

const owner = 'kubernetes';
const repo = 'test-infra';
const head = fakeSha('pr-12-head');
const main = fakeSha('main');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let gh: FakeGitHub | undefined;

async function start(opts: FakeGitHubOptions = {}) {
  gh = await startFakeGitHub(opts);
  const { state } = gh;
  state.addOrgMember(owner, 'alice');
  state.addCollaborator(owner, repo, 'bob');
  state.setBranch(owner, repo, 'main', main);
  state.setBranch(owner, repo, 'release/v1', fakeSha('release'));
  state.addPullRequest({
    owner,
    repo,
    number: 12,
    title: 'Fix the flake',
    user: 'carol',
    head: { sha: head, ref: 'fix-flake' },
    labels: ['lgtm'],
    files: ['a.go', 'b.go', 'c.go', 'd.go', 'e.go'].map((filename) => ({
      filename,
      additions: 2,
      deletions: 1,
    })),
  });
  return { gh, octokit: new Octokit({ auth: 'x', baseUrl: gh.url, log: silent }) };
}

afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

describe('fake GitHub', () => {
  it('stores statuses newest first and combines the latest per context', async () => {
    const { gh, octokit } = await start();
    const ref = { owner, repo, sha: head, context: 'pull-unit' };
    await octokit.rest.repos.createCommitStatus({ ...ref, state: 'pending', description: 'run' });
    const created = await octokit.rest.repos.createCommitStatus({
      ...ref,
      state: 'success',
      target_url: 'https://prow.example/1',
    });
    expect(created.status).toBe(201);
    expect(created.data.creator?.login).toBe('jetprow-bot');

    const target = { owner, repo, ref: head };
    const { data: list } = await octokit.rest.repos.listCommitStatusesForRef(target);
    expect(list.map((s) => `${s.context}:${s.state}`)).toEqual([
      'pull-unit:success',
      'pull-unit:pending',
    ]);

    const { data: combined } = await octokit.rest.repos.getCombinedStatusForRef(target);
    expect(combined).toMatchObject({ state: 'success', sha: head, total_count: 1 });
    expect(combined.statuses[0]).toMatchObject({
      context: 'pull-unit',
      target_url: 'https://prow.example/1',
    });
    expect(gh.state.log).toEqual([
      `status ${owner}/${repo}@${head} pull-unit=pending`,
      `status ${owner}/${repo}@${head} pull-unit=success`,
    ]);
  });

  it('rejects an invalid status state as GitHub does, and changes nothing', async () => {
    const { gh, octokit } = await start();
    const passed = { owner, repo, sha: head, state: 'passed' as 'success' };
    await expect(octokit.rest.repos.createCommitStatus(passed)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('state is not included in the list'),
      response: { data: { message: 'Validation Failed', errors: [{ field: 'state' }] } },
    });
    expect(gh.state.log).toEqual([]);
  });

  it('answers schema violations with 422 "Invalid request" and bad JSON with 400', async () => {
    const { octokit } = await start();
    // A plain string route keeps octokit's types out of it: these requests are wrong on purpose.
    const route: string = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
    const target = { owner, repo, issue_number: 12 };
    await expect(octokit.request(route, { ...target, data: {} })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining(`Invalid request.\n\n"body" wasn't supplied.`),
    });
    await expect(octokit.request(route, { ...target, body: 42 })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining(`For 'properties/body', 42 is not a string.`),
    });
    await expect(octokit.request(route, { ...target, data: '{oops' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('Problems parsing JSON'),
    });
  });

  it('refuses unknown shas only when asked to', async () => {
    const { octokit } = await start({ strictShas: true });
    const unknown = fakeSha('nowhere');
    await expect(
      octokit.rest.repos.createCommitStatus({ owner, repo, sha: unknown, state: 'pending' }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining(`No commit found for SHA: ${unknown}`),
    });
    const ok = await octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: head,
      state: 'pending',
    });
    expect(ok.status).toBe(201);
  });

  it('checks org membership and collaborators with 204 or 404', async () => {
    const { octokit } = await start();
    const member = await octokit.rest.orgs.checkMembershipForUser({
      org: owner,
      username: 'alice',
    });
    expect(member.status).toBe(204);
    await expect(
      octokit.rest.orgs.checkMembershipForUser({ org: owner, username: 'mallory' }),
    ).rejects.toMatchObject({ status: 404 });
    const collaborator = await octokit.rest.repos.checkCollaborator({
      owner,
      repo,
      username: 'bob',
    });
    expect(collaborator.status).toBe(204);
    await expect(
      octokit.rest.repos.checkCollaborator({ owner, repo, username: 'mallory' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('serves a pull request and pages through its files', async () => {
    const { octokit } = await start();
    const { data: pr } = await octokit.rest.pulls.get({ owner, repo, pull_number: 12 });
    expect(pr).toMatchObject({
      number: 12,
      state: 'open',
      draft: false,
      mergeable: true,
      title: 'Fix the flake',
      user: { login: 'carol' },
      head: { sha: head, ref: 'fix-flake' },
      base: { sha: main, ref: 'main' },
      changed_files: 5,
      additions: 10,
    });
    expect(pr.labels.map((l) => l.name)).toEqual(['lgtm']);
    await expect(octokit.rest.pulls.get({ owner, repo, pull_number: 99 })).rejects.toMatchObject({
      status: 404,
    });

    const files = { owner, repo, pull_number: 12, per_page: 2 };
    const first = await octokit.rest.pulls.listFiles(files);
    expect(first.data.map((f) => f.filename)).toEqual(['a.go', 'b.go']);
    expect(first.headers.link).toMatch(/page=2>; rel="next".*page=3>; rel="last"/);
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, files);
    expect(all.map((f) => f.filename)).toEqual(['a.go', 'b.go', 'c.go', 'd.go', 'e.go']);
  });

  it('resolves branch refs, slashes included', async () => {
    const { octokit } = await start();
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' });
    expect(data).toMatchObject({ ref: 'refs/heads/main', object: { type: 'commit', sha: main } });
    const release = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/release/v1' });
    expect(release.data.object.sha).toBe(fakeSha('release'));
    const missing = octokit.rest.git.getRef({ owner, repo, ref: 'heads/nope' });
    await expect(missing).rejects.toMatchObject({ status: 404 });
  });

  it('creates, lists (with ETag and 304), edits and deletes comments', async () => {
    const { gh, octokit } = await start();
    const issue = { owner, repo, issue_number: 12 };
    const { data: created } = await octokit.rest.issues.createComment({
      ...issue,
      body: '/test all',
    });
    expect(created).toMatchObject({ body: '/test all', user: { login: 'jetprow-bot' } });

    const listed = await octokit.rest.issues.listComments(issue);
    expect(listed.data.map((c) => c.body)).toEqual(['/test all']);
    const etag = listed.headers.etag ?? '';
    await expect(
      octokit.rest.issues.listComments({ ...issue, headers: { 'if-none-match': etag } }),
    ).rejects.toMatchObject({ status: 304 });

    const comment = { owner, repo, comment_id: created.id };
    const edit = { ...comment, body: 'edited' };
    const { data: edited } = await octokit.rest.issues.updateComment(edit);
    expect(edited.body).toBe('edited');
    const relisted = await octokit.rest.issues.listComments({
      ...issue,
      headers: { 'if-none-match': etag },
    });
    expect(relisted.data.map((c) => c.body)).toEqual(['edited']);

    const deleted = await octokit.rest.issues.deleteComment(comment);
    expect(deleted.status).toBe(204);
    expect((await octokit.rest.issues.listComments(issue)).data).toEqual([]);
    await expect(octokit.rest.issues.deleteComment(comment)).rejects.toMatchObject({ status: 404 });
    const logged = `comment ${owner}/${repo}#12`;
    expect(gh.state.log).toEqual(
      ['create', 'edit', 'delete'].map((what) => `${logged} ${what} ${created.id}`),
    );
  });

  it('adds, lists and removes labels, slashes included', async () => {
    const { gh, octokit } = await start();
    const issue = { owner, repo, issue_number: 12 };
    const { data: added } = await octokit.rest.issues.addLabels({
      ...issue,
      labels: ['needs-ok-to-test', 'do-not-merge/hold'],
    });
    expect(added.map((l) => l.name)).toEqual(['lgtm', 'needs-ok-to-test', 'do-not-merge/hold']);
    const hold = { ...issue, name: 'do-not-merge/hold' };
    const { data: left } = await octokit.rest.issues.removeLabel(hold);
    expect(left.map((l) => l.name)).toEqual(['lgtm', 'needs-ok-to-test']);
    const { data: listed } = await octokit.rest.issues.listLabelsOnIssue(issue);
    expect(listed.map((l) => l.name)).toEqual(['lgtm', 'needs-ok-to-test']);
    const absent = octokit.rest.issues.removeLabel({ ...issue, name: 'nope' });
    await expect(absent).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('Label does not exist'),
    });
    const logged = `label ${owner}/${repo}#12`;
    expect(gh.state.log).toEqual([
      `${logged} +needs-ok-to-test`,
      `${logged} +do-not-merge/hold`,
      `${logged} -do-not-merge/hold`,
    ]);
  });

  it('answers under the GHES prefix /api/v3 with GHES URLs', async () => {
    const { gh } = await start();
    const ghes = new Octokit({ auth: 'x', baseUrl: `${gh.url}/api/v3`, log: silent });
    const { data: user } = await ghes.rest.users.getAuthenticated();
    expect(user).toMatchObject({ login: 'jetprow-bot', url: `${gh.url}/api/v3/users/jetprow-bot` });
    const { data: pr } = await ghes.rest.pulls.get({ owner, repo, pull_number: 12 });
    expect(pr.url).toBe(`${gh.url}/api/v3/repos/${owner}/${repo}/pulls/12`);
  });

  it('requires authentication and a known token', async () => {
    const { gh } = await start({ tokens: { 'good-token': 'hook-bot' } });
    const anonymous = new Octokit({ baseUrl: gh.url, log: silent });
    await expect(anonymous.rest.users.getAuthenticated()).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('Requires authentication'),
    });
    const wrong = new Octokit({ auth: 'bad-token', baseUrl: gh.url, log: silent });
    await expect(wrong.rest.users.getAuthenticated()).rejects.toMatchObject({ status: 401 });
    const good = new Octokit({ auth: 'good-token', baseUrl: gh.url, log: silent });
    expect((await good.rest.users.getAuthenticated()).data.login).toBe('hook-bot');
  });

  it('answers 404 Not Found on routes it does not implement', async () => {
    const { octokit } = await start();
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/hooks', { owner, repo }),
    ).rejects.toMatchObject({ status: 404, response: { data: { message: 'Not Found' } } });
  });

  it('counts requests per token in rate-limit headers, not 304s, then refuses', async () => {
    const { octokit } = await start({ rateLimit: 2 });
    const first = await octokit.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: 12 });
    expect(first.headers).toMatchObject({
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'core',
    });
    expect(Number(first.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    const conditional = {
      owner,
      repo,
      issue_number: 12,
      headers: { 'if-none-match': first.headers.etag ?? '' },
    };
    await expect(octokit.rest.issues.listLabelsOnIssue(conditional)).rejects.toMatchObject({
      status: 304,
      response: { headers: { 'x-ratelimit-remaining': '1' } },
    });
    const second = await octokit.rest.users.getAuthenticated();
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    await expect(octokit.rest.users.getAuthenticated()).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('API rate limit exceeded'),
    });
  });

  it('lets a beforeWrite hook refuse writes, e.g. a secondary rate limit', async () => {
    const { gh, octokit } = await start({
      beforeWrite: () =>
        new Response(JSON.stringify({ message: 'You have exceeded a secondary rate limit.' }), {
          status: 403,
          headers: { 'content-type': 'application/json', 'retry-after': '60' },
        }),
    });
    await expect(
      octokit.rest.issues.createComment({ owner, repo, issue_number: 12, body: 'hi' }),
    ).rejects.toMatchObject({ status: 403, response: { headers: { 'retry-after': '60' } } });
    expect(gh.state.log).toEqual([]);
    const reads = await octokit.rest.issues.listComments({ owner, repo, issue_number: 12 });
    expect(reads.status).toBe(200);
  });

  it('answers 500 naming the operation when its own response breaks the schema', async () => {
    const { gh, octokit } = await start();
    gh.state.addPullRequest({
      owner,
      repo,
      number: 13,
      head: { sha: fakeSha('pr-13') },
      files: [{ filename: 'x.go', status: 'bogus' as 'added' }],
    });
    await expect(
      octokit.rest.pulls.listFiles({ owner, repo, pull_number: 13 }),
    ).rejects.toMatchObject({
      status: 500,
      message: expect.stringMatching(/fake GitHub bug: .*pulls\/list-files.*\/0\/status/),
    });
  });
});

describe('createFakeGitHubApp', () => {
  it('serves app.request() without a socket', async () => {
    const { app, state } = createFakeGitHubApp();
    state.addPullRequest({ owner, repo, number: 1, head: { sha: head } });
    const path = `/repos/${owner}/${repo}/pulls/1`;
    const res = await app.request(path, { headers: { authorization: 'token x' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ number: 1, url: `http://localhost${path}` });
  });
});
