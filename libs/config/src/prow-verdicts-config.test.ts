// Conformance: config.yaml sections (plank, value types, and components jetprow does not run:
// crier's Slack reporter, hook's managed webhooks, sub's pubsub, branchprotector, gerrit,
// gangway, jenkins), each case an input and Prow's verdict from the Prow unit test named in
// `prow` (kubernetes-sigs/prow pkg/config/config_test.go unless stated). tide and deck: see
// prow-verdicts-tide-deck.test.ts.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { tempTree } from '../testing/test-support.js';
import { runVerdict, type Verdict } from '../testing/verdicts.js';

const plank: Verdict[] = [
  {
    prow: 'TestValidateComponentConfig/Valid default URL, no err',
    config: 'plank: {job_url_prefix_config: {"*": "https://my-prow"}}',
  },
  {
    prow: 'TestValidateComponentConfig/Invalid default URL, err',
    config: 'plank: {job_url_prefix_config: {"*": "https:// my-prow"}}',
    rejects: [
      'invalid value for Planks job_url_prefix_config["*"]: parse "https:// my-prow": invalid character " " in host name',
    ],
  },
  {
    prow: 'TestValidateComponentConfig/Org override, invalid org URL, err',
    config:
      'plank: {job_url_prefix_config: {"*": "https://my-prow", my-org: "https:// my-alternate-prow"}}',
    rejects: ['job_url_prefix_config["my-org"]'],
  },
  {
    prow: 'TestValidateComponentConfig/Org override, invalid URLs, err (both reported at once)',
    config:
      'plank: {job_url_prefix_config: {"*": "https:// my-prow", my-org: "https:// my-alternate-prow"}}',
    rejects: ['job_url_prefix_config["*"]', 'job_url_prefix_config["my-org"]'],
  },
  {
    prow: 'TestValidateComponentConfig/Repo override, valid URLs, no err',
    config:
      'plank: {job_url_prefix_config: {"*": "https://my-prow", my-org: "https://my-alternate-prow", my-org/my-repo: "https://my-third-prow"}}',
  },
  {
    prow: 'TestValidateComponentConfig/Repo override, invalid repo URL, err',
    config:
      'plank: {job_url_prefix_config: {"*": "https://my-prow", my-org/my-repo: "https:// my-third-prow"}}',
    rejects: ['job_url_prefix_config["my-org/my-repo"]'],
  },
  {
    prow: 'ValidateController: a malformed job_url_template is refused at load (validating plank config)',
    config: 'plank: {job_url_template: "https://x/{{.Spec.Job"}',
    rejects: ['validating plank config: parsing template: template: JobURL:1:'],
  },
  {
    prow: 'ValidateController: job_url_template calling an undefined function',
    config: 'plank: {job_url_template: "{{nosuch .Spec.Job}}"}',
    rejects: ['function "nosuch" not defined'],
  },
  {
    prow: 'TestDefaultAndValidateReportTemplate/only report_template specified',
    config: 'plank: {report_template: "test template"}',
    then: (c) => expect(c.prow.plank.report_templates).toEqual({ '*': 'test template' }),
  },
  {
    prow: "TestDefaultAndValidateReportTemplate/no '*' in report_templates (Prow does not refuse it)",
    config: 'plank: {report_templates: {org: "test template"}}',
  },
  {
    prow: 'defaultAndValidateReportTemplate: a report template that does not parse',
    config: 'plank: {report_templates: {"*": "{{ if .Spec.Job }}"}}',
    rejects: ['error while parsing template for *: template: Report:1:'],
  },
];

