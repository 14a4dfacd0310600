// The reporter end to end: a real nats-server, the KV JobStore, the real @octokit/rest through
// octokitWriter, and the fake GitHub REST server. Jobs are changed in the store and nudged on
// PROW_REPORTS as plank does; the statuses are read back from the fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { connectBus, silentLog, type Bus } from '@jetprow/bus';
import { contextDescriptionWithBaseSha, Streams } from '@jetprow/core';
import { GitHubReporterName, type ProwJob, type ProwJobState } from '@jetprow/schemas';
import { KvJobStore, updateWithRetry } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import { startFakeGitHub, type FakeGitHub, type NatsHarness } from '@jetprow/testing';
import { reporterGitHub } from './github.js';
import { REPORTER_DURABLE, startReporter, type Reporter } from './reporter.js';
import {
  BASE_SHA,
  HEAD_SHA,
  nudgeReport,
  postsubmitJob,
  presubmitJob,
  reporterConfig,
  setState,
} from '../testing/fixtures.js';

const GONE_SHA = 'd'.repeat(40);
let h: StoreHarness | undefined;
let nats: NatsHarness;
let bus: Bus;
let store: KvJobStore;
let gh: FakeGitHub;
let registry: Registry;
let reporter: Reporter;
/** Writes the fake answers with a 500 before it accepts them again. */
let failWrites = 0;
let lastSeq = 0;

const github = () => reporterGitHub({ baseUrl: gh.url, token: 'reporter-token', log: silentLog });

beforeAll(async () => {
  h = await startStoreHarness('reporter-test', { streams: true });
  ({ nats, bus, store } = h);
  gh = await startFakeGitHub({
    strictShas: true,
    beforeWrite: () => {
      if (failWrites <= 0) return undefined;
      failWrites--;
      return Response.json({ message: 'Server Error' }, { status: 500 });
    },
  });
  gh.state.addPullRequest({
    owner: 'acme',
    repo: 'widgets',
    number: 12,
    user: 'alice',
    head: { sha: HEAD_SHA },
    base: { ref: 'main', sha: BASE_SHA },
  });
  registry = new Registry();
  reporter = await startReporter({
    bus,
    store,
    github: github(),
    log: silentLog,
    registry,
    config: () => reporterConfig({ job_types_to_report: ['presubmit', 'postsubmit'] }),
  });
});

afterAll(async () => {
  await reporter?.stop();
  await gh?.close();
  await h?.close();
});

/** Statuses for one context on one commit, newest first, as `state` strings. */
function statuses(context: string, sha = HEAD_SHA) {
  const repo = gh.state.repo('acme', 'widgets')!;
  return gh.state.statuses(repo, sha).filter((s) => s.context === context);
}
const statesOf = (context: string, sha = HEAD_SHA) => statuses(context, sha).map((s) => s.state);

async function nudge(job: ProwJob): Promise<void> {
  const ack = await nudgeReport(bus, job);
  lastSeq = Math.max(lastSeq, ack.seq);
}

async function moveTo(name: string, state: ProwJobState): Promise<ProwJob> {
  const job = await updateWithRetry(store, name, (j) => setState(j, state));
  await nudge(job!);
  return job!;
}

const reportedState = async (name: string) =>
  (await store.get(name))?.status.prev_report_states?.[GitHubReporterName];

/** True once the consumer has been handed every published nudge and settled all of them. */
async function idle(): Promise<boolean> {
  const info = await bus.jsm.consumers.info(Streams.reports, REPORTER_DURABLE);
  return (
    info.delivered.stream_seq >= lastSeq && info.num_ack_pending === 0 && info.num_pending === 0
  );
}

