import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { tempTree, type TempTree } from '../testing/test-support.js';

const CONFIG = `plank:
  job_queue_capacities:
    known-queue: 1
  default_decoration_config_entries:
  - config:
      utility_images: {clonerefs: c, initupload: i, entrypoint: e, sidecar: s}
      gcs_configuration: {bucket: b, path_strategy: explicit}
`;

const SPEC = `    spec:
      containers:
      - image: alpine
        command: [sh]`;

const pre = (body: string, spec = SPEC) =>
  `presubmits:\n  org/repo:\n  - name: pull-foo\n${body}${body ? '\n' : ''}${spec}\n`;

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

function load(files: Record<string, string>, config = CONFIG) {
  tree = tempTree({
    'config.yaml': config,
    ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`jobs/${k}`, v])),
  });
  return loadConfig({ configPath: tree.path('config.yaml'), jobConfigPath: tree.path('jobs') });
}

function errorsOf(files: Record<string, string>, config = CONFIG): string[] {
  const r = load(files, config);
  return r.ok ? [] : r.errors.map(String);
}

// One case per Prow rule (pkg/config/config.go unless noted). `error` must appear in exactly one
// reported error, which must carry `field` and the job name.
const cases: { rule: string; yaml: string; field?: string; error: string }[] = [
  {
    rule: 'validateJobName: ^[A-Za-z0-9-._]+$',
    yaml: pre('').replace('pull-foo', 'pull foo'),
    field: 'name',
    error: 'must match regex "^[A-Za-z0-9-._]+$"',
  },
  {
    rule: 'validateTriggering: always_run vs run_if_changed',
    yaml: pre('    always_run: true\n    run_if_changed: x'),
    field: 'always_run',
    error: 'is set to always run but also declares run_if_changed targets',
  },
  {
    rule: 'validateTriggering: always_run vs skip_if_only_changed',
    yaml: pre('    always_run: true\n    skip_if_only_changed: x'),
    field: 'always_run',
    error: 'declares skip_if_only_changed targets, which are mutually exclusive',
  },
  {
    rule: 'validateTriggering: run_if_changed vs skip_if_only_changed',
    yaml: pre('    run_if_changed: x\n    skip_if_only_changed: y'),
    field: 'run_if_changed',
    error: 'declares run_if_changed and skip_if_only_changed, which are mutually exclusive',
  },
  {
    rule: 'validateTriggering: trigger without rerun_command',
    yaml: pre("    trigger: '/test foo'"),
    field: 'trigger',
    error: 'either both of job.Trigger and job.RerunCommand must be set',
  },
  {
    rule: 'validateTriggering: rerun_command without trigger',
    yaml: pre("    rerun_command: '/test foo'"),
    field: 'trigger',
    error: 'either both of job.Trigger and job.RerunCommand must be set',
  },
  {
    rule: 'SetPresubmitRegexes: rerun_command must match trigger',
    yaml: pre("    trigger: '(?m)^/test foo$'\n    rerun_command: '/test bar'"),
    field: 'rerun_command',
    error: 'rerun command "/test bar" does not match trigger',
  },
  {
    rule: 'SetPresubmitRegexes: trigger must compile',
    yaml: pre("    trigger: '(?m)^/test (foo'\n    rerun_command: '/test foo'"),
    field: 'trigger',
    error: 'could not compile trigger regex: error parsing regexp: missing closing )',
  },
  {
    rule: 'setBrancherRegexes: branches must compile',
    yaml: pre("    branches: ['release-(']"),
    field: 'branches',
    error: 'could not compile branches regex',
  },
  {
    rule: 'setBrancherRegexes: skip_branches must compile',
    yaml: pre("    skip_branches: ['[z-a]']"),
    field: 'skip_branches',
    error: 'could not compile skip_branches regex',
  },
  {
    rule: 'setChangeRegexes: run_if_changed must compile',
    yaml: pre("    run_if_changed: '(?=look-ahead)'"),
    field: 'run_if_changed',
    error: 'could not compile run_if_changed regex',
  },
  {
    rule: 'setChangeRegexes: skip_if_only_changed must compile',
    yaml: pre("    skip_if_only_changed: '*.md'"),
    field: 'skip_if_only_changed',
    error: 'could not compile skip_if_only_changed regex',
  },
  {
    rule: 'validateJobBase: max_concurrency >= 0',
    yaml: pre('    max_concurrency: -1'),
    field: 'max_concurrency',
    error: '-1 must be a non-negative number',
  },
  {
    rule: 'validateAgent: kubernetes jobs require a spec',
    yaml: pre('', ''),
    field: 'spec',
    error: 'kubernetes jobs require a spec',
  },
  {
    rule: 'validateAgent: a spec requires the kubernetes agent',
    yaml: pre('    agent: jenkins'),
    field: 'agent',
    error: 'job specs require agent: kubernetes (found "jenkins")',
  },
  {
    rule: 'validateAgent: namespace customization requires tekton-pipeline',
    yaml: pre('    namespace: other'),
    field: 'namespace',
    error: 'namespace customization requires agent: tekton-pipeline',
  },
  {
    rule: 'validatePodSpec: at least one container',
    yaml: pre('', '    spec: {containers: []}'),
    field: 'spec.containers',
    error: 'pod spec must specify at least 1 container, found: 0',
  },
  {
    rule: 'validatePodSpec: several containers need decoration',
    yaml: pre('', '    spec: {containers: [{name: a, image: x}, {name: b, image: y}]}'),
    field: 'spec.containers',
    error: 'pod utility decoration must be enabled to use multiple containers: 2',
  },
  {
    rule: 'validatePodSpec: decorated containers need distinct names',
    yaml: pre(
      '    decorate: true',
      '    spec: {containers: [{name: a, image: x, command: [x]}, {name: a, image: y, command: [y]}]}',
    ),
    field: 'spec.containers[1].name',
    error: 'container named "a" is defined more than once',
  },
  {
    rule: 'validatePodSpec: init containers are not supported',
    yaml: pre('', '    spec: {containers: [{image: x}], initContainers: [{name: init, image: y}]}'),
    field: 'spec.initContainers',
    error: 'pod spec may not use init containers',
  },
  {
    rule: 'validatePodSpec: env defined twice',
    yaml: pre(
      '',
      '    spec: {containers: [{image: x, env: [{name: A, value: "1"}, {name: A, value: "2"}]}]}',
    ),
    field: 'spec.containers[0].env',
    error: 'env var named "A" is defined more than once',
  },
  {
    rule: 'validatePodSpec: env reserved by Prow (downwardapi.EnvForType)',
    yaml: pre('', '    spec: {containers: [{image: x, env: [{name: PULL_NUMBER, value: "1"}]}]}'),
    field: 'spec.containers[0].env',
    error: 'env PULL_NUMBER is reserved',
  },
  {
    rule: 'validatePodSpec: volume defined twice',
    yaml: pre('', '    spec: {containers: [{image: x}], volumes: [{name: v}, {name: v}]}'),
    field: 'spec.volumes',
    error: 'volume named "v" is defined more than once',
  },
  {
    rule: 'validatePodSpec: volume name reserved for decoration',
    yaml: pre('', '    spec: {containers: [{image: x}], volumes: [{name: logs}]}'),
    field: 'spec.volumes',
    error: 'volume logs is a reserved for decoration',
  },
  {
    rule: 'validatePodSpec: volumeMount must be defined',
    yaml: pre(
      '',
      '    spec: {containers: [{image: x, volumeMounts: [{name: nope, mountPath: /n}]}]}',
    ),
    field: 'spec.containers[0].volumeMounts',
    error: 'volumeMount named "nope" is undefined',
  },
  {
    rule: 'validatePodSpec: mount path conflicts with decoration',
    yaml: pre(
      '',
      '    spec: {containers: [{image: x, volumeMounts: [{name: v, mountPath: /logs}]}], volumes: [{name: v}]}',
    ),
    field: 'spec.containers[0].volumeMounts',
    error: 'mount v at /logs conflicts with decoration mount',
  },
  {
    rule: 'validateLabels: label reserved for decoration',
    yaml: pre('    labels: {created-by-prow: "true"}'),
    field: 'labels',
    error: 'label created-by-prow is reserved for decoration',
  },
  {
    rule: 'validateLabels: invalid label key',
    yaml: pre('    labels: {"bad key": "x"}'),
    field: 'labels',
    error: 'invalid label bad key',
  },
  {
    rule: 'validateLabels: invalid label value',
    yaml: pre('    labels: {ok: "not ok!"}'),
    field: 'labels',
    error: 'label ok has invalid value not ok!',
  },
  {
    rule: 'validateAnnotation: invalid annotation key',
    yaml: pre('    annotations: {"-bad": "x"}'),
    field: 'annotations',
    error: 'invalid annotation key "-bad"',
  },
  {
    rule: 'validateJobQueueName: queue must be in plank.job_queue_capacities',
    yaml: pre('    job_queue_name: unknown-queue'),
    field: 'job_queue_name',
    error: 'invalid job queue name unknown-queue',
  },
  {
    rule: 'RerunAuthConfig.Validate: allow_anyone with an allow list',
    yaml: pre('    rerun_auth_config: {allow_anyone: true, github_users: [bob]}'),
    field: 'rerun_auth_config',
    error: 'allow anyone is set to true and permitted users or groups are specified',
  },
  {
    rule: 'validateDecoration: decorated containers need a command',
    yaml: pre('    decorate: true', '    spec: {containers: [{image: x}]}'),
    field: 'spec.containers[0]',
    error: 'decorated job containers must specify command and/or args',
  },
  {
    rule: 'UtilityConfig.Validate: OAuth clone needs http(s)',
    yaml: pre(
      '    decorate: true\n    clone_uri: git@github.com:org/repo.git\n    decoration_config: {oauth_token_secret: {name: t, key: k}}',
    ),
    field: 'clone_uri',
    error: 'scheme must be http or https when OAuth secret is specified',
  },
];