const components: Verdict[] = [
  {
    prow: 'TestSlackReporterValidation/Valid config w/ wildcard slack_reporter_configs - no error',
    config: 'slack_reporter_configs: {"*": {channel: my-channel}}',
    then: (c) =>
      expect(c.prow.slack_reporter_configs['*']?.report_template).toBe(
        'Job {{.Spec.Job}} of type {{.Spec.Type}} ended with state {{.Status.State}}. <{{.Status.URL}}|View logs>',
      ),
  },
  {
    prow: 'TestSlackReporterValidation/Valid config w/ org/repo slack_reporter_configs - no error',
    config: 'slack_reporter_configs: {istio/proxy: {channel: my-channel}}',
  },
  {
    prow: 'TestSlackReporterValidation/No channel w/ slack_reporter_configs - error',
    config: 'slack_reporter_configs: {"*": {job_types_to_report: [presubmit]}}',
    rejects: ['failed to validate slackreporter config: channel must be set'],
  },
  {
    prow: 'TestSlackReporterValidation/Empty config - no error',
    config: 'slack_reporter_configs: {}',
  },
  {
    prow: 'TestSlackReporterValidation/Invalid template - error',
    config:
      'slack_reporter_configs: {"*": {channel: my-channel, report_template: "{{ if .Spec.Name}}"}}',
    rejects: ['failed to validate slackreporter config: failed to parse template:'],
  },
  {
    prow: 'TestSlackReporterValidation/Template accessed invalid property - error',
    config: 'slack_reporter_configs: {"*": {channel: my-channel, report_template: "{{ .Undef}}"}}',
    rejects: ['failed to validate slackreporter config: failed to execute report_template:'],
  },
  {
    prow: 'TestManagedHmacEntityValidation/Config with all valid dates',
    config: `managed_webhooks:
  org_repo_config:
    foo/bar: {token_created_after: "2026-06-01T00:00:00Z"}
    foo/baz: {token_created_after: "2020-01-01T00:00:00Z"}`,
  },
  {
    prow: 'TestManagedHmacEntityValidation/Config with one invalid dates',
    config: `managed_webhooks:
  org_repo_config:
    foo/bar: {token_created_after: "2026-06-01T00:00:00Z"}
    foo/baz: {token_created_after: "2026-06-01T01:00:00Z"}`,
    rejects: [
      'token_created_after 2026-06-01 01:00:00 +0000 UTC can be no later than current time for repo/org foo/baz',
    ],
  },
  {
    prow: 'TestValidConfigLoading/PubSubSubscriptions set but not PubSubTriggers',
    config: 'pubsub_subscriptions: {projA: [topicA, topicB]}',
    then: (c) =>
      expect(c.prow.pubsub_triggers).toEqual([
        {
          project: 'projA',
          topics: ['topicA', 'topicB'],
          allowed_clusters: ['*'],
          max_outstanding_messages: 10,
        },
      ]),
  },
  {
    prow: 'loadConfig: pubsub_subscriptions and pubsub_triggers are mutually exclusive',
    config:
      'pubsub_subscriptions: {projA: [topicA]}\npubsub_triggers: [{project: projB, topics: [t]}]',
    rejects: ['pubsub_subscriptions and pubsub_triggers are mutually exclusive'],
  },
  {
    prow: 'TestValidConfigLoading/InRepoConfigAllowedClusters gets defaulted if unset',
    config: '',
    then: (c) => expect(c.prow.in_repo_config.allowed_clusters).toEqual({ '*': ['default'] }),
  },
  {
    prow: 'TestValidConfigLoading/InRepoConfigAllowedClusters gets defaulted if no global setting',
    config: 'in_repo_config: {allowed_clusters: {foo/bar: [my-cluster]}}',
    then: (c) =>
      expect(c.prow.in_repo_config.allowed_clusters).toEqual({
        'foo/bar': ['my-cluster'],
        '*': ['default'],
      }),
  },
  {
    prow: 'TestValidConfigLoading/InRepoConfigAllowedClusters respects explicit empty default',
    config: 'in_repo_config: {allowed_clusters: {"*": []}}',
    then: (c) => expect(c.prow.in_repo_config.allowed_clusters).toEqual({ '*': [] }),
  },
  {
    prow: "TestValidConfigLoading/InRepoConfigAllowedClusters doesn't get overwritten",
    config: 'in_repo_config: {allowed_clusters: {"*": [other]}}',
    then: (c) => expect(c.prow.in_repo_config.allowed_clusters).toEqual({ '*': ['other'] }),
  },
  {
    prow: 'parseProwConfig: branch-protection include and exclude are exclusive',
    config: 'branch-protection: {include: ["^main$"], exclude: ["^release-"]}',
    rejects: [
      'Forbidden to set both Policy.Include and Policy.Exclude, Please use either Include or Exclude!',
    ],
  },
  {
    prow: 'parseProwConfig: branch-protection include alone',
    config: 'branch-protection: {include: ["^main$"]}',
  },
  {
    prow: 'TestGerritRawYaml / Gerrit.DefaultAndValidate: defaults and the trigger regex',
    config: 'gerrit: {deck_url: https://deck}',
    then: (c) => expect(c.prow.gerrit).toMatchObject({ tick_interval_ms: 60_000, ratelimit: 5 }),
  },
  {
    prow: 'Gerrit.DefaultAndValidate: allowed_presubmit_trigger_re must compile',
    config: 'gerrit: {allowed_presubmit_trigger_re: "(unclosed"}',
    rejects: ['validating gerrit config: failed to compile regex for allowed presubmit triggers:'],
  },
  {
    prow: 'gangway.go Gangway.Validate: a GCP client needs PROJECT, a numeric project and tenant filters',
    config: `gangway:
  allowed_api_clients:
  - gcp: {endpoint_api_consumer_type: PROJECT, endpoint_api_consumer_number: "123"}
    allowed_jobs_filters: [{tenant_id: well-behaved-tenant-for-gangway}]`,
  },
  {
    prow: 'gangway.go Gangway.Validate: empty allowed_jobs_filters',
    config: `gangway:
  allowed_api_clients:
  - gcp: {endpoint_api_consumer_type: PROJECT, endpoint_api_consumer_number: "123"}`,
    rejects: ['allowed_jobs_filters field cannot be empty'],
  },
  {
    prow: 'gangway.go Gangway.Validate: a client declared twice',
    config: `gangway:
  allowed_api_clients:
  - gcp: {endpoint_api_consumer_type: PROJECT, endpoint_api_consumer_number: "123"}
    allowed_jobs_filters: [{tenant_id: a}]
  - gcp: {endpoint_api_consumer_type: PROJECT, endpoint_api_consumer_number: "123"}
    allowed_jobs_filters: [{tenant_id: b}]`,
    rejects: ['AllowedApiClient "gcp-PROJECT-123" declared multiple times'],
  },
  {
    prow: 'parseProwConfig: jenkins_operators label_selector with a single operator',
    config: 'jenkins_operators: [{label_selector: "master=jenkins"}]',
    rejects: ['label_selector is invalid when used for a single jenkins-operator'],
  },
  {
    prow: 'parseProwConfig: jenkins_operators templates may use `replace`',
    config: `jenkins_operators:
- {label_selector: "master=a", job_url_template: '{{replace "a" "b" .Spec.Job}}'}
- {label_selector: "master=b"}`,
  },
  {
    prow: 'parseProwConfig: github.link_url must parse',
    config: 'github: {link_url: "https://git hub.com"}',
    rejects: ['unable to parse github.link_url, might not be a valid url'],
  },
];

