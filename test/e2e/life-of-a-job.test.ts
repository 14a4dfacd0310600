// The life of a job, end to end: the five services as separate processes (through the same CLI
// users run), a real nats-server, and the fake GitHub (OpenAPI-validated) as GitHub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { connectBus, freePort, type Bus } from '@jetprow/bus';
import { KvJobStore } from '@jetprow/store';
import {
  fakeSha,
  prCommentPayload,
  sendWebhook,
  spawnService,
  startFakeGitHub,
  startNats,
  type FakeGitHub,
  type NatsHarness,
  type ServiceProcess,
} from '@jetprow/testing';

const SECRET = 'e2e-secret';
const ORG = 'acme';
const REPO = 'widgets';
const HEAD = fakeSha('head-1');
const SLOW_HEAD = fakeSha('head-slow');
const UNTRUSTED_HEAD = fakeSha('head-untrusted');

let nats: NatsHarness;
let gh: FakeGitHub;
let bus: Bus;
let store: KvJobStore;
let dir: string;
let hookPort: number;
const procs = new Map<string, ServiceProcess>();
let common: string[];

const JOBS = `
presubmits:
  ${ORG}/${REPO}:
  - name: pull-widgets-unit
    always_run: true
    spec:
      containers:
      - image: alpine
        command: [sh, -c]
        args: ['echo "unit $JOB_NAME $PULL_NUMBER $PULL_PULL_SHA"; test "$REPO_OWNER/$REPO_NAME" = "${ORG}/${REPO}"']
  - name: pull-widgets-lint
    always_run: true
    spec:
      containers:
      - image: alpine
        command: [sh, -c, 'echo lint failed >&2; exit 3']
  - name: pull-widgets-slow
    spec:
      containers:
      - image: alpine
        command: [sh, -c, 'sleep 4; echo slow done']
`;

async function startService(name: string, extra: string[] = []): Promise<ServiceProcess> {
  const p = await spawnService(name, [...common, ...extra]);
  procs.set(name, p);
  await p.waitReady(60_000);
  return p;
}