describe('reporter', () => {
  it('is ready once consuming', () => {
    expect(reporter.ready()).toBe(true);
  });

  it('reports pending then success on the PR head with context, description and url', async () => {
    const job = presubmitJob('pj-flow', { context: 'pull-unit' });
    setState(job, 'pending');
    await store.create(job);
    await nudge(job);
    await expect.poll(() => statesOf('pull-unit'), { timeout: 15_000 }).toEqual(['pending']);
    await expect.poll(() => reportedState('pj-flow'), { timeout: 15_000 }).toBe('pending');

    await moveTo('pj-flow', 'success');
    await expect
      .poll(() => statesOf('pull-unit'), { timeout: 15_000 })
      .toEqual(['success', 'pending']);
    expect(statuses('pull-unit')[0]).toMatchObject({
      context: 'pull-unit',
      state: 'success',
      description: contextDescriptionWithBaseSha('Job succeeded.', BASE_SHA),
      targetUrl: 'https://prow.example.com/view/pj-flow',
      creator: 'jetprow-bot',
    });
    await expect.poll(() => reportedState('pj-flow'), { timeout: 15_000 }).toBe('success');
  });

  it('a redelivered nudge posts nothing', async () => {
    const job = (await store.get('pj-flow'))!;
    await nudge(job);
    await nudge(job);
    await expect.poll(idle, { timeout: 15_000 }).toBe(true);
    expect(statesOf('pull-unit')).toEqual(['success', 'pending']);
  });

  it('reports a postsubmit on the base SHA', async () => {
    const job = postsubmitJob('pj-post');
    setState(job, 'failure');
    await store.create(job);
    await nudge(job);
    await expect
      .poll(() => statesOf('post-unit', BASE_SHA), { timeout: 15_000 })
      .toEqual(['failure']);
  });

  it('a force-pushed SHA (422 No commit found) is recorded as reported and acked', async () => {
    const job = presubmitJob('pj-gone', { context: 'pull-gone' });
    job.spec.refs!.pulls![0]!.sha = GONE_SHA;
    setState(job, 'failure');
    await store.create(job);
    await nudge(job);
    await expect.poll(() => reportedState('pj-gone'), { timeout: 15_000 }).toBe('failure');
    await expect.poll(idle, { timeout: 15_000 }).toBe(true);
    expect(statesOf('pull-gone', GONE_SHA)).toEqual([]);
  });

  it('retries 500 answers until GitHub takes the status', async () => {
    const job = presubmitJob('pj-flaky', { context: 'pull-flaky' });
    setState(job, 'error');
    await store.create(job);
    failWrites = 2;
    await nudge(job);
    await expect.poll(() => statesOf('pull-flaky'), { timeout: 20_000 }).toEqual(['error']);
    expect(failWrites).toBe(0);
    await expect.poll(() => reportedState('pj-flaky'), { timeout: 15_000 }).toBe('error');
  });

  it('skips jobs that must not be reported (skip_report)', async () => {
    const job = presubmitJob('pj-silent', { context: 'pull-silent' });
    job.spec.report = false;
    setState(job, 'failure');
    await store.create(job);
    await nudge(job);
    await expect.poll(idle, { timeout: 15_000 }).toBe(true);
    expect(statesOf('pull-silent')).toEqual([]);
    expect(await reportedState('pj-silent')).toBeUndefined();
  });

  it('a nudge for a job that does not exist is acked', async () => {
    await nudge(presubmitJob('pj-never-created', { context: 'pull-never' }));
    await expect.poll(idle, { timeout: 15_000 }).toBe(true);
    expect(statesOf('pull-never')).toEqual([]);
  });

  it('with a second replica on the same durable, every state is written once', async () => {
    const bus2 = await connectBus(nats.url, 'reporter-test-2');
    const replica = await startReporter({
      bus: bus2,
      store: await KvJobStore.open(bus2.js),
      github: github(),
      log: silentLog,
      registry: new Registry(),
      config: () => reporterConfig(),
    });
    try {
      const names = Array.from({ length: 6 }, (_, i) => `pj-many-${i}`);
      for (const name of names) {
        const job = presubmitJob(name, { context: `ctx-${name}` });
        setState(job, 'pending');
        await store.create(job);
        await nudge(job);
      }
      for (const name of names) {
        await expect.poll(() => reportedState(name), { timeout: 15_000 }).toBe('pending');
        await moveTo(name, 'success');
      }
      for (const name of names) {
        await expect.poll(() => reportedState(name), { timeout: 15_000 }).toBe('success');
      }
      await expect.poll(idle, { timeout: 15_000 }).toBe(true);
      for (const name of names) expect(statesOf(`ctx-${name}`)).toEqual(['success', 'pending']);
    } finally {
      await replica.stop();
      await bus2.close();
    }
    expect(replica.ready()).toBe(false);
  });

  it('counts writes and report latency', async () => {
    const text = await registry.metrics();
    expect(text).toMatch(/jetprow_reporter_writes_total\{kind="status",outcome="success"\} [1-9]/);
    expect(text).toMatch(/jetprow_reporter_writes_total\{kind="status",outcome="gone"\} 1/);
    expect(text).toMatch(/jetprow_reporter_writes_total\{kind="status",outcome="retry"\} 2/);
    expect(text).toMatch(/jetprow_report_latency_seconds_count\{state="success"\} [1-9]/);
  });
});
