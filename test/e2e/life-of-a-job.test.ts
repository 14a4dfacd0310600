// The life of a job, end to end: the five services as separate processes (through the same CLI
// users run), a real nats-server, and the fake GitHub (OpenAPI-validated) as GitHub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { connectBus, freePort, type Bus } from '@jetprow/bus';
import { KvJobStore } from '@jetprow/store';
import {
  fakeSha,
  prCommentPayload,
  sendWebhook,
  startFakeGitHub,
  startNats,
  type FakeGitHub,
  type NatsHarness,
  type ServiceProcess,
} from '@jetprow/testing';
import { Services, hookFlags, serviceFlags, writeConfigDir } from '../support/e2e-env.js';

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
let services: Services;
let plank: ServiceProcess;

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

beforeAll(async () => {
  nats = await startNats();
  gh = await startFakeGitHub();
  gh.state.addOrgMember(ORG, 'alice');
  gh.state.setBranch(ORG, REPO, 'main', fakeSha('main'));
  gh.state.addPullRequest({
    owner: ORG,
    repo: REPO,
    number: 12,
    user: 'alice',
    head: { sha: HEAD, ref: 'feature' },
    base: { ref: 'main' },
    files: [{ filename: 'a.go' }],
  });
  gh.state.addPullRequest({
    owner: ORG,
    repo: REPO,
    number: 13,
    user: 'alice',
    head: { sha: SLOW_HEAD, ref: 'slow' },
    base: { ref: 'main' },
  });
  gh.state.addPullRequest({
    owner: ORG,
    repo: REPO,
    number: 14,
    user: 'mallory',
    head: { sha: UNTRUSTED_HEAD, ref: 'evil' },
    base: { ref: 'main' },
  });

  dir = mkdtempSync(join(tmpdir(), 'jetprow-e2e-'));
  const paths = writeConfigDir(dir, {
    config: 'prowjob_namespace: default\nplank:\n  max_revivals: 3\n',
    jobs: JOBS,
    org: ORG,
    hmac: SECRET,
    token: 'e2e-token\n',
  });
  hookPort = await freePort();
  services = new Services(serviceFlags(paths, nats.url, gh.url), 60_000);
  await Promise.all([
    services.start('hook', hookFlags(paths, hookPort)),
    services.start('trigger'),
    services.start('plank').then((p) => (plank = p)),
    services.start('reporter'),
    services.start('sinker'),
  ]);
  bus = await connectBus(nats.url, 'e2e-observer');
  store = await KvJobStore.open(bus.js);
}, 120_000);

afterAll(async () => {
  await services?.stop();
  await bus?.close();
  await gh?.close();
  await nats?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const hookUrl = () => `http://127.0.0.1:${hookPort}/hook`;
const comment = (number: number, prAuthor: string, commenter: string, body: string) =>
  prCommentPayload({ org: ORG, repo: REPO, number, prAuthor, commenter, body });
const repoState = () => gh.state.repo(ORG, REPO)!;
const statuses = (sha: string) =>
  gh.state.statuses(repoState(), sha).map((s) => `${s.context}:${s.state}`);
const jobsForPull = async (n: number) => await store.list({ 'prow.k8s.io/refs.pull': String(n) });

describe('life of a job', { timeout: 150_000 }, () => {
  it('a signed /test all from an org member runs the jobs and reports pending, then success / failure', async () => {
    const res = await sendWebhook(
      hookUrl(),
      SECRET,
      'issue_comment',
      comment(12, 'alice', 'alice', '/test all'),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('Event received. Have a nice day.');

    await services.explain(async () => {
      await expect
        .poll(
          async () => (await jobsForPull(12)).map((j) => `${j.spec.job}:${j.status.state}`).sort(),
          { timeout: 60_000, interval: 250 },
        )
        .toEqual(['pull-widgets-lint:failure', 'pull-widgets-unit:success']);
      await expect
        .poll(() => statuses(HEAD).sort(), { timeout: 30_000, interval: 250 })
        .toEqual(
          expect.arrayContaining(['pull-widgets-unit:success', 'pull-widgets-lint:failure']),
        );
    });
    // Newest first per context: the final state was preceded by a pending one.
    const all = gh.state.statuses(repoState(), HEAD);
    for (const ctx of ['pull-widgets-unit', 'pull-widgets-lint']) {
      const states = all
        .filter((s) => s.context === ctx)
        .map((s) => s.state)
        .reverse();
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
    expect((await sendWebhook(hookUrl(), SECRET, 'issue_comment', payload, delivery)).status).toBe(
      200,
    );
    await expect
      .poll(async () => (await store.list({ 'event-GUID': delivery })).length, { timeout: 30_000 })
      .toBe(1);
    expect((await sendWebhook(hookUrl(), SECRET, 'issue_comment', payload, delivery)).status).toBe(
      200,
    );
    // Give trigger time to (not) act on the duplicate, then count again.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await store.list({ 'event-GUID': delivery })).length).toBe(1);
  });

  it("a non-member's /test all on a non-member's PR creates nothing", async () => {
    const res = await sendWebhook(
      hookUrl(),
      SECRET,
      'issue_comment',
      comment(14, 'mallory', 'mallory', '/test all'),
    );
    expect(res.status).toBe(200);
    // Wait until trigger has consumed everything, then check.
    await expect
      .poll(
        async () =>
          (await bus.jsm.consumers.info('PROW_EVENTS', 'plugin-trigger')).num_pending +
          (await bus.jsm.consumers.info('PROW_EVENTS', 'plugin-trigger')).num_ack_pending,
        { timeout: 30_000 },
      )
      .toBe(0);
    expect(await jobsForPull(14)).toEqual([]);
    expect(statuses(UNTRUSTED_HEAD)).toEqual([]);
  });

  it('plank killed with SIGKILL mid-build and restarted: the job still ends with the right state', async () => {
    const res = await sendWebhook(
      hookUrl(),
      SECRET,
      'issue_comment',
      comment(13, 'alice', 'alice', '/test pull-widgets-slow'),
    );
    expect(res.status).toBe(200);
    await expect
      .poll(async () => (await jobsForPull(13))[0]?.status.state, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe('pending');
    expect(await plank.kill('SIGKILL')).toBe(null);
    plank = await services.start('plank');
    await services.explain(() =>
      expect
        .poll(async () => (await jobsForPull(13))[0]?.status.state, {
          timeout: 90_000,
          interval: 250,
        })
        .toBe('success'),
    );
    const [job] = await jobsForPull(13);
    expect(job!.status.pod_revival_count ?? 0).toBe(0); // the build survived; it was adopted, not rerun
    await expect
      .poll(() => statuses(SLOW_HEAD)[0], { timeout: 30_000 })
      .toBe('pull-widgets-slow:success');
  });
});
