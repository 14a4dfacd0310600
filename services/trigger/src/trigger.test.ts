// trigger's rules, each case named after the Prow behaviour it pins, against a real nats-server +
// KV JobStore and config loaded by the real loader. GitHub reads come from a small in-memory
// reader implementing trigger's narrow interface.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, silentLog, type Bus } from '@jetprow/bus';
import { loadConfig, type LoadedConfig } from '@jetprow/config';
import { normalizeEvent } from '@jetprow/core';
import type { PullRequestInfo } from '@jetprow/github';
import type { ProwJob } from '@jetprow/schemas';
import { KvJobStore } from '@jetprow/store';
import { startNats, type NatsHarness } from '@jetprow/testing';
import type { TriggerClient } from './context.js';
import { dispatchEvent } from './dispatch.js';
import { plugins } from './plugins/index.js';
import { collectingResponder } from './responder.js';

const JOBS = `
presubmits:
  o/r:
  - name: unit
    always_run: true
    spec: {containers: [{image: x, command: ["true"]}]}
  - name: docs
    run_if_changed: '^docs/'
    spec: {containers: [{image: x, command: ["true"]}]}
  - name: e2e
    optional: true
    spec: {containers: [{image: x, command: ["true"]}]}
  - name: release-only
    always_run: true
    branches: [^release$]
    spec: {containers: [{image: x, command: ["true"]}]}
postsubmits:
  o/r:
  - name: post-build
    branches: [^main$]
    spec: {containers: [{image: x, command: ["true"]}]}
  - name: post-docs
    run_if_changed: '^docs/'
    spec: {containers: [{image: x, command: ["true"]}]}
`;

function config(pluginsYaml = 'plugins:\n  o:\n    plugins: [trigger]\n'): LoadedConfig {
  const dir = mkdtempSync(join(tmpdir(), 'trigger-test-'));
  writeFileSync(join(dir, 'config.yaml'), 'prowjob_namespace: prow\n');
  writeFileSync(join(dir, 'jobs.yaml'), JOBS);
  writeFileSync(join(dir, 'plugins.yaml'), pluginsYaml);
  const r = loadConfig({ configPath: join(dir, 'config.yaml'), jobConfigPath: join(dir, 'jobs.yaml'), pluginConfigPath: join(dir, 'plugins.yaml') });
  if (!r.ok) throw new Error(r.errors.map(String).join('\n'));
  return r.config;
}

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);

class FakeReader {
  members = new Set(['member']);
  collaborators = new Set(['collab']);
  pr: PullRequestInfo = {
    number: 7, state: 'open', draft: false, merged: false, mergeable: true, title: 'T', author: 'member',
    author_link: '', head_sha: HEAD, head_ref: 'feature', base_ref: 'main', base_sha: BASE,
    html_url: 'https://github.com/o/r/pull/7', repo_link: 'https://github.com/o/r', labels: [],
  };
  files = ['src/a.go'];
  statuses = new Map<string, string>();
  reads = { files: 0 };
  async isMember(_org: string, user: string) { return this.members.has(user); }
  async isCollaborator(_o: string, _r: string, user: string) { return this.collaborators.has(user); }
  async getPullRequest() { return structuredClone(this.pr); }
  async getRef() { return BASE; }
  async getCombinedStatus() { return new Map(this.statuses); }
  async getPullRequestChanges() { this.reads.files++; return [...this.files]; }
  async botLogin() { return 'bot'; }
}

let nats: NatsHarness;
let bus: Bus;
let store: KvJobStore;
let gh: FakeReader;
let responder: ReturnType<typeof collectingResponder>;
let cfg: LoadedConfig;
let seq = 0;

beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'trigger-test');
  store = await KvJobStore.open(bus.js);
});
afterAll(async () => {
  await bus.close();
  await nats.stop();
});
beforeEach(() => {
  gh = new FakeReader();
  responder = collectingResponder();
  cfg = config();
});

const client = (): TriggerClient => ({ store, github: gh, responder, getConfig: () => cfg, log: silentLog, now: () => new Date('2026-01-01T00:00:00Z') });

