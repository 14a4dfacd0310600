import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from './load.js';
import { tempTree, type TempTree } from '../testing/test-support.js';

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

function loaded(config: string, jobs: string): LoadedConfig {
  tree = tempTree({ 'config.yaml': config, 'jobs/jobs.yaml': jobs });
  const r = loadConfig({ configPath: tree.path('config.yaml'), jobConfigPath: tree.path('jobs') });
  if (!r.ok) throw new Error(r.errors.map(String).join('\n'));
  return r.config;
}

const JOBS = `presubmits:
  org/repo:
  - name: pull-plain
    spec: {containers: [{image: x}]}
  - name: pull-custom
    context: custom-context
    trigger: '(?m)^/test custom$'
    rerun_command: /test custom
    agent: kubernetes
    cluster: build02
    spec: {containers: [{image: x}]}
postsubmits:
  org/repo:
  - name: post-plain
    spec: {containers: [{image: x}]}
periodics:
- name: ci-plain
  interval: 1h
  extra_refs: [{org: org, repo: repo, base_ref: main}]
  spec: {containers: [{image: x}]}
`;

// Prow's defaultPresubmitFields / defaultPostsubmitFields / defaultJobBase.
describe('job defaults', () => {
  it('fills presubmit context, trigger, rerun_command, agent, cluster, namespace and source_path', () => {
    const c = loaded('pod_namespace: test-pods\n', JOBS);
    const [plain, custom] = c.jobs.presubmits['org/repo'] ?? [];
    expect(plain).toMatchObject({
      name: 'pull-plain',
      context: 'pull-plain',
      trigger: '(?m)^/test( | .* )pull-plain,?($|\\s.*)',
      rerun_command: '/test pull-plain',
      always_run: false,
      agent: 'kubernetes',
      cluster: 'default',
      namespace: 'test-pods',
      decorate: false,
      source_path: tree?.path('jobs/jobs.yaml'),
      prowjob_defaults: { tenant_id: 'GlobalDefaultID' },
    });
    expect(plain?.decoration_config).toBeUndefined();
    expect(custom).toMatchObject({
      context: 'custom-context',
      trigger: '(?m)^/test custom$',
      rerun_command: '/test custom',
      cluster: 'build02',
    });
  });

  it('fills postsubmit context and leaves always_run unset (postsubmits run by default)', () => {
    const post = loaded('', JOBS).jobs.postsubmits['org/repo']?.[0];
    expect(post).toMatchObject({
      context: 'post-plain',
      agent: 'kubernetes',
      cluster: 'default',
      namespace: 'default',
    });
    expect(post?.always_run).toBeUndefined();
  });

  it('periodics’ durations are parsed once: `<key>_ms`, 0 when unset; retry.attempts defaults to 0', () => {
    const jobs = `periodics:
- name: every
  interval: 1h30m
  retry: {interval: 10m}
  spec: {containers: [{image: x}]}
- name: least
  minimum_interval: 90s
  spec: {containers: [{image: x}]}
- name: cron
  cron: "0 3 * * *"
  spec: {containers: [{image: x}]}
`;
    const [every, least, cron] = loaded('', jobs).jobs.periodics;
    expect(every).toMatchObject({ interval: '1h30m', interval_ms: 90 * 60_000 });
    expect(every).toMatchObject({ minimum_interval_ms: 0 });
    expect(every?.retry).toEqual({ interval: '10m', interval_ms: 10 * 60_000, attempts: 0 });
    expect(least).toMatchObject({ interval_ms: 0, minimum_interval_ms: 90_000 });
    expect(least?.retry).toBeUndefined();
    expect(cron).toMatchObject({ interval_ms: 0, minimum_interval_ms: 0 });
  });

  it('periodics get no context or trigger', () => {
    const p = loaded('', JOBS).jobs.periodics[0];
    expect(p).toMatchObject({ name: 'ci-plain', agent: 'kubernetes', cluster: 'default' });
    expect(p).not.toHaveProperty('context');
    expect(p).not.toHaveProperty('trigger');
  });

  it('decorate_all_jobs in config.yaml decorates jobs that do not say otherwise', () => {
    const config = `decorate_all_jobs: true
plank:
  default_decoration_config_entries:
  - config:
      timeout: 2h
      utility_images: {clonerefs: c, initupload: i, entrypoint: e, sidecar: s}
      gcs_configuration: {bucket: b, path_strategy: explicit}
`;
    const jobs = JOBS.replace(
      '  - name: post-plain\n',
      '  - name: post-plain\n    decorate: false\n',
    ).replace(/image: x/g, 'image: x, command: [x]');
    const c = loaded(config, jobs);
    expect(c.jobs.presubmits['org/repo']?.[0]).toMatchObject({
      decorate: true,
      decoration_config: { timeout: '2h' },
    });
    expect(c.jobs.postsubmits['org/repo']?.[0]).toMatchObject({ decorate: false });
    expect(c.jobs.postsubmits['org/repo']?.[0]?.decoration_config).toBeUndefined();
  });

  it('merges default_decoration_config_entries by repo and cluster, later entries and the job winning', () => {
    const config = `plank:
  default_decoration_config_entries:
  - config:
      timeout: 2h
      grace_period: 15m
      gcs_credentials_secret: service-account
      utility_images: {clonerefs: c, initupload: i, entrypoint: e, sidecar: s}
      gcs_configuration: {bucket: b, path_strategy: legacy, default_org: o, default_repo: r}
  - repo: org
    config:
      utility_images: {sidecar: org-sidecar}
  - cluster: build02
    config:
      gcs_credentials_secret: ""
  - repo: other/repo
    config:
      timeout: 9h
`;
    const jobs = `presubmits:
  org/repo:
  - name: a
    decorate: true
    cluster: build02
    decoration_config: {grace_period: 1m}
    spec: {containers: [{image: x, command: [x]}]}
`;
    const job = loaded(config, jobs).jobs.presubmits['org/repo']?.[0];
    expect(job?.decoration_config).toEqual({
      timeout: '2h',
      grace_period: '1m',
      gcs_credentials_secret: '',
      utility_images: { clonerefs: 'c', initupload: 'i', entrypoint: 'e', sidecar: 'org-sidecar' },
      gcs_configuration: {
        bucket: 'b',
        path_strategy: 'legacy',
        default_org: 'o',
        default_repo: 'r',
      },
    });
  });

  it('applies presets from config.yaml and job files, in that order', () => {
    const config = 'presets:\n- env: [{name: GLOBAL, value: "1"}]\n';
    const jobs = `presets:
- labels: {preset-x: "true"}
  env: [{name: X, value: "1"}]
  volumes: [{name: vx, emptyDir: {}}]
  volumeMounts: [{name: vx, mountPath: /x}]
presubmits:
  org/repo:
  - name: a
    labels: {preset-x: "true"}
    spec: {containers: [{image: x, env: [{name: OWN, value: "1"}]}]}
  - name: b
    spec: {containers: [{image: x}]}
`;
    const [a, b] = loaded(config, jobs).jobs.presubmits['org/repo'] ?? [];
    expect(a?.spec?.containers[0]?.env?.map((e) => e.name)).toEqual(['OWN', 'GLOBAL', 'X']);
    expect(a?.spec?.volumes).toEqual([{ name: 'vx', emptyDir: {} }]);
    expect(a?.spec?.containers[0]?.volumeMounts).toEqual([{ name: 'vx', mountPath: '/x' }]);
    expect(b?.spec?.containers[0]?.env?.map((e) => e.name)).toEqual(['GLOBAL']);
  });
});
