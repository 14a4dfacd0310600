import { describe, expect, it } from 'vitest';
import { envForProwJob, newProwJob, periodicSpec, presubmitSpec } from '@jetprow/core';
import type { PodSpec, ProwJob } from '@jetprow/schemas';
import { BuildStartError } from './job-runner.js';
import { prowJobToPod } from './pod-spec.js';

const opts = { namespace: 'test-pods', plankVersion: 'v20260101-abc' };
const BUILD = '1234567890';

function presubmit(spec: object | undefined, name = 'pull-widgets-unit'): ProwJob {
  const ps = presubmitSpec(
    { name, ...(spec ? { spec: spec as PodSpec } : {}) },
    {
      org: 'acme',
      repo: 'widgets',
      base_ref: 'main',
      base_sha: 'b'.repeat(40),
      pulls: [{ number: 12, author: 'alice', sha: 'a'.repeat(40) }],
    },
  );
  return newProwJob(ps, {
    name: '6b3f2c1e-0000-4000-8000-000000000001',
    now: new Date('2026-01-01T00:00:00Z'),
    labels: { 'event-GUID': 'guid-1' },
    annotations: { note: 'kept' },
  });
}
const pod = (pj: ProwJob) => prowJobToPod(pj, BUILD, envForProwJob(pj, BUILD), opts);
const one = {
  containers: [
    { name: '', image: 'alpine', command: ['make', 'test'], env: [{ name: 'MINE', value: '1' }] },
  ],
};

describe("prowJobToPod: the Pod Prow's plank creates", () => {
  it('is named after the ProwJob and lives in pod_namespace', () => {
    const p = pod(presubmit(one));
    expect(p.metadata.name).toBe('6b3f2c1e-0000-4000-8000-000000000001');
    expect(p.metadata.namespace).toBe('test-pods');
    expect(p).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
  });

  it('restartPolicy is always Never', () => {
    expect(pod(presubmit({ ...one, restartPolicy: 'Always' })).spec.restartPolicy).toBe('Never');
  });

  it('a lone container is named test; several keep their names', () => {
    expect(pod(presubmit(one)).spec.containers.map((c) => c.name)).toEqual(['test']);
    const two = {
      containers: [
        { name: 'main', image: 'a' },
        { name: 'helper', image: 'b' },
      ],
    };
    expect(pod(presubmit(two)).spec.containers.map((c) => c.name)).toEqual(['main', 'helper']);
  });

  const automount = [
    { name: 'no service account: the token is not mounted', spec: one, want: false },
    {
      name: 'a named service account: left to Kubernetes',
      spec: { ...one, serviceAccountName: 'ci' },
      want: undefined,
    },
    {
      name: 'an explicit automount is kept',
      spec: { ...one, automountServiceAccountToken: true },
      want: true,
    },
  ];
  for (const tc of automount) {
    it(`automountServiceAccountToken: ${tc.name}`, () => {
      expect(pod(presubmit(tc.spec)).spec.automountServiceAccountToken).toBe(tc.want);
    });
  }

  it("Prow's env vars follow the container's own, sorted by name, in every container", () => {
    const pj = presubmit(one);
    const env = pod(pj).spec.containers[0]!.env!;
    expect(env[0]).toEqual({ name: 'MINE', value: '1' });
    const prow = env.slice(1);
    expect(prow.map((e) => e.name)).toEqual([...prow.map((e) => e.name)].sort());
    // Go's EnvVar.value is omitempty: an empty value is written as a bare name.
    expect(Object.fromEntries(prow.map((e) => [e.name, e.value ?? '']))).toEqual(
      envForProwJob(pj, BUILD),
    );
    expect(prow.find((e) => e.name === 'PULL_TITLE')).toEqual({ name: 'PULL_TITLE' });
    expect(Object.fromEntries(prow.map((e) => [e.name, e.value]))).toMatchObject({
      BUILD_ID: BUILD,
      JOB_NAME: 'pull-widgets-unit',
      PROW_JOB_ID: pj.metadata.name,
      PULL_NUMBER: '12',
      REPO_OWNER: 'acme',
    });
  });

  it('terminationMessagePolicy defaults to FallbackToLogsOnError; an explicit one is kept', () => {
    const spec = {
      initContainers: [{ name: 'init', image: 'x' }],
      containers: [
        { name: 'a', image: 'x' },
        { name: 'b', image: 'x', terminationMessagePolicy: 'File' },
      ],
    };
    const p = pod(presubmit(spec));
    expect(p.spec.initContainers![0]!.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    expect(p.spec.containers.map((c) => c.terminationMessagePolicy)).toEqual([
      'FallbackToLogsOnError',
      'File',
    ]);
  });

  it("labels and annotations: Prow's, the job's own, the ProwJob id, build id and plank version", () => {
    const p = pod(presubmit(one));
    expect(p.metadata.labels).toEqual({
      'created-by-prow': 'true',
      'prow.k8s.io/type': 'presubmit',
      'prow.k8s.io/job': 'pull-widgets-unit',
      'prow.k8s.io/context': 'pull-widgets-unit',
      'prow.k8s.io/refs.org': 'acme',
      'prow.k8s.io/refs.repo': 'widgets',
      'prow.k8s.io/refs.base_ref': 'main',
      'prow.k8s.io/refs.pull': '12',
      'event-GUID': 'guid-1',
      'prow.k8s.io/id': '6b3f2c1e-0000-4000-8000-000000000001',
      'prow.k8s.io/build-id': BUILD,
      'prow.k8s.io/plank-version': 'v20260101-abc',
    });
    expect(p.metadata.annotations).toEqual({
      'prow.k8s.io/job': 'pull-widgets-unit',
      'prow.k8s.io/context': 'pull-widgets-unit',
      note: 'kept',
    });
  });

  it('a job name longer than a label value is truncated in the label, whole in the annotation', () => {
    const long = `ci-${'x'.repeat(70)}`;
    const pj = newProwJob(periodicSpec({ name: long, spec: one as PodSpec }), {
      name: 'p1',
      now: new Date(),
    });
    const p = prowJobToPod(pj, BUILD, envForProwJob(pj, BUILD), opts);
    expect(p.metadata.labels['prow.k8s.io/job']).toBe(long.slice(0, 63));
    expect(p.metadata.annotations['prow.k8s.io/job']).toBe(long);
  });

  it("the job's pod_spec is not changed", () => {
    const pj = presubmit(one);
    const before = structuredClone(pj.spec.pod_spec);
    pod(pj);
    expect(pj.spec.pod_spec).toEqual(before);
  });

  it('a job without pod_spec cannot be built (Prow: lacks a pod spec)', () => {
    expect(() => pod(presubmit(undefined))).toThrow(BuildStartError);
    expect(() => pod(presubmit(undefined))).toThrow('lacks a pod spec');
  });
});