describe('validation rules (one per Prow rule)', () => {
  for (const tc of cases) {
    it(tc.rule, () => {
      const errors = errorsOf({ 'jobs.yaml': tc.yaml });
      const matching = errors.filter((e) => e.includes(tc.error));
      expect(matching, errors.join('\n')).toHaveLength(1);
      if (tc.field) expect(matching[0]).toContain(`field ${tc.field}: `);
      expect(matching[0]).toContain('jobs.yaml: job "pull');
    });
  }

  it('a valid presubmit passes', () => {
    expect(errorsOf({ 'jobs.yaml': pre('    always_run: true\n    branches: [main]') })).toEqual(
      [],
    );
  });
});

describe('decoration defaults and validation', () => {
  it('DecorationConfig.Validate: decoration needs utility images and GCS config', () => {
    const errors = errorsOf({ 'jobs.yaml': pre('    decorate: true') }, 'pod_namespace: default\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      'field decoration_config: invalid decoration config: utility image config is not specified',
    );
  });

  it('DecorationConfig.Validate: legacy/single path strategies need default org and repo', () => {
    const config = CONFIG.replace('path_strategy: explicit', 'path_strategy: legacy');
    const errors = errorsOf({ 'jobs.yaml': pre('    decorate: true') }, config);
    expect(errors.join('\n')).toContain(
      'default org and repo must be provided for GCS strategy "legacy"',
    );
  });

  it('several decorated containers are fine when names are distinct', () => {
    const yaml = pre(
      '    decorate: true',
      '    spec: {containers: [{name: a, image: x, command: [x]}, {name: b, image: y, command: [y]}]}',
    );
    expect(errorsOf({ 'jobs.yaml': yaml })).toEqual([]);
  });
});

