import { describe, expect, it } from 'vitest';
import { envForProwJob, refsString } from './pod-env.js';
import { newProwJob, periodicSpec, postsubmitSpec, presubmitSpec } from './new-prowjob.js';

const refs = {
  org: 'kubernetes',
  repo: 'test-infra',
  repo_link: 'https://github.com/kubernetes/test-infra',
  base_ref: 'master',
  base_sha: '064678510782db5b382df478bb374aaa32e577ea',
  pulls: [
    {
      number: 2716,
      author: 'ixdy',
      sha: 'dc32ccc9ea3672ccc523b7cbaa8b00360b4183cd',
      title: 'Fix it',
      head_ref: 'fix',
    },
  ],
};
const now = new Date('2026-01-02T03:04:05Z');

describe('Prow env vars (downwardapi.EnvForSpec)', () => {
  it('presubmit gets base, refs and pull vars', () => {
    const pj = newProwJob(presubmitSpec({ name: 'pull-test-infra-bazel' }, refs), {
      name: 'pj-1',
      now,
    });
    const env = envForProwJob(pj, '1234');
    expect(env).toMatchObject({
      CI: 'true',
      JOB_NAME: 'pull-test-infra-bazel',
      JOB_TYPE: 'presubmit',
      BUILD_ID: '1234',
      BUILD_NUMBER: '1234',
      PROW_JOB_ID: 'pj-1',
      REPO_OWNER: 'kubernetes',
      REPO_NAME: 'test-infra',
      SRC_HOST: 'github.com',
      SRC_BASE: 'kubernetes/test-infra',
      PULL_BASE_REF: 'master',
      PULL_BASE_SHA: refs.base_sha,
      PULL_REFS: `master:${refs.base_sha},2716:${refs.pulls[0]!.sha}`,
      PULL_NUMBER: '2716',
      PULL_PULL_SHA: refs.pulls[0]!.sha,
      PULL_HEAD_REF: 'fix',
      PULL_TITLE: 'Fix it',
    });
    expect(JSON.parse(env.JOB_SPEC!)).toEqual({
      type: 'presubmit',
      job: 'pull-test-infra-bazel',
      buildid: '1234',
      prowjobid: 'pj-1',
      refs: pj.spec.refs,
    });
  });

  it('postsubmit has no pull vars', () => {
    const { pulls: _p, ...base } = refs;
    const env = envForProwJob(
      newProwJob(postsubmitSpec({ name: 'post' }, base), { name: 'pj-2', now }),
      '7',
    );
    expect(env.PULL_BASE_SHA).toBe(refs.base_sha);
    expect(env.PULL_REFS).toBe(`master:${refs.base_sha}`);
    expect(env).not.toHaveProperty('PULL_NUMBER');
  });

  it('periodic gets only the base vars, even with extra_refs', () => {
    const pj = newProwJob(
      periodicSpec({ name: 'ci-nightly', extra_refs: [{ org: 'o', repo: 'r', base_ref: 'main' }] }),
      { name: 'pj-3', now },
    );
    const env = envForProwJob(pj, '9');
    expect(Object.keys(env).sort()).toEqual([
      'BUILD_ID',
      'BUILD_NUMBER',
      'CI',
      'JOB_NAME',
      'JOB_SPEC',
      'JOB_TYPE',
      'PROW_JOB_ID',
    ]);
  });

  it('path_alias sets SRC_HOST and SRC_BASE', () => {
    const pj = newProwJob(presubmitSpec({ name: 'x', path_alias: 'k8s.io/test-infra' }, refs), {
      name: 'pj',
      now,
    });
    const env = envForProwJob(pj, '1');
    expect([env.SRC_HOST, env.SRC_BASE]).toEqual(['k8s.io', 'test-infra']);
  });

  it('refsString includes pull refs when set', () => {
    expect(
      refsString({
        org: 'o',
        repo: 'r',
        base_ref: 'main',
        pulls: [{ number: 1, author: 'a', sha: 's', ref: 'refs/pull/1/head' }],
      }),
    ).toBe('main,1:s:refs/pull/1/head');
  });
});

