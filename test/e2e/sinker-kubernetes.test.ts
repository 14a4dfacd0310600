// sinker on the Kubernetes backends, end to end: the real `jetprow sinker` process with
// --kubeconfig pointing at the fake kube-apiserver (ProwJobs are prow.k8s.io/v1 custom resources
// in prowjob_namespace, builds are Pods in pod_namespace) and a real nats-server carrying its
// timer. The test seeds ProwJobs and Pods with old start / completion times (the fake apiserver
// stamps creationTimestamp itself, but status.startTime, the ProwJob's status and the kubelet's
// container statuses are the test's to write), lets sinker run a pass every second, and checks
// what is left in the apiserver against Prow's rules (prow.md §6):
//   - completed ProwJobs older than max_prowjob_age go; recent or unfinished ones stay;
//   - the newest ProwJob of a periodic still in config stays, however old;
//   - Pods of completed jobs go after max_pod_age (by status.startTime) or terminated_pod_ttl
//     (by the job's completionTime); a running job's Pod stays, however old;
//   - a Pod with created-by-prow=true and no ProwJob goes once it is older than 30 s; a Pod
//     without Prow's labels is never touched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newProwJob, periodicSpec, presubmitSpec } from '@jetprow/core';
import { Labels, type ProwJobState } from '@jetprow/schemas';
import {
  kubeTime,
  runningStatus,
  spawnService,
  startFakeKube,
  startNats,
  terminatedStatus,
  type FakeKube,
  type NatsHarness,
  type ServiceProcess,
} from '@jetprow/testing';
import { withDiagnostics } from '../support/e2e-env.js';

const PJ_NS = 'prow';
const POD_NS = 'test-pods';
const M = 60_000;
const H = 60 * M;
/** sinker's orphan grace (services/sinker/src/settings.ts ORPHAN_GRACE_MS; not configurable). */
const ORPHAN_GRACE_MS = 30_000;

// max_prowjob_age 2h, max_pod_age 1h, terminated_pod_ttl 10m; a pass every second.
const CONFIG = `prowjob_namespace: ${PJ_NS}
pod_namespace: ${POD_NS}
sinker:
  resync_period: 1s
  max_prowjob_age: 2h
  max_pod_age: 1h
  terminated_pod_ttl: 10m
`;
// ci-nightly and ci-hourly are configured periodics; ci-retired was removed from config.
const JOBS = `
periodics:
- name: ci-nightly
  interval: 24h
  spec:
    containers:
    - image: alpine
      command: [sh, -c, 'exit 0']
- name: ci-hourly
  interval: 1h
  spec:
    containers:
    - image: alpine
      command: [sh, -c, 'exit 0']
`;

let nats: NatsHarness;
let kube: FakeKube;
let dir: string;
let sinker: ServiceProcess | undefined;
/** When the test started seeding: every age below is relative to it. */
let T0: number;
/** DELETED events as the apiserver stored them: `prowjobs/name` → wall-clock ms. */
const deletedAt = new Map<string, number>();
let unsubscribe: (() => void) | undefined;
/** Length of the apiserver's mutation log once seeding was done. */
let seeded = 0;

type Obj = Record<string, unknown> & {
  metadata: { name: string; creationTimestamp?: string; labels?: Record<string, string> };
};
const names = (objs: Record<string, unknown>[]) =>
  (objs as Obj[]).map((o) => o.metadata.name).sort();
const prowJobNames = () => names(kube.state.prowJobs(PJ_NS));
const podNames = () => names(kube.state.pods(POD_NS));
const at = (agoMs: number) => new Date(T0 - agoMs);
const diagnose = () => `--- sinker\n${sinker?.output().slice(-6000) ?? '(not started)'}`;
const passes = () => (sinker?.output().match(/Sinker reconciliation complete\./g) ?? []).length;

