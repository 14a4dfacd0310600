// A burst: the 50 jobs of one `/test all` finish at once. The fake GitHub enforces GitHub's
// secondary limit on content-creating requests, and reporter is paced to the same budget, both
// SCALED from 80 per minute to 80 per 4 seconds so the suite takes seconds, not minutes (the
// arithmetic is the same; budget.test.ts checks it at GitHub's real 80/min and 500/h).
// Every final status must arrive, the pace must be kept (GitHub refuses nothing), nothing may be
// dropped or written twice, and killing a reporter process mid-burst must lose nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { connectBus, silentLog, type Bus } from '@jetprow/bus';
import { Labels, type ProwJob, type ProwJobState } from '@jetprow/schemas';
import { KvJobStore, updateWithRetry } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import {
  fakeSha,
  spawnService,
  startFakeGitHub,
  type FakeGitHub,
  type NatsHarness,
  type ServiceProcess,
} from '@jetprow/testing';
import { reporterGitHub } from './github.js';
import { COMMENT_TAG } from './report-comment.js';
import { startReporter, type Reporter } from './reporter.js';
import { nudgeReport, presubmitJob, reporterConfig, setState } from '../testing/fixtures.js';

/** GitHub's 80 content-creating requests a minute, scaled to 80 per 4 s. */
const WINDOW_MS = 4000;
const LIMIT = 80;
const JOBS = 50;
const FAILING = new Set([3, 17, 29, 41, 48]);

let h: StoreHarness | undefined;
let nats: NatsHarness;
let bus: Bus;
let store: KvJobStore;
let dir: string;
/** Reporter processes started here, killed at the end whatever happened. */
const spawned: ServiceProcess[] = [];

beforeAll(async () => {
  h = await startStoreHarness('burst-test', { streams: true });
  ({ nats, bus, store } = h);
  dir = mkdtempSync(join(tmpdir(), 'jetprow-burst-'));
  // An empty job_types_to_report means Prow's default (presubmit, postsubmit): libs/config
  // applies it, and the spawned reporter reads the list as config gives it.
  writeFileSync(
    join(dir, 'config.yaml'),
    'prowjob_namespace: default\ngithub_reporter:\n  job_types_to_report: []\n',
  );
  writeFileSync(join(dir, 'token'), 'burst-token\n');
});
afterAll(async () => {
  await Promise.all(spawned.map((p) => p.kill('SIGKILL')));
  await h?.close();
});

async function fakeGitHub(pr: number, head: string): Promise<FakeGitHub> {
  const gh = await startFakeGitHub({
    secondaryRateLimits: [{ writes: LIMIT, windowMs: WINDOW_MS }],
  });
  gh.state.addPullRequest({
    owner: 'acme',
    repo: 'widgets',
    number: pr,
    user: 'alice',
    head: { sha: head },
  });
  return gh;
}

/** The 50 presubmits of one `/test all` on PR `pr`, running (pending) as plank leaves them. */
async function startJobs(run: string, pr: number, head: string): Promise<ProwJob[]> {
  const jobs: ProwJob[] = [];
  for (let i = 0; i < JOBS; i++) {
    const pj = presubmitJob(`pj-${run}-${i}`, { job: `pull-job-${i}` });
    pj.spec.refs!.pulls![0]!.number = pr;
    pj.spec.refs!.pulls![0]!.sha = head;
    pj.metadata.labels = {
      ...pj.metadata.labels,
      [Labels.pull]: String(pr),
      [Labels.isOptional]: 'false',
    };
    setState(pj, 'pending');
    jobs.push(await store.create(pj));
  }
  await Promise.all(jobs.map((pj) => nudgeReport(bus, pj)));
  return jobs;
}
/** All jobs finish at once, as plank would record them. */
async function finishAll(jobs: ProwJob[]): Promise<void> {
  const done = await Promise.all(
    jobs.map((pj, i) =>
      updateWithRetry(store, pj.metadata.name, (j) =>
        setState(
          j,
          (FAILING.has(i) ? 'failure' : 'success') as ProwJobState,
          new Date().toISOString(),
        ),
      ),
    ),
  );
  await Promise.all(done.map((pj) => nudgeReport(bus, pj!)));
}

/** Per context, the states GitHub shows, newest first. */
function statesByContext(gh: FakeGitHub, head: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of gh.state.statuses(gh.state.repo('acme', 'widgets')!, head)) {
    out.set(s.context, [...(out.get(s.context) ?? []), s.state]);
  }
  return out;
}
const finals = (gh: FakeGitHub, head: string) =>
  [...statesByContext(gh, head).values()].filter((s) => s[0] === 'success' || s[0] === 'failure')
    .length;

/** The PR's one report comment lists every failed job. */
function reportsAll(gh: FakeGitHub, pr: number): boolean {
  const reports = gh.state
    .comments(gh.state.repo('acme', 'widgets')!, pr)
    .filter((c) => c.body.includes(COMMENT_TAG));
  return (
    reports.length === 1 && [...FAILING].every((i) => reports[0]!.body.includes(`pull-job-${i} |`))
  );
}