function commentEvent(body: string, opts: { author?: string; action?: string; state?: string; isPR?: boolean; delivery?: string } = {}) {
  return normalizeEvent('issue_comment', opts.delivery ?? `d-${++seq}`, {
    action: opts.action ?? 'created',
    issue: { number: 7, state: opts.state ?? 'open', user: { login: gh.pr.author }, ...(opts.isPR === false ? {} : { pull_request: { url: 'x' } }) },
    comment: { id: 1, body, user: { login: opts.author ?? 'member' }, html_url: 'https://github.com/o/r/pull/7#c1' },
    repository: { name: 'r', owner: { login: 'o' } },
    sender: { login: opts.author ?? 'member' },
  }, new Date());
}

function prEvent(action: string, extra: Record<string, unknown> = {}, pr: Partial<{ author: string; draft: boolean; labels: string[]; head: string }> = {}) {
  return normalizeEvent('pull_request', `d-${++seq}`, {
    action,
    number: 7,
    pull_request: {
      number: 7, state: 'open', draft: pr.draft ?? false, title: 'T', user: { login: pr.author ?? 'member' },
      head: { sha: pr.head ?? HEAD, ref: 'feature' }, base: { ref: 'main', sha: BASE },
      html_url: 'https://github.com/o/r/pull/7', labels: (pr.labels ?? []).map((name) => ({ name })),
    },
    repository: { name: 'r', owner: { login: 'o' } },
    sender: { login: 'someone' },
    ...extra,
  }, new Date());
}

async function run(ev: ReturnType<typeof normalizeEvent>): Promise<ProwJob[]> {
  const res = await dispatchEvent(client(), plugins, ev, false);
  const names = res.flatMap((r) => r.created);
  const jobs = await Promise.all(names.map((n) => store.get(n)));
  return jobs.filter((j): j is ProwJob => j !== undefined);
}
const jobNames = (jobs: ProwJob[]) => jobs.map((j) => j.spec.job).sort();

