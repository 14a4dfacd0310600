// PodRunner against the fake kube-apiserver: the real client-node on the wire, every Pod checked
// against the Kubernetes Pod schema by the fake; the test plays scheduler and kubelet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envForProwJob, newProwJob, presubmitSpec } from '@jetprow/core';
import type { PodSpec, ProwJob } from '@jetprow/schemas';
import {
  runningStatus,
  scheduledStatus,
  startFakeKube,
  terminatedStatus,
  type FakeKube,
} from '@jetprow/testing';
import { BuildStartError } from './job-runner.js';
import { PodRunner, PodTerminatingError } from './pod-runner.js';

const NS = 'test-pods';
let kube: FakeKube;
let runner: PodRunner;
let seq = 0;
let invalidOnPurpose = '';

function job(
  spec: object = { containers: [{ name: '', image: 'alpine:3', command: ['make', 'test'] }] },
): ProwJob {
  const ps = presubmitSpec(
    { name: 'pull-widgets-unit', spec: spec as PodSpec },
    {
      org: 'acme',
      repo: 'widgets',
      base_ref: 'main',
      base_sha: 'b'.repeat(40),
      pulls: [{ number: 12, author: 'alice', sha: 'a'.repeat(40) }],
    },
  );
  return newProwJob(ps, { name: `pj-${++seq}`, now: new Date('2026-01-01T00:00:00Z') });
}
async function started(pj = job(), buildId = `b${seq}`): Promise<string> {
  await runner.start(pj, buildId, envForProwJob(pj, buildId));
  return pj.metadata.name;
}
const kubelet = (name: string, next: Parameters<FakeKube['state']['setPodStatus']>[2]) =>
  kube.state.setPodStatus(NS, name, next);
const creates = (name: string) =>
  kube.state.log.filter((l) => l === `create pods ${NS}/${name}`).length;

beforeAll(async () => {
  kube = await startFakeKube({ bookmarkIntervalMs: 200 });
  runner = new PodRunner({
    kubeConfig: kube.kubeConfig(),
    namespace: NS,
    plankVersion: 'test',
    watch: { retry: { minMs: 50, maxMs: 200 } },
  });
});
afterAll(async () => {
  await runner.close();
  await kube.close();
  expect(kube.state.rejections.filter((r) => !r.includes(`"${invalidOnPurpose}"`))).toEqual([]);
});