/** The apiserver's log of deletions of `plural`, as `namespace/name`, sorted (duplicates kept). */
const deletes = (plural: string) =>
  kube.state.log
    .filter((l) => l.startsWith(`delete ${plural} `))
    .map((l) => l.slice(`delete ${plural} `.length))
    .sort();

/** sinker's JSON log lines with message `msg`: the value of `key` → the `reason` field. */
function reasons(msg: string, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of sinker!.output().split('\n')) {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // not a log record (or cut off at the start of the kept output)
    }
    if (rec.msg === msg) out[String(rec[key])] = String(rec.reason);
  }
  return out;
}

const poll = <T>(what: () => T, want: T, timeout = 20_000): Promise<void> =>
  withDiagnostics(diagnose, () => expect.poll(what, { timeout, interval: 100 }).toEqual(want));

/** Waits until sinker has completed `n` more passes than now (state read after that is settled). */
async function morePasses(n: number): Promise<void> {
  const target = passes() + n;
  await poll(() => passes() >= target, true, 15_000);
}

const POD_SPEC = { containers: [{ image: 'alpine', command: ['sh', '-c', 'exit 0'] }] };

interface JobSeed {
  type?: 'presubmit' | 'periodic';
  job?: string;
  startedAgo: number;
  /** Omitted: still pending. */
  completedAgo?: number;
}

let buildSeq = 1000;

/** A ProwJob custom resource, as trigger / horologium and plank would have left it. */
function seedProwJob(name: string, seed: JobSeed): void {
  const jobName = seed.job ?? 'pull-gadgets-unit';
  const spec =
    seed.type === 'periodic'
      ? periodicSpec({ name: jobName, spec: POD_SPEC })
      : presubmitSpec(
          { name: jobName, spec: POD_SPEC },
          {
            org: 'acme',
            repo: 'gadgets',
            base_ref: 'main',
            base_sha: 'b'.repeat(40),
            pulls: [{ number: 7, author: 'alice', sha: 'a'.repeat(40) }],
          },
        );
  const pj = newProwJob(spec, { name, now: at(seed.startedAgo), namespace: PJ_NS });
  const done = seed.completedAgo !== undefined;
  const state: ProwJobState = done ? 'success' : 'pending';
  pj.status = {
    startTime: kubeTime(at(seed.startedAgo)),
    pendingTime: kubeTime(at(seed.startedAgo)),
    state,
    build_id: String(++buildSeq),
    ...(done ? { completionTime: kubeTime(at(seed.completedAgo!)) } : {}),
  };
  kube.state.create(kube.state.def('prowjobs'), PJ_NS, pj as unknown as Record<string, unknown>);
}

interface PodSeed {
  /** Prow's labels (created-by-prow, prow.k8s.io/id = the ProwJob). Default true. */
  prow?: boolean;
  /** When the kubelet started it; omitted: never started (Pending, only a creationTimestamp). */
  startedAgo?: number;
  /** When its containers terminated (exit 0); omitted: still running. */
  terminatedAgo?: number;
}

/** A build Pod as plank creates it (name = ProwJob name), then moved on by the kubelet. */
function seedPod(name: string, seed: PodSeed): void {
  const labels: Record<string, string> =
    seed.prow === false
      ? { app: 'not-prow' }
      : {
          [Labels.createdByProw]: 'true',
          [Labels.id]: name,
          [Labels.job]: 'pull-gadgets-unit',
          [Labels.type]: 'presubmit',
        };
  kube.state.create(kube.state.def('pods'), POD_NS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      containers: [{ name: 'test', image: 'alpine:3.20', command: ['sh', '-c', 'exit 0'] }],
    },
  });
  if (seed.startedAgo === undefined) return;
  kube.state.setPodStatus(POD_NS, name, (pod) => runningStatus(pod, at(seed.startedAgo!)));
  if (seed.terminatedAgo === undefined) return;
  kube.state.setPodStatus(POD_NS, name, (pod) =>
    terminatedStatus(pod, { exitCode: 0 }, at(seed.terminatedAgo!)),
  );
}