describe('comment commands (generic-comment.go)', () => {
  const cases: { name: string; body: string; setup?: () => void; want: string[] }[] = [
    { name: '/test all runs always_run jobs and run_if_changed jobs whose files changed', body: '/test all', want: ['unit'] },
    { name: '/test all evaluates run_if_changed against the PR files', body: '/test all', setup: () => (gh.files = ['docs/x.md']), want: ['docs', 'unit'] },
    { name: '/test <job> forces a job that needs an explicit trigger', body: '/test e2e', want: ['e2e'] },
    { name: '/test <job> forces run_if_changed jobs whatever changed', body: '/test docs', want: ['docs'] },
    { name: 'several commands in one comment are a union', body: 'please\n/test e2e\n/test docs', want: ['docs', 'e2e'] },
    { name: '/test <job> still honours branches', body: '/test release-only', want: [] },
    { name: '/retest reruns failed contexts and automatic jobs with no status yet', body: '/retest', setup: () => { gh.statuses.set('e2e', 'failure'); gh.statuses.set('unit', 'success'); }, want: ['e2e'] },
    { name: '/retest-required skips optional jobs', body: '/retest-required', setup: () => { gh.statuses.set('e2e', 'failure'); gh.statuses.set('unit', 'error'); }, want: ['unit'] },
    { name: '/test-manual-required runs required jobs that need an explicit trigger', body: '/test-manual-required', want: [] },
    { name: 'commands inside code blocks never trigger', body: '```\n/test all\n```', want: [] },
    { name: 'a collaborator is trusted on an untrusted PR', body: '/test e2e', setup: () => (gh.pr.author = 'stranger'), want: ['e2e'] },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      tc.setup?.();
      expect(jobNames(await run(commentEvent(tc.body, tc.name.includes('collaborator') ? { author: 'collab' } : {})))).toEqual(tc.want);
    });
  }

  it('/retest labels its jobs prow.k8s.io/retest=true', async () => {
    gh.statuses.set('unit', 'failure');
    const [job] = await run(commentEvent('/retest'));
    expect(job?.metadata.labels?.['prow.k8s.io/retest']).toBe('true');
  });

  const ignored: { name: string; ev: () => ReturnType<typeof normalizeEvent> }[] = [
    { name: 'edited comments never trigger', ev: () => commentEvent('/test all', { action: 'edited' }) },
    { name: 'comments on closed PRs never trigger', ev: () => commentEvent('/test all', { state: 'closed' }) },
    { name: 'comments on issues never trigger', ev: () => commentEvent('/test all', { isPR: false }) },
    { name: "the bot's own comments never trigger", ev: () => commentEvent('/test all', { author: 'bot' }) },
  ];
  for (const tc of ignored) {
    it(tc.name, async () => {
      expect(await run(tc.ev())).toEqual([]);
      expect(responder.intents).toEqual([]);
    });
  }

  it('an untrusted user on an untrusted PR gets the ok-to-test reply and no jobs', async () => {
    gh.pr.author = 'stranger';
    expect(await run(commentEvent('/test all', { author: 'stranger' }))).toEqual([]);
    expect(responder.intents).toHaveLength(1);
    expect(responder.intents[0]).toMatchObject({ kind: 'comment', number: 7 });
    expect((responder.intents[0] as { body: string }).body).toContain('Cannot trigger testing until a trusted user reviews the PR and leaves an `/ok-to-test` message.');
  });

  it('anyone may /test on a PR whose author is trusted', async () => {
    expect(jobNames(await run(commentEvent('/test all', { author: 'stranger' })))).toEqual(['unit']);
  });

  it('an untrusted user may /test a PR labelled ok-to-test', async () => {
    gh.pr.author = 'stranger';
    gh.pr.labels = ['ok-to-test'];
    expect(jobNames(await run(commentEvent('/test all', { author: 'stranger' })))).toEqual(['unit']);
  });

  it('only_org_members does not trust collaborators', async () => {
    cfg = config('plugins:\n  o:\n    plugins: [trigger]\ntriggers:\n- repos: [o]\n  only_org_members: true\n');
    gh.pr.author = 'collab';
    expect(await run(commentEvent('/test all', { author: 'collab' }))).toEqual([]);
  });

  it('/test with no target answers with the help comment', async () => {
    expect(await run(commentEvent('/test'))).toEqual([]);
    const body = (responder.intents[0] as { body: string }).body;
    expect(body).toContain('The `/test` command needs one or more targets.');
    expect(body).toContain('/test e2e');
  });

  it('/test <unknown> says the target was not found', async () => {
    await run(commentEvent('/test nope'));
    expect((responder.intents[0] as { body: string }).body).toContain('The specified target(s) for `/test` were not found.');
  });

  it('/ok-to-test from a trusted user labels the PR and runs /test all', async () => {
    gh.pr.author = 'stranger';
    gh.pr.labels = ['needs-ok-to-test'];
    expect(jobNames(await run(commentEvent('/ok-to-test')))).toEqual(['unit']);
    expect(responder.intents.map((i) => `${i.kind}:${'label' in i ? i.label : ''}`)).toEqual(['add-label:ok-to-test', 'remove-label:needs-ok-to-test']);
  });

  it('a PR GitHub reports as unmergeable gets no jobs', async () => {
    gh.pr.mergeable = false;
    expect(await run(commentEvent('/test all'))).toEqual([]);
  });

  it('the same delivery consumed twice creates nothing new', async () => {
    const ev = commentEvent('/test all', { delivery: 'same-guid' });
    const first = await run(ev);
    const before = (await store.list()).length;
    const second = await run(ev);
    expect(second.map((j) => j.metadata.name)).toEqual(first.map((j) => j.metadata.name));
    expect((await store.list()).length).toBe(before);
  });

  it('ProwJobs carry Prow labels, refs with the base SHA from GitHub, and the config namespace', async () => {
    const [job] = await run(commentEvent('/test all', { delivery: 'guid-labels' }));
    expect(job!.metadata.namespace).toBe('prow');
    expect(job!.metadata.labels).toMatchObject({
      'created-by-prow': 'true', 'prow.k8s.io/job': 'unit', 'prow.k8s.io/type': 'presubmit',
      'prow.k8s.io/refs.org': 'o', 'prow.k8s.io/refs.repo': 'r', 'prow.k8s.io/refs.pull': '7',
      'event-GUID': 'guid-labels', 'prow.k8s.io/is-optional': 'false',
    });
    expect(job!.spec.refs).toMatchObject({ base_ref: 'main', base_sha: BASE, pulls: [{ number: 7, sha: HEAD, author: 'member' }] });
    expect(job!.status.state).toBe('triggered');
  });

  it('repos without the trigger plugin are ignored', async () => {
    cfg = config('plugins:\n  other:\n    plugins: [trigger]\n');
    expect(await run(commentEvent('/test all'))).toEqual([]);
  });
});