/**
 * Values of the wrong type, in any section: Prow's yaml.Unmarshal (sigs.k8s.io/yaml, then
 * encoding/json) refuses them, except a scalar where a string is wanted, which it converts.
 */
const types: Verdict[] = [
  {
    prow: 'yaml.Unmarshal: a list where tide wants a string',
    config: 'tide: {merge_label: [a]}',
    rejects: ['field tide.merge_label: cannot unmarshal array into Go value of type string'],
  },
  {
    prow: 'yaml.Unmarshal: a quoted "true" where branch-protection wants a bool',
    config: 'branch-protection: {orgs: {o: {protect: "true"}}}',
    rejects: [
      'field branch-protection.orgs.o.protect: cannot unmarshal string into Go value of type bool',
    ],
  },
  {
    prow: 'yaml.Unmarshal: YAML 1.1 `yes` is a bool; numbers and bools are converted for strings',
    config: 'branch-protection: {protect: yes}\npod_namespace: 5\ntide: {blocker_label: true}',
    then: (c) => expect(c.prow.pod_namespace).toBe('5'),
  },
  {
    prow: 'yaml.Unmarshal: a fraction where a plugin wants an integer',
    plugins: 'blunderbuss: {max_request_count: 1.5}',
    rejects: [
      'field blunderbuss.max_request_count: cannot unmarshal number 1.5 into Go value of type int',
    ],
  },
  {
    prow: 'yaml.Unmarshal: a quoted number where the size plugin wants an integer',
    plugins: 'size: {s: "10", m: 20, l: 30, xl: 40, xxl: 50}',
    rejects: ['field size.s: cannot unmarshal string into Go value of type int'],
  },
  {
    prow: 'yaml.Unmarshal: a string in a Pod spec where Kubernetes wants a number, named by job',
    jobs: `periodics:
- name: p
  interval: 1h
  spec:
    containers:
    - image: x
      ports: [{containerPort: "80"}]
      resources: {requests: {cpu: 1, memory: 1Gi}}`,
    rejects: [
      'job "p": field spec.containers[0].ports[0].containerPort: cannot unmarshal string into Go value of type',
    ],
  },
];

describe("Prow's verdicts on config.yaml sections", () => {
  describe('value types, in every section and file', () => {
    for (const v of types) it(v.prow, () => runVerdict(v));
  });
  describe('plank', () => {
    for (const v of plank) it(v.prow, () => runVerdict(v));
  });
  describe('other components', () => {
    for (const v of components) it(v.prow, () => runVerdict(v));
  });
  it('TestValidConfigLoading/Version file sets the version', () => {
    const tree = tempTree({ 'config.yaml': '', VERSION: 'some-git-sha' });
    try {
      const r = loadConfig({ configPath: tree.path('config.yaml') });
      expect(r.ok && r.config.prow.config_version_sha).toBe('some-git-sha');
    } finally {
      tree.remove();
    }
  });
  it('every problem of every section is reported at once, naming file, field and line', () => {
    runVerdict({
      prow: 'jetprow: all errors at once (Prow stops at the first)',
      config: `plank:
  job_url_prefix_config: {"*": "https:// x"}
tide:
  max_goroutines: many
  target_url: https://a
  target_urls: {"*": https://b}
deck:
  spyglass: {size_limit: -1}
slack_reporter_configs: {"*": {}}`,
      rejects: [
        'field plank.job_url_prefix_config.*',
        'field tide.max_goroutines: must be integer',
        'field tide.target_url',
        'field deck.spyglass.size_limit',
        'field slack_reporter_configs.*.channel',
        'config.yaml:2:',
      ],
    });
  });
});
