// Survive the loss of any machine: a real 3-node nats-server cluster on loopback with
// --nats-replicas 3, hook, trigger, plank ×2 and reporter ×2 as processes, signed webhooks at a
// steady rate, and SIGKILL of the node leading PROW_EVENTS, then of the node leading the ProwJob
// bucket (each restarted). No 5xx may reach the sender, no delivery may be lost, each ProwJob and
// each build must exist exactly once, and each final status be written exactly once. The stall
// (the longest webhook → pending while a node was down) is printed.
//
// NOT YET IN THE SUITE (issue 11 is open): it passed once (0 5xx, every job, build and final
// status exactly once, stall 19.5 s) but most runs end with a few jobs stuck `triggered` (or
// `pending`) after the KV_prowjobs leader's kill (e.g. 31 success, 5 triggered after 90 s): a
// nudge lost in the outage is not repaired by plank's resync. Run it with JETPROW_CLUSTER_FAILOVER=1
// while fixing that; it joins the suite once it passes reliably.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, freePort, type Bus } from '@jetprow/bus';
import { KvJobStore } from '@jetprow/store';
import {
  fakeSha,
  prCommentPayload,
  sendWebhook,
  startFakeGitHub,
  startNatsCluster,
  type FakeGitHub,
  type NatsCluster,
} from '@jetprow/testing';
import { Services, hookFlags, serviceFlags, writeConfigDir } from '../support/e2e-env.js';

const SECRET = 'cluster-secret';
const ORG = 'acme';
const REPO = 'widgets';
const PRS = 36;
const JOB = 'pull-widgets-unit';

let cluster: NatsCluster;
let gh: FakeGitHub;
let bus: Bus;
let store: KvJobStore;
let dir: string;
let runs: string;
let hookPort: number;
let services: Services;

const enabled = process.env.JETPROW_CLUSTER_FAILOVER === '1';

beforeAll(async () => {
  if (!enabled) return;
  cluster = await startNatsCluster({ nodes: 3, timeoutMs: 90_000 });
  gh = await startFakeGitHub();
  gh.state.addOrgMember(ORG, 'alice');
  gh.state.setBranch(ORG, REPO, 'main', fakeSha('main'));
  for (let n = 1; n <= PRS; n++) {
    gh.state.addPullRequest({
      owner: ORG,
      repo: REPO,
      number: n,
      user: 'alice',
      head: { sha: fakeSha(`head-${n}`), ref: `f${n}` },
      base: { ref: 'main' },
    });
  }
  dir = mkdtempSync(join(tmpdir(), 'jetprow-cluster-'));
  runs = join(dir, 'runs.log');
  const paths = writeConfigDir(dir, {
    config: 'prowjob_namespace: default\n',
    jobs: `
presubmits:
  ${ORG}/${REPO}:
  - name: ${JOB}
    always_run: true
    spec:
      containers:
      - image: alpine
        command: [sh, -c]
        args: ['echo "$PROW_JOB_ID" >> ${runs}']
`,
    org: ORG,
    hmac: SECRET,
    token: 'cluster-token\n',
  });
  hookPort = await freePort();
  services = new Services(
    [
      ...serviceFlags(paths, cluster.urls, gh.url),
      '--nats-replicas=3',
      '--github-write-limits=1000/1m',
    ],
    60_000,
  );
  // One at a time: each start creates or raises its buckets and consumers on the cluster.
  for (const [name, extra] of [
    ['hook', hookFlags(paths, hookPort)],
    ['trigger', []],
    ['plank', []],
    ['plank', []],
    ['reporter', []],
    ['reporter', []],
  ] as const) {
    await services.start(name, [...extra]);
  }
  bus = await connectBus(cluster.urls, 'cluster-observer', { replicas: 3 });
  store = await KvJobStore.open(bus);
}, 150_000);