describe('pull_request events (pull-request.go)', () => {
  it('opened by a trusted author runs all', async () => {
    expect(jobNames(await run(prEvent('opened')))).toEqual(['unit']);
  });
  it('opened as a draft runs nothing and says why', async () => {
    expect(await run(prEvent('opened', {}, { draft: true }))).toEqual([]);
    expect((responder.intents[0] as { body: string }).body).toContain('Skipping CI for Draft Pull Request');
  });
  it('opened by an untrusted author: welcome comment and needs-ok-to-test, no jobs', async () => {
    expect(await run(prEvent('opened', {}, { author: 'stranger' }))).toEqual([]);
    expect(responder.intents.map((i) => i.kind)).toEqual(['comment', 'add-label']);
  });
  it('synchronize aborts the unfinished presubmits of the PR, then runs all', async () => {
    const old = await run(prEvent('opened'));
    const fresh = await run(prEvent('synchronize', { before: HEAD, after: 'c'.repeat(40) }, { head: 'c'.repeat(40) }));
    expect(jobNames(fresh)).toEqual(['unit']);
    const oldNow = await store.get(old[0]!.metadata.name);
    expect(oldNow?.status).toMatchObject({ state: 'aborted', description: 'Aborted by trigger plugin.' });
    expect((await store.get(fresh[0]!.metadata.name))?.status.state).toBe('triggered');
  });
  it('closed aborts unfinished presubmits', async () => {
    const [j] = await run(prEvent('opened', {}, { head: 'd'.repeat(40) }));
    await run(prEvent('closed'));
    expect((await store.get(j!.metadata.name))?.status.state).toBe('aborted');
  });
  it('edited without a base change does nothing; with one, runs all', async () => {
    expect(await run(prEvent('edited', { changes: { title: { from: 'x' } } }))).toEqual([]);
    expect(jobNames(await run(prEvent('edited', { changes: { base: { ref: { from: 'old' } } } })))).toEqual(['unit']);
  });
  it('labeled lgtm on an untrusted PR runs all once', async () => {
    expect(jobNames(await run(prEvent('labeled', { label: { name: 'lgtm' } }, { author: 'stranger' })))).toEqual(['unit']);
  });
});

describe('push events (push.go)', () => {
  const push = (ref: string, extra: Record<string, unknown> = {}) =>
    normalizeEvent('push', `d-${++seq}`, {
      ref, before: BASE, after: HEAD, deleted: false, compare: 'https://github.com/o/r/compare/x',
      commits: [{ added: ['docs/a.md'], removed: [], modified: [] }],
      repository: { name: 'r', owner: { login: 'o', name: 'o' }, html_url: 'https://github.com/o/r' },
      pusher: { name: 'member' }, ...extra,
    }, new Date());

  it('a push to main runs matching postsubmits', async () => {
    const jobs = await run(push('refs/heads/main'));
    expect(jobNames(jobs)).toEqual(['post-build', 'post-docs']);
    expect(jobs[0]!.spec.refs).toMatchObject({ base_ref: 'main', base_sha: HEAD });
    expect(jobs[0]!.spec.type).toBe('postsubmit');
  });
  it('branch deletions are ignored', async () => {
    expect(await run(push('refs/heads/main', { deleted: true, after: '0'.repeat(40) }))).toEqual([]);
  });
});