describe('newProwJob labels (LabelsAndAnnotationsForSpec)', () => {
  it('sets Prow labels, truncates long job names and keeps them in annotations', () => {
    const long = 'pull-kubernetes-e2e-gce-very-long-job-name-that-exceeds-the-label-limit-of-63';
    const pj = newProwJob(presubmitSpec({ name: long }, refs), {
      name: 'n',
      now,
      labels: { 'event-GUID': 'g-1' },
    });
    expect(pj.metadata.labels).toMatchObject({
      'created-by-prow': 'true',
      'prow.k8s.io/type': 'presubmit',
      'prow.k8s.io/refs.org': 'kubernetes',
      'prow.k8s.io/refs.repo': 'test-infra',
      'prow.k8s.io/refs.base_ref': 'master',
      'prow.k8s.io/refs.pull': '2716',
      'event-GUID': 'g-1',
    });
    expect(pj.metadata.labels!['prow.k8s.io/job']!.length).toBeLessThanOrEqual(63);
    expect(pj.metadata.annotations!['prow.k8s.io/job']).toBe(long);
    expect(pj.status).toEqual({ startTime: now.toISOString(), state: 'triggered' });
    expect(pj.spec).toMatchObject({
      type: 'presubmit',
      context: long,
      report: true,
      rerun_command: `/test ${long}`,
      agent: 'kubernetes',
      cluster: 'default',
    });
  });

  it('drops label values that are invalid even as a basename', () => {
    const pj = newProwJob(presubmitSpec({ name: 'j' }, refs), {
      name: 'n',
      now,
      labels: { bad: 'has spaces/and more spaces' },
    });
    expect(pj.metadata.labels).not.toHaveProperty('bad');
  });
});

describe('JOB_SPEC is written as Prow json.Marshal writes it', () => {
  it('Go field order whatever the input order, durations as Go strings, HTML-safe escapes', () => {
    // Keys deliberately out of Go's order; a title with characters Go escapes.
    const scrambled = {
      pulls: [{ title: 'a <b> & c', sha: 'dc32', number: 3, author: 'ixdy' }],
      base_sha: '0646',
      base_ref: 'master',
      repo: 'test-infra',
      org: 'kubernetes',
    };
    const pj = newProwJob(
      presubmitSpec(
        {
          name: 'pull-x',
          decoration_config: {
            gcs_configuration: { mediaTypes: { z: 'text/z', a: 'text/a' }, bucket: 'b' },
            grace_period: '15s',
            timeout: '2h',
            utility_images: { sidecar: 's', clonerefs: 'c' },
          },
        },
        scrambled,
      ),
      { name: 'pj-1', now },
    );
    expect(envForProwJob(pj, '7').JOB_SPEC).toBe(
      '{"type":"presubmit","job":"pull-x","buildid":"7","prowjobid":"pj-1",' +
        '"refs":{"org":"kubernetes","repo":"test-infra","base_ref":"master","base_sha":"0646",' +
        '"pulls":[{"number":3,"author":"ixdy","sha":"dc32","title":"a \\u003cb\\u003e \\u0026 c"}]},' +
        '"decoration_config":{"timeout":"2h0m0s","grace_period":"15s",' +
        '"utility_images":{"clonerefs":"c","sidecar":"s"},' +
        '"gcs_configuration":{"bucket":"b","mediaTypes":{"a":"text/a","z":"text/z"}}}}',
    );
  });

  it('a pull without an author still carries `"author":""` (no omitempty in Go)', () => {
    const pj = newProwJob(
      presubmitSpec(
        { name: 'pull-x' },
        { org: 'o', repo: 'r', pulls: [{ number: 1, sha: 's' } as never] },
      ),
      { name: 'pj-1', now },
    );
    expect(envForProwJob(pj, '7').JOB_SPEC).toContain(
      '"pulls":[{"number":1,"author":"","sha":"s"}]',
    );
  });
});