/** Every context: exactly one pending then exactly one final status; the pace held. */
function expectExactlyOnceAndPaced(gh: FakeGitHub, head: string, pr: number): void {
  const byContext = statesByContext(gh, head);
  expect(byContext.size).toBe(JOBS);
  for (let i = 0; i < JOBS; i++) {
    expect(byContext.get(`pull-job-${i}`), `pull-job-${i}`).toEqual([
      FAILING.has(i) ? 'failure' : 'success',
      'pending',
    ]);
  }
  expect(gh.limits.refused).toEqual([]);
  expect(gh.limits.maxWritesInWindow(WINDOW_MS)).toBeLessThanOrEqual(LIMIT);
  // 100 statuses and the comment cannot fit in one window: the pace made the burst wait.
  const writes = gh.limits.writes.map((w) => w.at);
  expect(writes.length).toBeGreaterThan(LIMIT);
  expect(Math.max(...writes) - Math.min(...writes)).toBeGreaterThanOrEqual(WINDOW_MS - 100);
  const reports = gh.state
    .comments(gh.state.repo('acme', 'widgets')!, pr)
    .filter((c) => c.body.includes(COMMENT_TAG));
  expect(reports).toHaveLength(1);
  for (const i of FAILING) expect(reports[0]!.body).toContain(`pull-job-${i} |`);
}

describe(
  'a burst of 50 finishing jobs under GitHub’s secondary limit (scaled: 80 writes per 4 s)',
  { timeout: 120_000 },
  () => {
    it('two reporter replicas share the pace: every final status once, nothing refused', async () => {
      const head = fakeSha('burst-inproc');
      const gh = await fakeGitHub(21, head);
      const replicas: Reporter[] = [];
      const buses = [bus, await connectBus(nats.url, 'burst-replica-2')];
      try {
        for (const b of buses) {
          replicas.push(
            await startReporter({
              bus: b,
              store: await KvJobStore.open(b.js),
              github: reporterGitHub({ baseUrl: gh.url, token: 'burst-a', log: silentLog }),
              writeLimits: [{ count: LIMIT, windowMs: WINDOW_MS }],
              budgetMarginMs: 250,
              log: silentLog,
              registry: new Registry(),
              config: () => reporterConfig(),
            }),
          );
        }
        const jobs = await startJobs('inproc', 21, head);
        await expect.poll(() => statesByContext(gh, head).size, { timeout: 30_000 }).toBe(JOBS);
        await finishAll(jobs);
        await expect.poll(() => finals(gh, head), { timeout: 30_000 }).toBe(JOBS);
        await expect.poll(() => reportsAll(gh, 21), { timeout: 30_000 }).toBe(true);
        expectExactlyOnceAndPaced(gh, head, 21);
      } finally {
        for (const r of replicas) await r.stop();
        await buses[1]!.close();
        await gh.close();
      }
    });

    it('a reporter process SIGKILLed mid-burst and replaced loses nothing and writes nothing twice', async () => {
      const head = fakeSha('burst-kill');
      const gh = await fakeGitHub(22, head);
      const args = [
        `--nats-url=${nats.url}`,
        `--config-path=${join(dir, 'config.yaml')}`,
        `--github-endpoint=${gh.url}`,
        `--github-token-path=${join(dir, 'token')}`,
        `--github-write-limits=${LIMIT}/4s`,
        '--dry-run=false',
      ];
      let proc: ServiceProcess | undefined = await spawnService('reporter', args);
      spawned.push(proc);
      const outputs: string[] = [];
      let stage = 'start';
      try {
        await proc.waitReady(60_000);
        stage = 'pending statuses';
        const jobs = await startJobs('kill', 22, head);
        await expect.poll(() => statesByContext(gh, head).size, { timeout: 30_000 }).toBe(JOBS);
        await finishAll(jobs);
        stage = 'first final statuses';
        // Mid-burst: some final statuses are on GitHub, most are not.
        await expect
          .poll(() => finals(gh, head), { timeout: 30_000, interval: 20 })
          .toBeGreaterThanOrEqual(5);
        expect(await proc.kill('SIGKILL')).toBe(null);
        outputs.push(proc.output());
        const before = finals(gh, head);
        expect(before).toBeLessThan(JOBS);
        proc = await spawnService('reporter', args);
        spawned.push(proc);
        await proc.waitReady(60_000);
        stage = 'all final statuses';
        await expect.poll(() => finals(gh, head), { timeout: 60_000 }).toBe(JOBS);
        stage = 'comment';
        await expect.poll(() => reportsAll(gh, 22), { timeout: 30_000 }).toBe(true);
        expectExactlyOnceAndPaced(gh, head, 22);
      } catch (err) {
        outputs.push(proc?.output() ?? '');
        const tail = outputs.map((o, i) => `--- reporter ${i + 1}\n${o.slice(-3000)}`).join('\n');
        throw new Error(
          `${stage}: ${String(err)} (finals ${finals(gh, head)}, refused ${gh.limits.refused.length})\n${tail}`,
        );
      } finally {
        await proc?.kill('SIGTERM');
        await gh.close();
      }
    });
  },
);