beforeAll(async () => {
  [nats, kube] = await Promise.all([startNats(), startFakeKube()]);
  unsubscribe = kube.state.subscribe((e) => {
    const name = (e.object.metadata as { name: string }).name;
    if (e.type === 'DELETED') deletedAt.set(`${e.def.plural}/${name}`, Date.now());
  });

  T0 = Date.now();
  // 1. ProwJobs by age and state (max_prowjob_age 2h)
  seedProwJob('old-done', { startedAgo: 3 * H, completedAgo: 3 * H - 5 * M }); // deleted: aged
  seedProwJob('recent-done', { startedAgo: 30 * M, completedAgo: 25 * M });
  seedProwJob('old-pending', { startedAgo: 5 * H }); // never complete: kept
  // 2. periodics: the newest of a configured periodic stays, the rest follow max_prowjob_age
  const periodic = (job: string, startedAgo: number, done = true) =>
    ({
      type: 'periodic',
      job,
      startedAgo,
      ...(done ? { completedAgo: startedAgo - 10 * M } : {}),
    }) as const;
  seedProwJob('nightly-1', periodic('ci-nightly', 10 * H));
  seedProwJob('nightly-2', periodic('ci-nightly', 6 * H));
  seedProwJob('nightly-3', periodic('ci-nightly', 4 * H)); // newest: kept though old
  // newest ci-hourly still runs: it is the one kept, so the old completed one goes
  seedProwJob('hourly-1', periodic('ci-hourly', 5 * H));
  seedProwJob('hourly-2', periodic('ci-hourly', 3 * H, false));
  // ci-retired is no longer in config: no newest is kept
  seedProwJob('retired-1', periodic('ci-retired', 8 * H));
  seedProwJob('retired-2', periodic('ci-retired', 4 * H));

  // 3. Pods of jobs that stay (max_pod_age 1h, terminated_pod_ttl 10m)
  seedProwJob('pod-aged', { startedAgo: 90 * M, completedAgo: 1 * M });
  seedPod('pod-aged', { startedAgo: 90 * M, terminatedAgo: 1 * M }); // started > 1h ago: aged
  seedProwJob('pod-ttled', { startedAgo: 40 * M, completedAgo: 20 * M });
  seedPod('pod-ttled', { startedAgo: 40 * M, terminatedAgo: 20 * M }); // done > 10m ago: ttled
  seedProwJob('pod-fresh', { startedAgo: 5 * M, completedAgo: 2 * M });
  seedPod('pod-fresh', { startedAgo: 5 * M, terminatedAgo: 2 * M }); // kept
  seedProwJob('pod-running', { startedAgo: 5 * H }); // job still pending
  seedPod('pod-running', { startedAgo: 5 * H }); // kept: deleting it would make plank rerun it

  // 4. orphans: created-by-prow, no ProwJob
  seedPod('orphan-old', { startedAgo: 10 * M }); // deleted at once
  seedPod('orphan-fresh', {}); // never started: aged by creationTimestamp, goes after 30 s
  seedPod('not-prow-old', { prow: false, startedAgo: 10 * H }); // not Prow's: never touched

  seeded = kube.state.log.length;

  dir = mkdtempSync(join(tmpdir(), 'jetprow-sinker-k8s-e2e-'));
  writeFileSync(join(dir, 'config.yaml'), CONFIG);
  writeFileSync(join(dir, 'jobs.yaml'), JOBS);
  const kubeconfig = kube.writeKubeconfig(join(dir, 'kubeconfig'));
  sinker = await spawnService('sinker', [
    `--nats-url=${nats.url}`,
    `--config-path=${join(dir, 'config.yaml')}`,
    `--job-config-path=${join(dir, 'jobs.yaml')}`,
    `--data-dir=${join(dir, 'data')}`,
    `--kubeconfig=${kubeconfig}`,
  ]);
  await sinker.waitReady(60_000);
}, 90_000);