describe('cross-job rules', () => {
  const two = (a: string, b: string, kind = 'presubmits') => `${kind}:\n  org/repo:\n${a}\n${b}\n`;
  const job = (name: string, extra = '') =>
    `  - name: ${name}\n${extra}    spec: {containers: [{image: x}]}`;

  it('validatePresubmits: same name on intersecting branches', () => {
    const errors = errorsOf({ 'jobs.yaml': two(job('a', '    branches: [main]\n'), job('a')) });
    expect(errors.join('\n')).toContain(
      'field name: duplicated presubmit job for org/repo on intersecting branches',
    );
  });

  it('validatePresubmits: same name on disjoint branches is allowed', () => {
    expect(
      errorsOf({
        'jobs.yaml': two(job('a', '    branches: [main]\n'), job('a', '    branches: [dev]\n')),
      }),
    ).toEqual([]);
  });

  it('validatePresubmits: same name across files is a duplicate too', () => {
    const errors = errorsOf({ 'a.yaml': two(job('x'), ''), 'b.yaml': two(job('x'), '') });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /b\.yaml: job "x": field name: duplicated presubmit job .* \(also defined in .*a\.yaml\)/,
    );
  });

  it('validatePresubmits: same context on intersecting branches', () => {
    const errors = errorsOf({
      'jobs.yaml': two(job('a', '    context: ci\n'), job('b', '    context: ci\n')),
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      'field context: jobs a and b report to the same GitHub context "ci"',
    );
  });

  it('validatePostsubmits: same name on intersecting branches', () => {
    const errors = errorsOf({ 'jobs.yaml': two(job('a'), job('a'), 'postsubmits') });
    expect(errors.join('\n')).toContain('duplicated postsubmit job for org/repo');
  });

  it('validateAlwaysRun (postsubmits): always_run vs run_if_changed', () => {
    const errors = errorsOf({
      'jobs.yaml': two(
        job('a', '    always_run: true\n    run_if_changed: x\n'),
        '',
        'postsubmits',
      ),
    });
    expect(errors.join('\n')).toContain(
      'is set to always run but also declares run_if_changed targets',
    );
  });

  it('validatePeriodics: duplicated periodic job', () => {
    const p = (name: string) =>
      `- name: ${name}\n  interval: 1h\n  spec: {containers: [{image: x}]}`;
    const errors = errorsOf({ 'jobs.yaml': `periodics:\n${p('p')}\n${p('p')}\n` });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('job "p": field name: duplicated periodic job: p');
  });
});

