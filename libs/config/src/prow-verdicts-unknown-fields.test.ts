// Conformance: checkconfig's unknown-fields and unknown-fields-all warnings, each case an input
// and what Prow's checkconfig warns, from the Prow test named in `prow`
// (kubernetes-sigs/prow cmd/checkconfig/main_test.go). Prow stops at the first unknown field of a
// file; jetprow reports each, at its line and column, with the field probably meant.
import { describe, it } from 'vitest';
import { runWarningVerdict, type WarningVerdict } from '../testing/verdicts.js';

const spec = (indent: string) =>
  `${indent}spec: {containers: [{image: alpine, command: ["true"]}]}`;
const only = (w: string) => ({ warnings: [w] });

const unknownFields: WarningVerdict[] = [
  {
    prow: 'TestValidateUnknownFields/valid config',
    plugins: `plugins:
  kube/kube: [size, config-updater]
config_updater:
  maps:
    kube/plugins.yaml: {name: plugins}
size: {s: 1, m: 2, l: 3, xl: 4, xxl: 5}`,
    options: only('unknown-fields'),
    warns: [],
  },
  {
    prow: 'TestValidateUnknownFields/invalid top-level property',
    plugins: 'plugins: {kube/kube: [size]}\nnotconfig_updater: {maps: {}}\n',
    options: only('unknown-fields'),
    warns: [
      'plugins.yaml:2:1: field notconfig_updater: unknown field "notconfig_updater" (did you mean "config_updater"?)',
    ],
  },
  {
    prow: 'TestValidateUnknownFields/invalid second-level property',
    // (sizes completed: Prow's loader refuses s > m, which its unit test does not run)
    plugins:
      'plugins: {kube/kube: [size]}\nsize:\n  xs: 1\n  s: 5\n  m: 6\n  l: 7\n  xl: 8\n  xxl: 9\n',
    options: only('unknown-fields'),
    warns: ['field size.xs: unknown field "xs"'],
  },
  {
    prow: 'TestValidateUnknownFields/invalid array element',
    plugins:
      'plugins: {kube/kube: [trigger]}\ntriggers:\n- repos: [kube/kube]\n- repoz: [kube/kubez]\n',
    options: only('unknown-fields'),
    warns: ['field triggers[1].repoz: unknown field "repoz" (did you mean "repos"?)'],
  },
  {
    prow: 'TestValidateUnknownFields/multiple invalid elements (Prow prints the first; jetprow all)',
    plugins:
      'plugins: {kube/kube: [trigger]}\ntriggers:\n- repoz: [kube/kubez]\nsize: {s: 1, m: 2, l: 3, xl: 4, xxl: 5, xs: 1}\n',
    options: only('unknown-fields'),
    warns: ['field triggers[0].repoz', 'field size.xs'],
  },
  {
    prow: 'TestValidateUnknownFields/embedded structs - kube (config.yaml holds a presubmit)',
    config: `presubmits:
  kube/kube:
  - name: test-presubmit
    decorate: false
    always_run: true
    never_run: false
    skip_report: true
${spec('    ')}`,
    options: only('unknown-fields'),
    warns: [
      'config.yaml:6:5: job "test-presubmit": field presubmits.kube/kube[0].never_run: unknown field "never_run"',
    ],
  },
  {
    prow: 'TestValidateUnknownFields/embedded structs - tide',
    config: 'tide:\n  squash_label: sq\n  not-a-property: true\n',
    options: only('unknown-fields'),
    warns: ['field tide.not-a-property: unknown field "not-a-property"'],
  },
  {
    prow: 'TestValidateUnknownFields/embedded structs - size (a plugins key in config.yaml)',
    config: 'size: {s: 1, xs: 1}\n',
    options: only('unknown-fields'),
    warns: ['field size: unknown field "size"'],
  },
  {
    prow: 'TestValidateUnknownFields/pointer to a slice',
    plugins: "bugzilla:\n  default:\n    '*':\n      statuses: [foobar]\n      extra: oops\n",
    options: only('unknown-fields'),
    warns: ['field bugzilla.default.*.extra: unknown field "extra"'],
  },
  {
    prow: 'unknown-fields checks config.yaml and plugins.yaml, not the job config',
    jobs: `presubmits:\n  o/r:\n  - name: j\n    alwyas_run: true\n${spec('    ')}`,
    options: only('unknown-fields'),
    warns: [],
  },
  {
    prow: 'TestValidateUnknownFieldsAll/no separate job-config, all known fields',
    config: `plank:
  default_decoration_config_entries:
  - config:
      timeout: 2h
      grace_period: 15s
      utility_images: {clonerefs: "c", initupload: "i", entrypoint: "e", sidecar: "s"}
      gcs_configuration: {bucket: "default-bucket", path_strategy: "legacy", default_org: "kubernetes", default_repo: "kubernetes"}
      gcs_credentials_secret: "default-service-account"
presubmits:
  kube/kube:
  - name: test-presubmit
    decorate: true
    spec:
      containers:
      - image: alpine
        command: ["/bin/printenv"]`,
    options: only('unknown-fields-all'),
    warns: [],
  },
  {
    prow: 'TestValidateUnknownFieldsAll/separate job-configs, unknown field in second job config',
    config: `presubmits:\n  kube/kube:\n  - name: kube-presubmit\n    never_run: true\n${spec('    ')}`,
    jobs: `presubmits:\n  org/repo2:\n  - name: org-repo2-presubmit\n    never_run: true\n${spec('    ')}`,
    options: only('unknown-fields-all'),
    warns: ['config.yaml:4:5: job "kube-presubmit"', 'jobs.yaml:4:5: job "org-repo2-presubmit"'],
  },
  {
    prow: 'unknown-fields-all: `alwyas_run` silently stops a job from always running; jetprow names the field meant',
    jobs: `presubmits:\n  o/r:\n  - name: j\n    alwyas_run: true\n${spec('    ')}`,
    options: only('unknown-fields-all'),
    warns: [
      'jobs.yaml:4:5: job "j": field presubmits.o/r[0].alwyas_run: unknown field "alwyas_run" (did you mean "always_run"?)',
    ],
  },
  {
    prow: 'unknown-fields-all: Pod spec fields are Kubernetes’ (core/v1)',
    jobs: `periodics:
- name: p
  interval: 1h
  spec:
    nodeSelector: {a: b}
    containers:
    - image: alpine
      resources: {requests: {cpu: "1"}, limits: {memory: 1Gi}}
      imagePullPolcy: Always`,
    options: only('unknown-fields-all'),
    warns: [
      'job "p": field periodics[0].spec.containers[0].imagePullPolcy: unknown field "imagePullPolcy" (did you mean "imagePullPolicy"?)',
    ],
  },
];

describe("Prow's verdicts on unknown fields", () => {
  for (const v of unknownFields) it(v.prow, () => void runWarningVerdict(v));
});