beforeAll(async () => {
  nats = await startNats();
  gh = await startFakeGitHub();
  gh.state.addOrgMember(ORG, 'alice');
  gh.state.setBranch(ORG, REPO, 'main', fakeSha('main'));
  gh.state.addPullRequest({ owner: ORG, repo: REPO, number: 12, user: 'alice', head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' }, files: [{ filename: 'a.go' }] });
  gh.state.addPullRequest({ owner: ORG, repo: REPO, number: 13, user: 'alice', head: { sha: SLOW_HEAD, ref: 'slow' }, base: { ref: 'main' } });
  gh.state.addPullRequest({ owner: ORG, repo: REPO, number: 14, user: 'mallory', head: { sha: UNTRUSTED_HEAD, ref: 'evil' }, base: { ref: 'main' } });

  dir = mkdtempSync(join(tmpdir(), 'jetprow-e2e-'));
  writeFileSync(join(dir, 'config.yaml'), 'prowjob_namespace: default\nplank:\n  max_revivals: 3\n');
  writeFileSync(join(dir, 'jobs.yaml'), JOBS);
  writeFileSync(join(dir, 'plugins.yaml'), `plugins:\n  ${ORG}:\n    plugins: [trigger]\n`);
  writeFileSync(join(dir, 'hmac'), SECRET);
  writeFileSync(join(dir, 'token'), 'e2e-token\n');
  hookPort = await freePort();
  common = [
    `--nats-url=${nats.url}`,
    `--config-path=${join(dir, 'config.yaml')}`,
    `--job-config-path=${join(dir, 'jobs.yaml')}`,
    `--plugin-config=${join(dir, 'plugins.yaml')}`,
    `--github-endpoint=${gh.url}`,
    `--github-token-path=${join(dir, 'token')}`,
    `--dry-run=false`,
    `--data-dir=${join(dir, 'data')}`,
  ];
  await Promise.all([
    startService('hook', [`--port=${hookPort}`, `--hmac-secret-file=${join(dir, 'hmac')}`]),
    startService('trigger'),
    startService('plank'),
    startService('reporter'),
    startService('sinker'),
  ]);
  bus = await connectBus(nats.url, 'e2e-observer');
  store = await KvJobStore.open(bus.js);
}, 120_000);

afterAll(async () => {
  await Promise.all([...procs.values()].map((p) => p.kill('SIGTERM')));
  await bus?.close();
  await gh?.close();
  await nats?.stop();
});

const hookUrl = () => `http://127.0.0.1:${hookPort}/hook`;
const comment = (number: number, prAuthor: string, commenter: string, body: string) =>
  prCommentPayload({ org: ORG, repo: REPO, number, prAuthor, commenter, body });
const repoState = () => gh.state.repo(ORG, REPO)!;
const statuses = (sha: string) => gh.state.statuses(repoState(), sha).map((s) => `${s.context}:${s.state}`);
const jobsForPull = async (n: number) => (await store.list({ 'prow.k8s.io/refs.pull': String(n) }));

function diagnose(): string {
  return [...procs.values()].map((p) => `--- ${p.name}\n${p.output().slice(-3000)}`).join('\n');
}

describe('life of a job', { timeout: 150_000 }, () => {
  it('a signed /test all from an org member runs the jobs and reports pending, then success / failure', async () => {
    const res = await sendWebhook(hookUrl(), SECRET, 'issue_comment', comment(12, 'alice', 'alice', '/test all'));
    expect(res.status).toBe(200);
    expect(res.body).toBe('Event received. Have a nice day.');

    try {
      await expect
        .poll(async () => (await jobsForPull(12)).map((j) => `${j.spec.job}:${j.status.state}`).sort(), { timeout: 60_000, interval: 250 })
        .toEqual(['pull-widgets-lint:failure', 'pull-widgets-unit:success']);
      await expect
        .poll(() => statuses(HEAD).sort(), { timeout: 30_000, interval: 250 })
        .toEqual(expect.arrayContaining(['pull-widgets-unit:success', 'pull-widgets-lint:failure']));
    } catch (err) {
      throw new Error(`${String(err)}\n${diagnose()}`);
    }
    // Newest first per context: the final state was preceded by a pending one.
    const all = gh.state.statuses(repoState(), HEAD);
    for (const ctx of ['pull-widgets-unit', 'pull-widgets-lint']) {
      const states = all.filter((s) => s.context === ctx).map((s) => s.state).reverse();
      expect(states[0]).toBe('pending');
      expect(states.at(-1)).toBe(ctx.endsWith('unit') ? 'success' : 'failure');
      expect(new Set(states.slice(0, -1))).toEqual(new Set(['pending']));
    }
    const unit = all.find((s) => s.context === 'pull-widgets-unit' && s.state === 'success')!;
    expect(unit.description).toMatch(/^Job succeeded\.\u2001* BaseSHA:[0-9a-f]{40}$/);
    expect(unit.targetUrl).toMatch(/\/view\//);
    // The build log is readable where status.url points.
    const [unitJob] = (await jobsForPull(12)).filter((j) => j.spec.job === 'pull-widgets-unit');
    const page = await fetch(unitJob!.status.url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`unit pull-widgets-unit 12 ${HEAD}`);
  });

  it('the same delivery sent twice creates nothing new', async () => {
    const delivery = randomUUID();
    const payload = comment(12, 'alice', 'alice', '/test pull-widgets-unit');
    expect((await sendWebhook(hookUrl(), SECRET, 'issue_comment', payload, delivery)).status).toBe(200);
    await expect.poll(async () => (await store.list({ 'event-GUID': delivery })).length, { timeout: 30_000 }).toBe(1);
    expect((await sendWebhook(hookUrl(), SECRET, 'issue_comment', payload, delivery)).status).toBe(200);
    // Give trigger time to (not) act on the duplicate, then count again.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await store.list({ 'event-GUID': delivery })).length).toBe(1);
  });

  it("a non-member's /test all on a non-member's PR creates nothing", async () => {
    const res = await sendWebhook(hookUrl(), SECRET, 'issue_comment', comment(14, 'mallory', 'mallory', '/test all'));
    expect(res.status).toBe(200);
    // Wait until trigger has consumed everything, then check.
    await expect
      .poll(async () => (await bus.jsm.consumers.info('PROW_EVENTS', 'plugin-trigger')).num_pending + (await bus.jsm.consumers.info('PROW_EVENTS', 'plugin-trigger')).num_ack_pending, { timeout: 30_000 })
      .toBe(0);
    expect(await jobsForPull(14)).toEqual([]);
    expect(statuses(UNTRUSTED_HEAD)).toEqual([]);
  });

  it('plank killed with SIGKILL mid-build and restarted: the job still ends with the right state', async () => {
    const res = await sendWebhook(hookUrl(), SECRET, 'issue_comment', comment(13, 'alice', 'alice', '/test pull-widgets-slow'));
    expect(res.status).toBe(200);
    await expect.poll(async () => (await jobsForPull(13))[0]?.status.state, { timeout: 30_000, interval: 100 }).toBe('pending');
    const plank = procs.get('plank')!;
    expect(await plank.kill('SIGKILL')).toBe(null);
    await startService('plank');
    try {
      await expect
        .poll(async () => (await jobsForPull(13))[0]?.status.state, { timeout: 90_000, interval: 250 })
        .toBe('success');
    } catch (err) {
      throw new Error(`${String(err)}\n${diagnose()}`);
    }
    const [job] = await jobsForPull(13);
    expect(job!.status.pod_revival_count ?? 0).toBe(0); // the build survived; it was adopted, not rerun
    await expect.poll(() => statuses(SLOW_HEAD)[0], { timeout: 30_000 }).toBe('pull-widgets-slow:success');
  });
});
