// The failure comment and the write intents end to end: a real nats-server, the KV JobStore,
// reporter with the real @octokit/rest, and the fake GitHub (OpenAPI-validated). Jobs are changed
// in the store and nudged as plank does; intents are published as trigger does.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { publishJson, silentLog, type Bus } from '@jetprow/bus';
import { intentSubject, Streams } from '@jetprow/core';
import {
  GitHubReporterName,
  Labels,
  type ProwJob,
  type ProwJobState,
  type WriteIntent,
} from '@jetprow/schemas';
import { updateWithRetry, type KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import { fakeSha, startFakeGitHub, type FakeGitHub } from '@jetprow/testing';
import { reporterGitHub } from './github.js';
import { COMMENT_TAG } from './report-comment.js';
import { INTENTS_DURABLE, REPORTER_DURABLE, startReporter, type Reporter } from './reporter.js';
import { openWriteLedger, type ReporterConfig } from './runtime.js';
import {
  BASE_SHA,
  HEAD_SHA,
  nudgeReport,
  presubmitJob,
  reporterConfig,
  setState,
} from '../testing/fixtures.js';

let h: StoreHarness | undefined;
let bus: Bus;
let store: KvJobStore;
let gh: FakeGitHub;
let reporter: Reporter;
/** The report template every test runs with, as `plank.report_templates` gives it. */
const TEMPLATES = { '*': 'Full PR test history for {{.Spec.Refs.Org}}/{{.Spec.Refs.Repo}}' };
let config: ReporterConfig = reporterConfig({ report_templates: TEMPLATES });
let seq = 0;
const ORG = 'acme';
const REPO = 'widgets';

beforeAll(async () => {
  h = await startStoreHarness('comments-test', { streams: true });
  ({ bus, store } = h);
  gh = await startFakeGitHub({ strictShas: true });
  for (let n = 12; n <= 20; n++) {
    gh.state.addPullRequest({
      owner: ORG,
      repo: REPO,
      number: n,
      user: 'alice',
      head: { sha: n === 12 ? HEAD_SHA : fakeSha(`head-${n}`) },
      base: { ref: 'main', sha: BASE_SHA },
    });
  }
  reporter = await startReporter({
    bus,
    store,
    github: reporterGitHub({ baseUrl: gh.url, token: 'reporter-token', log: silentLog }),
    log: silentLog,
    registry: new Registry(),
    config: () => config,
    claimLeaseMs: 500,
  });
});
afterAll(async () => {
  await reporter?.stop();
  await gh?.close();
  await h?.close();
});
beforeEach(() => {
  config = reporterConfig({ report_templates: TEMPLATES });
});

const repo = () => gh.state.repo(ORG, REPO)!;
const comments = (n: number) => gh.state.comments(repo(), n);
const reports = (n: number) => comments(n).filter((c) => c.body.includes(COMMENT_TAG));
const labels = (n: number) => repo().issues.get(n)!.labels;

/** A presubmit of PR `n` in `state`, created and nudged as plank does. */
async function run(name: string, n: number, state: ProwJobState, job = name): Promise<ProwJob> {
  const pj = presubmitJob(name, { job, context: job });
  const pull = pj.spec.refs!.pulls![0]!;
  pull.number = n;
  if (n !== 12) pull.sha = fakeSha(`head-${n}`);
  pj.metadata.labels = {
    ...pj.metadata.labels,
    [Labels.pull]: String(n),
    [Labels.isOptional]: 'false',
  };
  pj.metadata.creationTimestamp = new Date(Date.now() + seq++).toISOString();
  setState(pj, state);
  await store.create(pj);
  await nudgeReport(bus, pj);
  return pj;
}
async function finish(name: string, state: ProwJobState): Promise<void> {
  const pj = await updateWithRetry(store, name, (j) =>
    setState(j, state, new Date().toISOString()),
  );
  await nudgeReport(bus, pj!);
}
const reported = async (name: string) =>
  (await store.get(name))?.status.prev_report_states?.[GitHubReporterName];

/** Both consumers have nothing pending or in flight. */
async function idle(): Promise<boolean> {
  for (const [stream, durable] of [
    [Streams.reports, REPORTER_DURABLE],
    [Streams.intents, INTENTS_DURABLE],
  ] as const) {
    const info = await bus.jsm.consumers.info(stream, durable);
    if (info.num_pending + info.num_ack_pending > 0) return false;
  }
  return true;
}
const settle = async (name: string, state: ProwJobState) => {
  await expect.poll(() => reported(name), { timeout: 15_000 }).toBe(state);
  await expect.poll(idle, { timeout: 15_000 }).toBe(true);
};

describe('the failure comment', () => {
  it('a failed presubmit gets one report comment, in Prow’s format, naming the PR author', async () => {
    await run('pj-lint-1', 12, 'failure', 'pull-lint');
    await settle('pj-lint-1', 'failure');
    const [c, ...more] = reports(12);
    expect(more).toEqual([]);
    expect(c!.user).toBe('jetprow-bot');
    expect(c!.body).toContain(
      '@alice: The following test **failed**, say `/retest` to rerun all failed tests or `/retest-required` to rerun all mandatory failed tests:',
    );
    expect(c!.body).toContain(
      `pull-lint | ${HEAD_SHA} | [link](https://prow.example.com/view/pj-lint-1) | true | \`/test pull-lint\``,
    );
    expect(c!.body).toContain('\n\nFull PR test history for acme/widgets\n\n<details>');
  });

  it('a second failure re-posts the comment with both rows; the retest passing edits its row out', async () => {
    await run('pj-unit-1', 12, 'failure', 'pull-unit');
    await settle('pj-unit-1', 'failure');
    const [second] = reports(12);
    expect(reports(12)).toHaveLength(1);
    expect(second!.body).toContain('The following tests **failed**');
    expect(second!.body.match(/\| \[link\]/g)).toHaveLength(2);

    const before = gh.state.log.length;
    await run('pj-unit-2', 12, 'success', 'pull-unit');
    await settle('pj-unit-2', 'success');
    const [edited] = reports(12);
    expect(edited!.id).toBe(second!.id);
    expect(edited!.body).not.toContain('pull-unit |');
    expect(edited!.body).toContain('pull-lint |');
    expect(gh.state.log.slice(before).filter((l) => l.startsWith('comment'))).toEqual([
      `comment acme/widgets#12 edit ${second!.id}`,
    ]);

    await run('pj-lint-2', 12, 'success', 'pull-lint');
    await settle('pj-lint-2', 'success');
    expect(reports(12)).toEqual([]);
  });

  it('no comment for repos in no_comment_repos (the status is still written)', async () => {
    config = reporterConfig({ no_comment_repos: ['acme/widgets'], report_templates: TEMPLATES });
    await run('pj-quiet', 13, 'failure');
    await settle('pj-quiet', 'failure');
    expect(reports(13)).toEqual([]);
    expect(gh.state.statuses(repo(), fakeSha('head-13')).map((s) => s.state)).toEqual(['failure']);
  });

  it('summary_comment_repos: one comment once every job of the PR is done, "all tests passed!"', async () => {
    config = reporterConfig({ summary_comment_repos: ['acme'], report_templates: TEMPLATES });
    await run('pj-s-unit', 14, 'success', 'pull-unit');
    const lint = await run('pj-s-lint', 14, 'pending', 'pull-lint');
    await settle('pj-s-unit', 'success');
    expect(reports(14)).toEqual([]);
    await finish(lint.metadata.name, 'success');
    await settle('pj-s-lint', 'success');
    const [summary, ...more] = reports(14);
    expect(more).toEqual([]);
    expect(summary!.body.startsWith('@alice: all tests **passed!**')).toBe(true);
  });

  it('a burst of failures on one PR ends as one comment listing them all', async () => {
    const names = Array.from({ length: 6 }, (_, i) => `pj-burst-${i}`);
    await Promise.all(names.map((name, i) => run(name, 15, 'failure', `pull-burst-${i}`)));
    for (const name of names) await settle(name, 'failure');
    const [c, ...more] = reports(15);
    expect(more).toEqual([]);
    for (let i = 0; i < 6; i++) expect(c!.body).toContain(`pull-burst-${i} |`);
  });
});

describe('write intents', () => {
  type Comment = Extract<WriteIntent, { kind: 'comment' }>;
  const base = () => ({ id: `intent-${seq++}`, org: ORG, repo: REPO, number: 16 });
  const comment = (body: string, number = 16): Comment => ({
    ...base(),
    kind: 'comment',
    body,
    number,
  });
  const label = (kind: 'add-label' | 'remove-label', name: string): WriteIntent => ({
    ...base(),
    kind,
    label: name,
  });
  const publish = (i: WriteIntent) =>
    publishJson(bus.js, intentSubject(i.org, i.repo), i, { msgID: i.id });

  it('a comment asked for twice (same id) is posted once', async () => {
    const i = comment('Hi @bob. Thanks for your PR.');
    await publish(i);
    await publish(i);
    await expect
      .poll(() => comments(16).filter((c) => c.body === i.body).length, { timeout: 15_000 })
      .toBe(1);
    await expect.poll(idle, { timeout: 15_000 }).toBe(true);
    expect(comments(16).filter((c) => c.body === i.body)).toHaveLength(1);
  });

  it("prune-comments deletes the bot's own earlier help comments, and only those", async () => {
    const help = comment(
      '@bob: The following commands are available to trigger required jobs:\n/test unit',
      17,
    );
    const other = comment('@bob: unrelated bot note', 17);
    await publish(help);
    await publish(other);
    await expect.poll(() => comments(17).length, { timeout: 15_000 }).toBe(2);
    await publish({
      ...base(),
      number: 17,
      kind: 'prune-comments',
      body_contains: ['The following commands are available to trigger required jobs:'],
    });
    await expect
      .poll(() => comments(17).map((c) => c.body), { timeout: 15_000 })
      .toEqual([other.body]);
  });

  it('labels are added and removed', async () => {
    await publish(label('add-label', 'needs-ok-to-test'));
    await expect.poll(() => labels(16), { timeout: 15_000 }).toEqual(['needs-ok-to-test']);
    await publish(label('add-label', 'ok-to-test'));
    await publish(label('remove-label', 'needs-ok-to-test'));
    await expect.poll(() => labels(16), { timeout: 15_000 }).toEqual(['ok-to-test']);
  });

  it('a comment on a PR that does not exist (404) is final: acked, not retried', async () => {
    const before = gh.state.log.length;
    await publish(comment('lost', 999));
    await publish(label('remove-label', 'never-there'));
    await expect.poll(idle, { timeout: 15_000 }).toBe(true);
    expect(gh.state.log.slice(before)).toEqual([]);
  });

  it('a comment whose writer died mid-write is found on GitHub, not posted again', async () => {
    const i = comment('posted just before the crash');
    // The dead writer's traces: marked begun, and the comment did reach GitHub.
    const ledger = await openWriteLedger(bus.js);
    const key = `intent/${i.id}`;
    expect(await ledger.begin(key, 'comment', await ledger.read(key, 'comment'))).toBeGreaterThan(
      0,
    );
    gh.state.createComment(repo(), 16, i.body, 'jetprow-bot');
    await publish(i);
    await expect
      .poll(async () => (await ledger.read(key, 'comment')).state, { timeout: 15_000 })
      .toBe('done');
    expect(comments(16).filter((c) => c.body === i.body)).toHaveLength(1);
  });
});
