// Decoration (`decorate: true`): the Pod Prow's decorate() builds, field by field. The options
// JSON each pod utility reads is compared byte for byte: clonerefs, initupload, entrypoint and
// sidecar parse exactly these documents.
import { describe, expect, it } from 'vitest';
import { envForProwJob, newProwJob, periodicSpec, presubmitSpec } from '@jetprow/core';
import type { PodSpec, ProwJob, Refs } from '@jetprow/schemas';
import { podProblems } from '@jetprow/testing';
import { BuildStartError } from './job-runner.js';
import { prowJobToPod, type PodContainer, type PodManifest } from './pod-spec.js';

const BUILD = '1730000000000000000';
const NAME = '0b6d7c1e-0000-4000-8000-00000000000a';
const opts = { namespace: 'test-pods', plankVersion: 'jetprow' };
const images = {
  clonerefs: 'registry.example/clonerefs:v1',
  initupload: 'registry.example/initupload:v1',
  entrypoint: 'registry.example/entrypoint:v1',
  sidecar: 'registry.example/sidecar:v1',
};
const gcs = {
  bucket: 'acme-ci-logs',
  path_strategy: 'explicit',
  mediaTypes: { log: 'text/plain' },
};
const DC = {
  timeout: '90m',
  grace_period: '30s',
  utility_images: images,
  gcs_configuration: gcs,
  gcs_credentials_secret: 'gcs-sa',
};
const REFS: Refs = {
  org: 'acme',
  repo: 'widgets',
  base_ref: 'main',
  base_sha: 'b'.repeat(40),
  pulls: [{ number: 7, author: 'alice', sha: 'a'.repeat(40), title: 'Fix <b> & stuff' }],
};
const ONE = {
  containers: [{ name: '', image: 'golang:1.22', command: ['make'], args: ['test'] }],
};

function job(
  dc: Record<string, unknown> | undefined,
  spec: object = ONE,
  refs: Refs = REFS,
  extra?: Refs[],
): ProwJob {
  const ps = presubmitSpec(
    {
      name: 'pull-widgets-unit',
      spec: structuredClone(spec) as PodSpec,
      ...(dc ? { decoration_config: structuredClone(dc) } : {}),
      ...(extra ? { extra_refs: extra } : {}),
    },
    refs,
  );
  return newProwJob(ps, { name: NAME, now: new Date('2026-01-01T00:00:00Z') });
}
const pod = (pj: ProwJob): PodManifest => prowJobToPod(pj, BUILD, envForProwJob(pj, BUILD), opts);
const envOf = (c: PodContainer | undefined, name: string) =>
  c?.env?.find((e) => e.name === name)?.value;
const byName = (cs: PodContainer[] | undefined, name: string) => cs?.find((c) => c.name === name);
const json = (c: PodContainer | undefined, name: string): unknown => JSON.parse(envOf(c, name)!);