describe('periodic rules (validatePeriodics)', () => {
  const periodic = (extra: string) =>
    `periodics:\n- name: p\n${extra}\n  spec: {containers: [{image: x}]}\n`;
  const cases: { name: string; extra: string; field: string; error?: string }[] = [
    {
      name: 'cron and interval are mutually exclusive',
      extra: "  cron: '@daily'\n  interval: 1h",
      field: 'cron, interval',
      error: 'cron, interval, and minimum_interval are mutually exclusive in periodic p',
    },
    {
      name: 'one of cron, interval, minimum_interval is required',
      extra: '  decorate: false',
      field: 'cron',
      error: 'at least one of cron, interval, or minimum_interval must be set in periodic p',
    },
    {
      name: 'cron must parse',
      extra: "  cron: '61 * * * *'",
      field: 'cron',
      error: 'invalid cron string 61 * * * * in periodic p',
    },
    {
      name: 'interval must be a Go duration',
      extra: '  interval: 1d',
      field: 'interval',
      error: 'cannot parse duration for p: time: unknown unit "d" in duration "1d"',
    },
    {
      name: 'minimum_interval must be a Go duration',
      extra: '  minimum_interval: soon',
      field: 'minimum_interval',
      error: 'cannot parse duration for p',
    },
    {
      name: 'retry interval must be a Go duration',
      extra: '  interval: 1h\n  retry: {attempts: 2}',
      field: 'retry.interval',
      error: 'cannot parse Retry duration for p',
    },
    { name: 'cron with seconds is accepted', extra: "  cron: '0 30 2 * * *'", field: '' },
    { name: 'minimum_interval alone is accepted', extra: '  minimum_interval: 2h', field: '' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const errors = errorsOf({ 'jobs.yaml': periodic(tc.extra) });
      if (!tc.error) return expect(errors).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`job "p": field ${tc.field}: ${tc.error}`);
    });
  }
});

describe('error collection', () => {
  it('collects every error across files instead of stopping at the first', () => {
    const errors = errorsOf({
      'a.yaml': pre('    max_concurrency: -1'),
      'b.yaml': `periodics:\n- name: bad name\n  interval: 1h\n  spec: {containers: [{image: x}]}\n`,
    });
    expect(errors.some((e) => e.includes('a.yaml: job "pull-foo": field max_concurrency'))).toBe(
      true,
    );
    expect(errors.some((e) => e.includes('b.yaml: job "bad name": field name'))).toBe(true);
  });

  it('reports type errors at parse time with file, job, field and line', () => {
    const errors = errorsOf({
      'jobs.yaml': pre('    always_run: "yes"\n    max_concurrency: many'),
    });
    expect(errors).toEqual([
      `${tree?.path('jobs/jobs.yaml')}:4:17: job "pull-foo": field always_run: must be boolean`,
      `${tree?.path('jobs/jobs.yaml')}:5:22: job "pull-foo": field max_concurrency: must be integer`,
    ]);
  });

  it('mergeJobConfigs: a label:value pair may be used by one preset only', () => {
    const preset = 'presets:\n- labels: {preset-x: "true"}\n  env: [{name: A, value: "1"}]\n';
    const errors = errorsOf({ 'a.yaml': preset, 'b.yaml': preset });
    expect(errors).toEqual([
      `${tree?.path('jobs/b.yaml')}: field presets: duplicated preset 'label:value' pair : preset-x:true`,
    ]);
  });

  it('mergePreset: env set by both the job and a matching preset', () => {
    const preset = 'presets:\n- labels: {preset-x: "true"}\n  env: [{name: A, value: "1"}]\n';
    const job = pre(
      '    labels: {preset-x: "true"}',
      '    spec: {containers: [{image: x, env: [{name: A, value: "2"}]}]}',
    );
    const errors = errorsOf({ 'p.yaml': preset, 'jobs.yaml': job });
    expect(errors).toEqual([
      `${tree?.path('jobs/jobs.yaml')}: job "pull-foo": field spec: failed to merge presets for podspec: env var duplicated in pod spec: A`,
    ]);
  });
});