describe('PodRunner.start', () => {
  it('creates the Pod Prow would create, valid for the Kubernetes Pod schema', async () => {
    const pj = job();
    const name = await started(pj, '777');
    const pod = kube.state.pod(NS, name) as {
      metadata: { labels: Record<string, string> };
      spec: {
        restartPolicy: string;
        containers: { name: string; env: { name: string; value: string }[] }[];
        automountServiceAccountToken: boolean;
      };
    };
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.containers.map((c) => c.name)).toEqual(['test']);
    expect(pod.spec.containers[0]!.env).toEqual(
      expect.arrayContaining([
        { name: 'BUILD_ID', value: '777' },
        { name: 'PROW_JOB_ID', value: name },
      ]),
    );
    expect(pod.metadata.labels).toMatchObject({
      'created-by-prow': 'true',
      'prow.k8s.io/id': name,
      'prow.k8s.io/build-id': '777',
      'prow.k8s.io/plank-version': 'test',
    });
    expect(await runner.status(name)).toMatchObject({
      phase: 'pending',
      buildId: '777',
      scheduled: false,
    });
  });

  it('a Pod that already exists is adopted, never duplicated', async () => {
    const pj = job();
    const name = await started(pj, '1');
    await runner.start(pj, '2', envForProwJob(pj, '2'));
    expect(creates(name)).toBe(1);
    expect((await runner.status(name)).buildId).toBe('1');
  });

  it('a Pod still being deleted is not adopted: PodTerminatingError, retry later', async () => {
    kube.state.gracefulPodDeletion = true;
    try {
      const pj = job();
      const name = await started(pj);
      kube.state.bindPod(NS, name);
      await runner.delete(name);
      expect(await runner.status(name)).toMatchObject({ deleting: true });
      await expect(runner.start(pj, 'x', envForProwJob(pj, 'x'))).rejects.toBeInstanceOf(
        PodTerminatingError,
      );
      kube.state.removePod(NS, name);
      await runner.start(pj, 'y', envForProwJob(pj, 'y'));
      expect((await runner.status(name)).buildId).toBe('y');
    } finally {
      kube.state.gracefulPodDeletion = false;
    }
  });

  it('a Pod the apiserver refuses as invalid can never be created: BuildStartError', async () => {
    const pj = job({
      containers: [
        { name: 'a', image: 'a' },
        { name: 'b', image: 'b', ports: [{ containerPort: 'x' }] },
      ],
    });
    invalidOnPurpose = pj.metadata.name;
    const err = await runner.start(pj, '1', envForProwJob(pj, '1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildStartError);
    expect(String(err)).toContain(`create pod ${NS}/${pj.metadata.name}: 422 Invalid`);
  });

  const injected = [
    {
      name: '403 Forbidden (e.g. quota) is a BuildStartError, as Prow errors the job',
      code: 403,
      reason: 'Forbidden',
      terminal: true,
    },
    {
      name: '500 is retryable (plank naks and tries again)',
      code: 500,
      reason: 'InternalError',
      terminal: false,
    },
    { name: '429 is retryable', code: 429, reason: 'TooManyRequests', terminal: false },
  ];
  for (const tc of injected) {
    it(tc.name, async () => {
      kube.state.failNext({ verb: 'create', resource: 'pods', code: tc.code, reason: tc.reason });
      const err = await started().catch((e: unknown) => e);
      expect(err instanceof BuildStartError).toBe(tc.terminal);
      expect(String(err)).toContain(`${tc.code} ${tc.reason}`);
    });
  }
});

describe('PodRunner.status through the Pod phases', () => {
  it('missing → pending → scheduled → running → succeeded', async () => {
    const pj = job();
    const name = pj.metadata.name;
    expect(await runner.status(name)).toEqual({ phase: 'missing' });
    await started(pj, 'b');
    kube.state.bindPod(NS, name);
    kubelet(name, (p) => scheduledStatus(p));
    expect(await runner.status(name)).toMatchObject({ phase: 'pending', scheduled: true });
    kubelet(name, (p) => runningStatus(p));
    expect(await runner.status(name)).toMatchObject({
      phase: 'running',
      startedAt: expect.any(String),
    });
    kubelet(name, (p) => terminatedStatus(p, { exitCode: 0 }));
    expect(await runner.status(name)).toMatchObject({
      phase: 'succeeded',
      exitCode: 0,
      allContainersSucceeded: true,
      finishedAt: expect.any(String),
    });
  });

  it('a failing test container: failed with its exit code', async () => {
    const name = await started();
    kubelet(name, (p) => terminatedStatus(p, { exitCode: 3 }));
    expect(await runner.status(name)).toMatchObject({
      phase: 'failed',
      exitCode: 3,
      reason: 'Error',
    });
  });
});

describe('PodRunner with a decorated job', () => {
  const decorated = (): ProwJob => {
    const pj = job();
    pj.spec.decoration_config = {
      timeout: '2h',
      grace_period: '15s',
      utility_images: {
        clonerefs: 'gcr.io/k8s-prow/clonerefs:v1',
        initupload: 'gcr.io/k8s-prow/initupload:v1',
        entrypoint: 'gcr.io/k8s-prow/entrypoint:v1',
        sidecar: 'gcr.io/k8s-prow/sidecar:v1',
      },
      gcs_configuration: { bucket: 'logs', path_strategy: 'explicit' },
      gcs_credentials_secret: 'gcs-credentials',
    };
    return pj;
  };

  it('creates the decorated Pod, which the apiserver accepts, and follows it to its end', async () => {
    const pj = decorated();
    const name = await started(pj, 'd1');
    const pod = kube.state.pod(NS, name) as {
      spec: {
        initContainers: { name: string }[];
        containers: { name: string; command: string[] }[];
        volumes: { name: string }[];
      };
    };
    expect(pod.spec.initContainers.map((c) => c.name)).toEqual([
      'clonerefs',
      'initupload',
      'place-entrypoint',
    ]);
    expect(pod.spec.containers.map((c) => [c.name, c.command?.[0]])).toEqual([
      ['test', '/tools/entrypoint'],
      ['sidecar', undefined],
    ]);
    expect(pod.spec.volumes.map((v) => v.name)).toEqual(
      expect.arrayContaining(['logs', 'tools', 'code']),
    );
    kube.state.bindPod(NS, name);
    kubelet(name, (p) => runningStatus(p));
    expect(await runner.status(name)).toMatchObject({ phase: 'running' });
    // The entrypoint writes the test's exit code; the sidecar reports it too.
    kubelet(name, (p) => terminatedStatus(p, { exitCode: { test: 2, sidecar: 2 } }));
    expect(await runner.status(name)).toMatchObject({ phase: 'failed', exitCode: 2 });
  });
});

describe('PodRunner.watch: one shared Pod watch', () => {
  it('tells a listener once when its Pod finishes', async () => {
    const name = await started();
    const calls: string[] = [];
    const fn = (n: string) => calls.push(n);
    const reads = () =>
      kube.requests.filter((r) => r === `GET /api/v1/namespaces/${NS}/pods/${name}`).length;
    runner.watch(name, fn);
    runner.watch(name, fn); // the same function twice counts once
    await expect.poll(() => kube.openWatches(), { timeout: 10_000 }).toBeGreaterThan(0);
    kubelet(name, (p) => runningStatus(p));
    await expect.poll(() => calls).toEqual([name]); // Running: plank looks (Prow reconciles on Pod events)
    expect(reads()).toBe(1); // looked at once when first watched, not again for a re-watch
    runner.watch(name, fn);
    kubelet(name, (p) => terminatedStatus(p, { exitCode: 0 }));
    await expect.poll(() => calls).toEqual([name, name]);
  });

  it('a listener added to a finished or missing build is told at once', async () => {
    const name = await started();
    kubelet(name, (p) => terminatedStatus(p, { exitCode: 0 }));
    const calls: string[] = [];
    runner.watch(name, (n) => calls.push(n));
    runner.watch('never-created', (n) => calls.push(n));
    await expect.poll(() => calls.sort()).toEqual([name, 'never-created'].sort());
  });

  it('a deleted Pod tells its listener', async () => {
    const name = await started();
    kubelet(name, (p) => runningStatus(p));
    const calls: string[] = [];
    runner.watch(name, (n) => calls.push(n));
    await runner.stop(name);
    await runner.stop(name); // idempotent
    await expect.poll(() => calls).toEqual([name]);
    expect(await runner.status(name)).toEqual({ phase: 'missing' });
  });

  it('after a gap the watch cannot resume over (410), every listener is told', async () => {
    const name = await started();
    kubelet(name, (p) => runningStatus(p));
    const calls: string[] = [];
    runner.watch(name, (n) => calls.push(n));
    await expect.poll(() => kube.openWatches(), { timeout: 10_000 }).toBeGreaterThan(0);
    await kube.stop();
    try {
      kube.state.compact();
    } finally {
      await kube.start();
    }
    await expect.poll(() => calls, { timeout: 10_000 }).toEqual([name]);
  });
});

describe('PodRunner: list, logs, close', () => {
  it('lists the Pods plank created (created-by-prow=true) as builds', async () => {
    const name = await started(job(), '99');
    kubelet(name, (p) => runningStatus(p));
    const other = {
      metadata: { name: 'not-prow' },
      spec: { containers: [{ name: 'x', image: 'y' }] },
    };
    kube.state.create(kube.state.def('pods'), NS, other);
    const builds = await runner.list();
    expect(builds.find((b) => b.name === name)).toEqual({
      name,
      prowJob: name,
      startedAt: expect.any(String),
      phase: 'running',
      buildId: '99',
    });
    expect(builds.some((b) => b.name === 'not-prow')).toBe(false);
  });

  it("reads the test container's log: '' before it runs, the tail when asked, undefined without a Pod", async () => {
    const name = await started();
    expect(await runner.readLog(name)).toBe('');
    kubelet(name, (p) => terminatedStatus(p, { exitCode: 0 }));
    kube.state.setPodLog(NS, name, 'line 1\nline 2\n');
    expect(await runner.readLog(name)).toBe('line 1\nline 2\n');
    expect(await runner.readLog(name, { tailBytes: 7 })).toBe(
      '[… 7 earlier bytes not shown …]\nline 2\n',
    );
    expect(await runner.readLog('no-such-pod')).toBeUndefined();
  });

  it('close() ends the Pod watch', async () => {
    const r = new PodRunner({ kubeConfig: kube.kubeConfig(), namespace: 'closing' });
    r.watch('x', () => {});
    await expect
      .poll(() =>
        kube.requests.some(
          (q) => q.includes('/namespaces/closing/pods?') && q.includes('watch=true'),
        ),
      )
      .toBe(true);
    const before = kube.openWatches();
    await r.close();
    await expect.poll(() => kube.openWatches()).toBe(before - 1);
  });
});