describe('a decorated Pod (Prow decorate())', () => {
  const pj = job(DC);
  const p = pod(pj);
  const test = p.spec.containers[0]!;

  it('adds clonerefs, initupload and place-entrypoint before the job, and the sidecar after', () => {
    expect(p.spec.initContainers!.map((c) => [c.name, c.image])).toEqual([
      ['clonerefs', images.clonerefs],
      ['initupload', images.initupload],
      ['place-entrypoint', images.entrypoint],
    ]);
    expect(p.spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['test', 'golang:1.22'],
      ['sidecar', images.sidecar],
    ]);
  });

  it('wraps the test command in /tools/entrypoint with its timeout and grace period', () => {
    expect(test.command).toEqual(['/tools/entrypoint']);
    expect(test.args).toBeUndefined();
    expect(envOf(test, 'ENTRYPOINT_OPTIONS')).toBe(
      '{"timeout":5400000000000,"grace_period":30000000000,"artifact_dir":"/logs/artifacts",' +
        '"args":["make","test"],"container_name":"test","process_log":"/logs/process-log.txt",' +
        '"marker_file":"/logs/marker-file.txt","metadata_file":"/logs/artifacts/metadata.json"}',
    );
  });

  it("gives the test Prow's env plus ARTIFACTS and GOPATH, sorted, then ENTRYPOINT_OPTIONS", () => {
    const names = test.env!.map((e) => e.name);
    expect(names.at(-1)).toBe('ENTRYPOINT_OPTIONS');
    const prow = names.slice(0, -1);
    expect(prow).toEqual([...prow].sort());
    expect(envOf(test, 'ARTIFACTS')).toBe('/logs/artifacts');
    expect(envOf(test, 'GOPATH')).toBe('/home/prow/go');
    expect(envOf(test, 'PULL_NUMBER')).toBe('7');
    expect(envOf(test, 'JOB_SPEC')).toBe(envForProwJob(pj, BUILD).JOB_SPEC);
  });

  it('mounts logs, tools and code in the test and works in the checked-out repo', () => {
    expect(test.volumeMounts).toEqual([
      { name: 'logs', mountPath: '/logs' },
      { name: 'tools', mountPath: '/tools' },
      { name: 'code', mountPath: '/home/prow/go' },
    ]);
    expect(test.workingDir).toBe('/home/prow/go/src/github.com/acme/widgets');
    expect(p.spec.volumes).toEqual([
      { name: 'logs', emptyDir: {} },
      { name: 'tools', emptyDir: {} },
      { name: 'gcs-credentials', secret: { secretName: 'gcs-sa' } },
      { name: 'clonerefs-tmp', emptyDir: {} },
      { name: 'code', emptyDir: {} },
    ]);
  });

  it('clonerefs gets the refs, the clone log path and its mounts', () => {
    const c = byName(p.spec.initContainers, 'clonerefs');
    expect(envOf(c, 'CLONEREFS_OPTIONS')).toBe(
      '{"src_root":"/home/prow/go","log":"/logs/clone.json","git_user_name":"ci-robot",' +
        '"git_user_email":"ci-robot@k8s.io","refs":[{"org":"acme","repo":"widgets","base_ref":"main",' +
        `"base_sha":"${'b'.repeat(40)}","pulls":[{"number":7,"author":"alice","sha":"${'a'.repeat(40)}",` +
        '"title":"Fix \\u003cb\\u003e \\u0026 stuff"}]}],"github_api_endpoints":["https://api.github.com"]}',
    );
    expect(c!.volumeMounts).toEqual([
      { name: 'logs', mountPath: '/logs' },
      { name: 'code', mountPath: '/home/prow/go' },
      { name: 'clonerefs-tmp', mountPath: '/tmp' },
    ]);
    expect(c!.args).toBeUndefined();
  });

  it('initupload gets the GCS options, the clone log and JOB_SPEC', () => {
    const c = byName(p.spec.initContainers, 'initupload');
    expect(c!.env!.map((e) => e.name)).toEqual(['INITUPLOAD_OPTIONS', 'JOB_SPEC']);
    expect(envOf(c, 'INITUPLOAD_OPTIONS')).toBe(
      '{"bucket":"acme-ci-logs","path_strategy":"explicit","mediaTypes":{"log":"text/plain"},' +
        '"gcs_credentials_file":"/secrets/gcs/service-account.json","dry_run":false,"log":"/logs/clone.json"}',
    );
    expect(envOf(c, 'JOB_SPEC')).toBe(envOf(test, 'JOB_SPEC'));
    expect(c!.volumeMounts).toEqual([
      { name: 'logs', mountPath: '/logs' },
      { name: 'gcs-credentials', mountPath: '/secrets/gcs' },
    ]);
  });

  it('place-entrypoint copies the entrypoint into the tools volume', () => {
    expect(byName(p.spec.initContainers, 'place-entrypoint')).toEqual({
      name: 'place-entrypoint',
      image: images.entrypoint,
      args: ['--copy-mode-only'],
      volumeMounts: [{ name: 'tools', mountPath: '/tools' }],
      terminationMessagePolicy: 'FallbackToLogsOnError',
    });
  });

  it('the sidecar waits for the entry and uploads the artifacts', () => {
    const c = byName(p.spec.containers, 'sidecar');
    expect(c!.env!.map((e) => e.name)).toEqual(['JOB_SPEC', 'SIDECAR_OPTIONS']);
    expect(envOf(c, 'SIDECAR_OPTIONS')).toBe(
      '{"gcs_options":{"items":["/logs/artifacts"],"bucket":"acme-ci-logs","path_strategy":"explicit",' +
        '"mediaTypes":{"log":"text/plain"},"gcs_credentials_file":"/secrets/gcs/service-account.json",' +
        '"dry_run":false},"entries":[{"args":["make","test"],"container_name":"test",' +
        '"process_log":"/logs/process-log.txt","marker_file":"/logs/marker-file.txt",' +
        '"metadata_file":"/logs/artifacts/metadata.json"}],"censoring_options":{}}',
    );
    expect(c!.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    expect(c!.volumeMounts).toEqual([
      { name: 'logs', mountPath: '/logs' },
      { name: 'gcs-credentials', mountPath: '/secrets/gcs' },
    ]);
  });

  it('the Pod grace period covers the test grace and the upload (5/4), the token stays unmounted', () => {
    expect(p.spec.terminationGracePeriodSeconds).toBe(37);
    expect(p.spec.automountServiceAccountToken).toBe(false);
    expect(p.spec.securityContext).toEqual({});
    expect(p.spec.restartPolicy).toBe('Never');
  });

  it('is a Pod the Kubernetes schema accepts', async () => {
    expect(await podProblems(p as unknown as Record<string, unknown>)).toEqual([]);
  });
});