afterAll(async () => {
  unsubscribe?.();
  await sinker?.kill('SIGTERM');
  await Promise.all([kube?.close(), nats?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The ProwJobs sinker keeps, sorted. */
const KEPT_PROWJOBS = [
  'hourly-2',
  'nightly-3',
  'old-pending',
  'pod-aged',
  'pod-fresh',
  'pod-running',
  'pod-ttled',
  'recent-done',
];

describe('sinker on Kubernetes (fake apiserver)', { timeout: 60_000 }, () => {
  it('deletes old completed ProwJobs, keeps recent, unfinished and the newest configured periodic', async () => {
    await poll(prowJobNames, KEPT_PROWJOBS);
    // what is kept stays kept over more passes
    await morePasses(2);
    expect(prowJobNames()).toEqual(KEPT_PROWJOBS);
    // each deleted once, for Prow's reason
    expect(deletes('prowjobs')).toEqual(
      ['hourly-1', 'nightly-1', 'nightly-2', 'old-done', 'retired-1', 'retired-2'].map(
        (n) => `${PJ_NS}/${n}`,
      ),
    );
    expect(reasons('Deleted prowjob.', 'prowjob')).toEqual({
      'old-done': 'aged',
      'nightly-1': 'aged-periodic',
      'nightly-2': 'aged-periodic',
      'hourly-1': 'aged-periodic',
      'retired-1': 'aged-periodic',
      'retired-2': 'aged-periodic',
    });
  });

  it("deletes completed jobs' Pods past max_pod_age / terminated_pod_ttl and old orphans; keeps the rest", async () => {
    const kept = ['not-prow-old', 'orphan-fresh', 'pod-fresh', 'pod-running'];
    await poll(podNames, kept);
    await morePasses(2);
    expect(podNames()).toEqual(kept);
    expect(deletes('pods')).toEqual(
      ['orphan-old', 'pod-aged', 'pod-ttled'].map((n) => `${POD_NS}/${n}`),
    );
    expect(reasons('Deleted old completed build.', 'build')).toEqual({
      'orphan-old': 'orphaned',
      'pod-aged': 'aged',
      'pod-ttled': 'ttled',
    });
  });

  it('deletes an orphaned Pod only once it is older than 30 s', async () => {
    const fresh = kube.state.pod(POD_NS, 'orphan-fresh') as Obj | undefined;
    expect(fresh, 'orphan-fresh went before its 30 s grace').toBeDefined();
    const created = Date.parse(fresh!.metadata.creationTimestamp!);
    const deadline = created + ORPHAN_GRACE_MS + 20_000;
    const kept = ['not-prow-old', 'pod-fresh', 'pod-running'];
    await poll(podNames, kept, deadline - Date.now());
    const gone = deletedAt.get('pods/orphan-fresh')!;
    expect(gone - created).toBeGreaterThan(ORPHAN_GRACE_MS);
    // a pass a second: deleted within a few passes of the grace running out
    expect(gone - created).toBeLessThan(ORPHAN_GRACE_MS + 10_000);
    await morePasses(2);
    expect(podNames()).toEqual(kept);
    expect(deletes('pods')).toEqual(
      ['orphan-fresh', 'orphan-old', 'pod-aged', 'pod-ttled'].map((n) => `${POD_NS}/${n}`),
    );
    expect(reasons('Deleted old completed build.', 'build')['orphan-fresh']).toBe('orphaned');
    expect(prowJobNames()).toHaveLength(8);
    // every ProwJob and Pod written was valid; sinker only ever deleted
    expect(kube.state.rejections).toEqual([]);
    expect(kube.state.warnings).toEqual([]);
    expect(kube.state.log.slice(seeded).filter((l) => !l.startsWith('delete '))).toEqual([]);
    expect(sinker!.output()).not.toMatch(
      /Error deleting|error listing builds|Failed to get prowjob|not deleting/,
    );
  });
});