afterAll(async () => {
  await services?.stop();
  await bus?.close();
  await gh?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!enabled)(
  '3-node cluster, R3, SIGKILL of stream and bucket leaders',
  { timeout: 300_000 },
  () => {
    it('loses nothing, doubles nothing, and answers no webhook with a 5xx', async () => {
      const sent = new Map<number, { delivery: string; at: number; status: number }>();
      const send = async (n: number) => {
        const at = Date.now();
        const payload = prCommentPayload({
          org: ORG,
          repo: REPO,
          number: n,
          prAuthor: 'alice',
          commenter: 'alice',
          body: '/test all',
        });
        const res = await sendWebhook(
          `http://127.0.0.1:${hookPort}/hook`,
          SECRET,
          'issue_comment',
          payload,
        );
        sent.set(n, { delivery: res.delivery, at, status: res.status });
      };
      // A steady rate, three deliveries a second; the kills happen while it runs.
      const sender = (async () => {
        const inflight: Promise<void>[] = [];
        for (let n = 1; n <= PRS; n++) {
          inflight.push(send(n));
          await sleep(330);
        }
        await Promise.all(inflight);
      })();

      const killed: { what: string; from: number; to: number }[] = [];
      await services.explain(async () => {
        await sleep(2000);
        for (const stream of ['PROW_EVENTS', 'KV_prowjobs']) {
          const leader = await cluster.waitForReplicas(stream, 3, { timeoutMs: 30_000 });
          const from = Date.now();
          await cluster.kill(leader);
          await cluster.waitForLeader(stream, { except: leader, timeoutMs: 30_000 });
          await sleep(1500);
          await cluster.restart(leader);
          killed.push({ what: `${stream} leader n${leader}`, from, to: Date.now() });
          await sleep(1500);
        }
        await sender;

        // Every delivery answered 2xx: none turned away during an election.
        const statuses = [...sent.values()].map((s) => s.status);
        expect(
          statuses.filter((s) => s >= 500),
          JSON.stringify(statuses),
        ).toEqual([]);
        expect(statuses.every((s) => s === 200)).toBe(true);

        // Every delivery became exactly one ProwJob, each ran once and was reported once.
        // What each job's state is (the observer's reads are fresh: other processes wrote them).
        const tally = async () => {
          const counts: Record<string, number> = {};
          for (const j of await store.list({}, { fresh: true })) {
            const st = j.status.state ?? 'none';
            counts[st] = (counts[st] ?? 0) + 1;
          }
          return counts;
        };
        try {
          await expect.poll(tally, { timeout: 90_000, interval: 500 }).toEqual({ success: PRS });
        } catch (err) {
          const jobs = await store.list({}, { fresh: true });
          const notDone = jobs
            .filter((j) => j.status.state !== 'success')
            .map((j) => `#${j.spec.refs?.pulls?.[0]?.number}:${j.status.state}`);
          const have = new Set(jobs.map((j) => j.spec.refs?.pulls?.[0]?.number));
          const missing = [...Array(PRS).keys()].map((i) => i + 1).filter((n) => !have.has(n));
          throw new Error(
            `${String(err)}: ${JSON.stringify(await tally())}; not done ${notDone.join(' ')}; no job for ${missing.join(' ')}`,
          );
        }
        const jobs = await store.list();
        expect(jobs).toHaveLength(PRS);
        const byPull = new Map<number, number>();
        for (const j of jobs) {
          const n = j.spec.refs!.pulls![0]!.number;
          byPull.set(n, (byPull.get(n) ?? 0) + 1);
        }
        expect([...byPull.values()].every((c) => c === 1)).toBe(true);
        expect(byPull.size).toBe(PRS);

        expect(existsSync(runs)).toBe(true);
        const ran = readFileSync(runs, 'utf8').trim().split('\n');
        expect(ran).toHaveLength(PRS);
        expect(new Set(ran).size).toBe(PRS);

        const repo = gh.state.repo(ORG, REPO)!;
        const finalsPerPr = () =>
          [...Array(PRS).keys()].map(
            (i) =>
              gh.state.statuses(repo, fakeSha(`head-${i + 1}`)).filter((s) => s.state === 'success')
                .length,
          );
        try {
          await expect
            .poll(() => finalsPerPr().every((c) => c === 1), { timeout: 60_000, interval: 500 })
            .toBe(true);
        } catch (err) {
          const per = finalsPerPr().map((c, i) => `#${i + 1}:${c}`);
          throw new Error(`${String(err)}: final statuses per PR ${per.join(' ')}`);
        }
        for (let n = 1; n <= PRS; n++) {
          const finals = gh.state
            .statuses(repo, fakeSha(`head-${n}`))
            .filter((s) => s.state === 'success');
          expect(finals, `PR #${n}`).toHaveLength(1);
        }

        // The stall: webhook → pending, worst case, and while a node was down.
        const lag = jobs.map((j) => {
          const n = j.spec.refs!.pulls![0]!.number;
          const at = sent.get(n)!.at;
          return { n, at, ms: Date.parse(j.status.pendingTime ?? '') - at };
        });
        const during = lag.filter((l) => killed.some((k) => l.at >= k.from - 1000 && l.at <= k.to));
        const max = (xs: number[]) => Math.max(0, ...xs);
        console.log(
          `cluster failover: ${PRS} deliveries, 0 5xx; kills: ${killed
            .map((k) => `${k.what} (${k.to - k.from} ms down)`)
            .join(', ')}; webhook → pending max ${max(lag.map((l) => l.ms))} ms overall, ` +
            `${max(during.map((l) => l.ms))} ms for deliveries sent around a kill`,
        );
      });
    });
  },
);