describe('decoration options, one row each', () => {
  type Row = {
    name: string;
    dc?: Record<string, unknown>;
    spec?: object;
    refs?: Refs;
    extra?: Refs[];
    check(p: PodManifest): void;
  };
  const rows: Row[] = [
    {
      name: 'skip_cloning: no clonerefs, no code volume, no working dir, no clone log',
      dc: { ...DC, skip_cloning: true },
      check(p) {
        expect(p.spec.initContainers!.map((c) => c.name)).toEqual([
          'initupload',
          'place-entrypoint',
        ]);
        expect((p.spec.volumes as { name: string }[]).map((v) => v.name)).toEqual([
          'logs',
          'tools',
          'gcs-credentials',
        ]);
        expect(p.spec.containers[0]!.workingDir).toBeUndefined();
        const up = byName(p.spec.initContainers, 'initupload');
        expect(json(up, 'INITUPLOAD_OPTIONS')).not.toHaveProperty('log');
        expect(up!.volumeMounts).toEqual([{ name: 'gcs-credentials', mountPath: '/secrets/gcs' }]);
        expect(envOf(p.spec.containers[0], 'GOPATH')).toBe('/home/prow/go');
      },
    },
    {
      name: 'extra_refs with workdir: cloned after the main refs, the work dir is theirs',
      extra: [
        {
          org: 'acme',
          repo: 'tools',
          base_ref: 'main',
          workdir: true,
          path_alias: 'acme.dev/tools',
        },
      ],
      check(p) {
        const refs = json(byName(p.spec.initContainers, 'clonerefs'), 'CLONEREFS_OPTIONS') as {
          refs: Refs[];
        };
        expect(refs.refs.map((r) => r.repo)).toEqual(['widgets', 'tools']);
        expect(p.spec.containers[0]!.workingDir).toBe('/home/prow/go/src/acme.dev/tools');
      },
    },
    {
      name: 'repo_link: the work dir is the link without its scheme',
      refs: { ...REFS, repo_link: 'https://git.example.com/acme/widgets' },
      check(p) {
        expect(p.spec.containers[0]!.workingDir).toBe(
          '/home/prow/go/src/git.example.com/acme/widgets',
        );
      },
    },
    {
      name: 'ssh_key_secrets and host fingerprints: read-only 0400 mounts, key files for clonerefs',
      dc: {
        ...DC,
        ssh_key_secrets: ['deploy-key'],
        ssh_host_fingerprints: ['github.com ssh-ed25519 AAAA'],
      },
      check(p) {
        const c = byName(p.spec.initContainers, 'clonerefs')!;
        expect(c.volumeMounts).toContainEqual({
          name: 'ssh-keys-deploy-key',
          mountPath: '/secrets/ssh/deploy-key',
          readOnly: true,
        });
        expect(p.spec.volumes).toContainEqual({
          name: 'ssh-keys-deploy-key',
          secret: { secretName: 'deploy-key', defaultMode: 0o400 },
        });
        expect(json(c, 'CLONEREFS_OPTIONS')).toMatchObject({
          key_files: ['/secrets/ssh/deploy-key'],
          host_fingerprints: ['github.com ssh-ed25519 AAAA'],
        });
      },
    },
    {
      name: 'oauth_token_secret: one key of the secret, mounted for clonerefs',
      dc: { ...DC, oauth_token_secret: { name: 'github-token', key: 'oauth' } },
      check(p) {
        const c = byName(p.spec.initContainers, 'clonerefs')!;
        expect(json(c, 'CLONEREFS_OPTIONS')).toMatchObject({
          oauth_token_file: '/secrets/oauth/oauth',
        });
        expect(p.spec.volumes).toContainEqual({
          name: 'github-token',
          secret: { secretName: 'github-token', items: [{ key: 'oauth', path: './oauth' }] },
        });
        expect(c.volumeMounts).toContainEqual({
          name: 'github-token',
          mountPath: '/secrets/oauth',
          readOnly: true,
        });
      },
    },
    {
      name: 'GitHub App: app id, private key file and API endpoints for clonerefs',
      dc: {
        ...DC,
        github_app_id: '1234',
        github_app_private_key_secret: { name: 'app-key', key: 'cert' },
        github_api_endpoints: ['http://ghproxy', 'https://api.github.com'],
      },
      check(p) {
        const opts = json(byName(p.spec.initContainers, 'clonerefs'), 'CLONEREFS_OPTIONS');
        expect(opts).toMatchObject({
          github_api_endpoints: ['http://ghproxy', 'https://api.github.com'],
          github_app_id: '1234',
          github_app_private_key_file: '/secrets/github-app/cert',
        });
      },
    },
    {
      name: 'cookiefile_secret "name/key": the key inside the secret, passed as --cookiefile',
      dc: { ...DC, cookiefile_secret: 'cookies/.gitcookies' },
      check(p) {
        const c = byName(p.spec.initContainers, 'clonerefs')!;
        expect(c.args).toEqual(['--cookiefile=/secrets/cookiefile/.gitcookies']);
        expect(json(c, 'CLONEREFS_OPTIONS')).toMatchObject({
          cookie_path: '/secrets/cookiefile/.gitcookies',
        });
        expect(p.spec.volumes).toContainEqual({
          name: 'cookiefile',
          secret: { secretName: 'cookies', defaultMode: 0o400 },
        });
      },
    },
    {
      name: 'cookiefile_secret "name": the key defaults to the secret name',
      dc: { ...DC, cookiefile_secret: 'cookies' },
      check(p) {
        expect(byName(p.spec.initContainers, 'clonerefs')!.args).toEqual([
          '--cookiefile=/secrets/cookiefile/cookies',
        ]);
      },
    },
    {
      name: 's3_credentials_secret: mounted for the uploaders',
      dc: { ...DC, gcs_credentials_secret: undefined, s3_credentials_secret: 's3-creds' },
      check(p) {
        const up = byName(p.spec.initContainers, 'initupload');
        expect(json(up, 'INITUPLOAD_OPTIONS')).toMatchObject({
          s3_credentials_file: '/secrets/s3-storage/service-account.json',
        });
        expect(json(up, 'INITUPLOAD_OPTIONS')).not.toHaveProperty('gcs_credentials_file');
        expect(byName(p.spec.containers, 'sidecar')!.volumeMounts).toContainEqual({
          name: 's3-credentials',
          mountPath: '/secrets/s3-storage',
        });
      },
    },
    {
      name: 'several containers: each wrapped, its logs prefixed by its name, one sidecar entry each',
      spec: {
        containers: [
          { name: 'unit', image: 'a', command: ['make', 'unit'] },
          { name: 'lint', image: 'b', args: ['lint'] },
        ],
      },
      check(p) {
        expect(p.spec.containers.map((c) => c.name)).toEqual(['unit', 'lint', 'sidecar']);
        expect(json(p.spec.containers[1], 'ENTRYPOINT_OPTIONS')).toMatchObject({
          args: ['lint'],
          container_name: 'lint',
          process_log: '/logs/lint-log.txt',
          marker_file: '/logs/lint-marker.txt',
          metadata_file: '/logs/artifacts/lint-metadata.json',
        });
        const side = json(byName(p.spec.containers, 'sidecar'), 'SIDECAR_OPTIONS') as {
          entries: { container_name: string }[];
        };
        expect(side.entries.map((e) => e.container_name)).toEqual(['unit', 'lint']);
      },
    },
    {
      name: 'censor_secrets: the test’s secret mounts are censored by the sidecar',
      dc: {
        ...DC,
        censor_secrets: true,
        censoring_options: { minimum_secret_length: 8, include_directories: ['**/*.log'] },
      },
      spec: {
        volumes: [
          { name: 'creds', secret: { secretName: 'creds' } },
          { name: 'cache', emptyDir: {} },
        ],
        containers: [
          {
            name: '',
            image: 'a',
            command: ['t'],
            volumeMounts: [
              { name: 'creds', mountPath: '/etc/creds' },
              { name: 'cache', mountPath: '/cache' },
            ],
          },
        ],
      },
      check(p) {
        const side = byName(p.spec.containers, 'sidecar')!;
        expect(json(side, 'SIDECAR_OPTIONS')).toMatchObject({
          censoring_options: {
            secret_directories: ['/etc/creds'],
            include_directories: ['**/*.log'],
            minimum_secret_length: 8,
          },
        });
        expect(side.volumeMounts).toContainEqual({ name: 'creds', mountPath: '/etc/creds' });
      },
    },
    {
      name: 'secret mounts without censor_secrets are not given to the sidecar',
      spec: {
        volumes: [{ name: 'creds', secret: { secretName: 'creds' } }],
        containers: [
          {
            name: '',
            image: 'a',
            command: ['t'],
            volumeMounts: [{ name: 'creds', mountPath: '/etc/creds' }],
          },
        ],
      },
      check(p) {
        expect(json(byName(p.spec.containers, 'sidecar'), 'SIDECAR_OPTIONS')).toMatchObject({
          censoring_options: {},
        });
      },
    },
    {
      name: 'upload_ignores_interrupts reaches the sidecar',
      dc: { ...DC, upload_ignores_interrupts: true },
      check(p) {
        expect(json(byName(p.spec.containers, 'sidecar'), 'SIDECAR_OPTIONS')).toMatchObject({
          ignore_interrupts: true,
        });
      },
    },
    {
      name: 'default_memory_request fills unset requests; set_limit_equals_memory_request copies them to limits',
      dc: { ...DC, default_memory_request: '4Gi', set_limit_equals_memory_request: true },
      spec: {
        containers: [
          {
            name: 'big',
            image: 'a',
            command: ['t'],
            resources: { requests: { memory: '8Gi' }, limits: { memory: '100Gi' } },
          },
          { name: 'small', image: 'b', command: ['t'] },
        ],
      },
      check(p) {
        expect(p.spec.containers.map((c) => c.resources)).toEqual([
          { requests: { memory: '8Gi' }, limits: { memory: '8Gi' } },
          { requests: { memory: '4Gi' }, limits: { memory: '4Gi' } },
          undefined,
        ]);
      },
    },
    {
      name: 'utility container resources from decoration_config.resources',
      dc: {
        ...DC,
        resources: {
          clonerefs: { requests: { cpu: '100m' } },
          initupload: { requests: { cpu: '200m' } },
          place_entrypoint: { limits: { memory: '64Mi' } },
          sidecar: { requests: { memory: '128Mi' } },
        },
      },
      check(p) {
        const all = [...p.spec.initContainers!, ...p.spec.containers];
        expect(Object.fromEntries(all.map((c) => [c.name, c.resources]))).toEqual({
          clonerefs: { requests: { cpu: '100m' } },
          initupload: { requests: { cpu: '200m' } },
          'place-entrypoint': { limits: { memory: '64Mi' } },
          test: undefined,
          sidecar: { requests: { memory: '128Mi' } },
        });
      },
    },
    {
      name: 'run_as_user/group and fs_group fill the pod security context, never override it',
      dc: { ...DC, run_as_user: 1000, run_as_group: 1000, fs_group: 2000 },
      spec: { ...ONE, securityContext: { runAsUser: 0 } },
      check(p) {
        expect(p.spec.securityContext).toEqual({ runAsUser: 0, runAsGroup: 1000, fsGroup: 2000 });
      },
    },
    {
      name: 'scheduling_options apply only where the job sets none',
      dc: {
        ...DC,
        scheduling_options: {
          tolerations: [{ key: 'ci', operator: 'Exists', effect: 'NoSchedule' }],
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchExpressions: [{ key: 'pool', operator: 'In', values: ['ci'] }] },
                ],
              },
            },
          },
        },
      },
      spec: { ...ONE, tolerations: [{ key: 'own', operator: 'Exists' }] },
      check(p) {
        expect(p.spec.tolerations).toEqual([{ key: 'own', operator: 'Exists' }]);
        expect(p.spec.affinity).toHaveProperty('nodeAffinity');
      },
    },
    {
      name: 'default_service_account_name applies when the job names none; the token stays unmounted',
      dc: { ...DC, default_service_account_name: 'prow-job' },
      check(p) {
        expect(p.spec.serviceAccountName).toBe('prow-job');
        expect(p.spec.automountServiceAccountToken).toBe(false);
      },
    },
    {
      name: 'a job’s own service account and termination grace period win',
      dc: { ...DC, default_service_account_name: 'prow-job' },
      spec: { ...ONE, serviceAccountName: 'mine', terminationGracePeriodSeconds: 5 },
      check(p) {
        expect(p.spec.serviceAccountName).toBe('mine');
        expect(p.spec.terminationGracePeriodSeconds).toBe(5);
        expect(p.spec.automountServiceAccountToken).toBeUndefined();
      },
    },
    {
      name: 'no timeout or grace period: zero in the entrypoint, no Pod grace period',
      dc: { utility_images: images, gcs_configuration: gcs },
      check(p) {
        expect(json(p.spec.containers[0], 'ENTRYPOINT_OPTIONS')).toMatchObject({
          timeout: 0,
          grace_period: 0,
        });
        expect(p.spec.terminationGracePeriodSeconds).toBeUndefined();
      },
    },
    {
      name: 'durations as nanoseconds (Prow accepts both forms)',
      dc: { ...DC, timeout: 7_200_000_000_000, grace_period: '1m30s' },
      check(p) {
        expect(json(p.spec.containers[0], 'ENTRYPOINT_OPTIONS')).toMatchObject({
          timeout: 7_200_000_000_000,
          grace_period: 90_000_000_000,
        });
        expect(p.spec.terminationGracePeriodSeconds).toBe(112);
      },
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const p = pod(job(row.dc ?? DC, row.spec ?? ONE, row.refs ?? REFS, row.extra));
      row.check(p);
      expect(await podProblems(p as unknown as Record<string, unknown>)).toEqual([]);
    });
  }
});

describe('decoration edge cases', () => {
  it('a periodic without refs: nothing to clone, no code volume', () => {
    const pj = newProwJob(
      periodicSpec({ name: 'ci-nightly', spec: ONE as PodSpec, decoration_config: DC }),
      { name: NAME, now: new Date('2026-01-01T00:00:00Z') },
    );
    const p = pod(pj);
    expect(p.spec.initContainers!.map((c) => c.name)).toEqual(['initupload', 'place-entrypoint']);
    expect((p.spec.volumes as { name: string }[]).map((v) => v.name)).not.toContain('code');
    expect(envOf(p.spec.containers[0], 'ARTIFACTS')).toBe('/logs/artifacts');
  });

  it('an undecorated job gets none of it', () => {
    const p = pod(job(undefined));
    expect(p.spec.initContainers).toBeUndefined();
    expect(p.spec.containers.map((c) => c.name)).toEqual(['test']);
    expect(p.spec.containers[0]!.command).toEqual(['make']);
    expect(envOf(p.spec.containers[0], 'ARTIFACTS')).toBeUndefined();
  });

  it('the job’s own init containers run after clonerefs and before initupload', () => {
    const spec = {
      ...ONE,
      initContainers: [{ name: 'prep', image: 'busybox', command: ['true'] }],
    };
    const p = pod(job(DC, spec));
    expect(p.spec.initContainers!.map((c) => c.name)).toEqual([
      'clonerefs',
      'prep',
      'initupload',
      'place-entrypoint',
    ]);
  });

  it('a malformed duration is a build start error naming the value', () => {
    expect(() => pod(job({ ...DC, timeout: 'soon' }))).toThrow(BuildStartError);
    expect(() => pod(job({ ...DC, timeout: 'soon' }))).toThrow(/invalid duration "soon"/);
  });

  it('leaves the ProwJob untouched', () => {
    const pj = job(DC);
    const before = structuredClone(pj);
    pod(pj);
    expect(pj).toEqual(before);
  });
});
