// Conformance: job rules and plugins.yaml, each case an input and Prow's verdict from the Prow unit
// test named in `prow` (kubernetes-sigs/prow pkg/config/config_test.go, jobs_test.go and
// pkg/plugins/config_test.go).
import { describe, expect, it } from 'vitest';
import { runVerdict, type Verdict } from '../testing/verdicts.js';

/** A presubmit of org/repo, with `extra` YAML lines added to the job (4-space indent). */
const presubmit = (extra: string, name = 'job') => `presubmits:
  org/repo:
  - name: ${name}
${extra}`;

const tekton = (tasks: string, extraRefs = '', kind: 'presubmit' | 'periodic' = 'presubmit') => {
  const job = `    agent: tekton-pipeline
${extraRefs}    pipeline_run_spec:
      pipelineSpec:
        tasks:
${tasks}`;
  if (kind === 'presubmit') return presubmit(job);
  return `periodics:\n- name: p\n  interval: 1h\n${job.replace(/^ {2}/gm, '')}`;
};
const task = (ref: string) => `        - {name: git ref, taskRef: {name: ${ref}}}\n`;
const oneRef = '    extra_refs: [{org: o, repo: r, base_ref: main}]\n';

/** TestValidatePipelineRunSpec (jobs reach it through a tekton-pipeline job's pipeline_run_spec). */
const pipeline: Verdict[] = [
  { prow: 'TestValidatePipelineRunSpec/happy case', jobs: tekton(task('some-task')) },
  {
    prow: 'TestValidatePipelineRunSpec/reject implicit ref for periodic',
    jobs: tekton(task('PROW_IMPLICIT_GIT_REF'), '', 'periodic'),
    rejects: ['periodic jobs do not have an implicit git ref to replace PROW_IMPLICIT_GIT_REF'],
  },
  {
    prow: 'TestValidatePipelineRunSpec/allow implicit ref for presubmit',
    jobs: tekton(task('PROW_IMPLICIT_GIT_REF')),
  },
  {
    prow: 'TestValidatePipelineRunSpec/reject extra refs usage with no extra refs',
    jobs: tekton(task('PROW_EXTRA_GIT_REF_0')),
    rejects: [
      '0 extra_refs are specified, but the following PROW_EXTRA_GIT_REF_* indexes are used: 0',
    ],
  },
  {
    prow: 'TestValidatePipelineRunSpec/allow extra refs usage with extra refs',
    jobs: tekton(task('PROW_EXTRA_GIT_REF_0'), oneRef),
  },
  {
    prow: 'TestValidatePipelineRunSpec/reject wrong extra refs index usage',
    jobs: tekton(task('PROW_EXTRA_GIT_REF_1'), oneRef),
    rejects: ['extra_refs[0] is not used; some task must reference PROW_EXTRA_GIT_REF_0'],
  },
  {
    prow: 'TestValidatePipelineRunSpec/reject extra refs without usage',
    jobs: tekton(task('some-other-ref'), oneRef),
    rejects: ['extra_refs[0] is not used'],
  },
  {
    prow: 'TestValidatePipelineRunSpec/allow unrelated resource refs',
    jobs: tekton(task('some-other-ref')),
  },
  {
    prow: 'TestValidatePipelineRunSpec/reject leading zeros when extra ref usage is otherwise valid',
    jobs: tekton(task('PROW_EXTRA_GIT_REF_000'), oneRef),
    rejects: ['task "git ref": leading zeros are not allowed in PROW_EXTRA_GIT_REF_* indexes'],
  },
  {
    prow: 'GetPipelineRunSpec: tekton_pipeline_run_spec.v1beta1 is checked the same way',
    jobs: presubmit(`    agent: tekton-pipeline
    tekton_pipeline_run_spec:
      v1beta1: {pipelineSpec: {tasks: [{name: t, taskRef: {name: PROW_EXTRA_GIT_REF_0}}]}}`),
    rejects: ['PROW_EXTRA_GIT_REF_* indexes are used: 0'],
  },
];

const decorated = `plank:
  default_decoration_config_entries:
  - config:
      utility_images: {clonerefs: c, initupload: i, entrypoint: e, sidecar: s}
      gcs_configuration: {bucket: b, path_strategy: explicit}
      gcs_credentials_secret: gcs
`;
/** A decorated presubmit with the given clone settings (TestUtilityConfigValidation's inputs). */
const cloning = (lines: string) =>
  presubmit(`    decorate: true
${lines}
    spec: {containers: [{image: alpine, command: ["true"]}]}`);
const ssh = '    decoration_config: {ssh_key_secrets: [ssh-secret]}';
const oauth = '    decoration_config: {oauth_token_secret: {name: secret, key: token}}';

const cloneURIs: Verdict[] = [
  {
    prow: 'TestUtilityConfigValidation/clone_uri is a not valid, error',
    config: decorated,
    jobs: cloning('    clone_uri: "://notvalidURI"'),
    rejects: [
      'couldn\'t parse uri from clone_uri: parse "://notvalidURI": missing protocol scheme',
    ],
  },
  {
    prow: 'TestUtilityConfigValidation/one of the clone_uri is not valid, error',
    config: decorated,
    jobs: cloning(`    clone_uri: "https://github.com/kubernetes/test-infra.git"
    extra_refs:
    - {org: org1, repo: repo1, base_ref: master, clone_uri: "https://github.com/kubernetes/test-infra.git"}
    - {org: org2, repo: repo2, base_ref: master, clone_uri: "://notvalidURI"}`),
    rejects: ["extra_ref[1]: couldn't parse uri from clone_uri"],
  },
  {
    prow: 'TestUtilityConfigValidation/ssh_keys specified and clone_uri is valid, no error',
    config: decorated,
    jobs: cloning(`    clone_uri: "git@github.com:kubernetes/test-infra.git"\n${ssh}`),
  },
  {
    prow: 'TestUtilityConfigValidation/ssh_keys specified and all of clone_uri are valid, no error',
    config: decorated,
    jobs: cloning(`    clone_uri: "git@github.com:kubernetes/test-infra.git"
    extra_refs:
    - {org: org1, repo: repo1, base_ref: master, clone_uri: "github.com:org1/repo1.git"}
    - {org: org2, repo: repo2, base_ref: master, clone_uri: "git@github.com:org2/repo2.git"}
${ssh}`),
  },
  {
    prow: 'TestUtilityConfigValidation/ssh_keys specified and one of the clone_uri is invalid, error',
    config: decorated,
    jobs: cloning(`    clone_uri: "git@github.com:kubernetes/test-infra.git"
    extra_refs:
    - {org: org2, repo: repo2, base_ref: master, clone_uri: "://notvalidURI"}
${ssh}`),
    rejects: ["extra_ref[0]: couldn't parse uri from clone_uri"],
  },
  {
    prow: 'TestUtilityConfigValidation/oauth token secret provided and all clone_uri have valid http(s) a scheme, no error',
    config: decorated,
    jobs: cloning(`    clone_uri: "http://github.com/kubernetes/test-infra.git"
    extra_refs:
    - {org: org1, repo: repo1, base_ref: master, clone_uri: "https://github.com/org1/repo1.git"}
${oauth}`),
  },
  {
    prow: "TestUtilityConfigValidation/oauth token secret provided but clone_uri doesn't contain a scheme, error",
    config: decorated,
    jobs: cloning(`    clone_uri: "github.com/kubernetes/test-infra.git"\n${oauth}`),
    rejects: [
      'scheme must be http or https when OAuth secret is specified: github.com/kubernetes/test-infra.git',
    ],
  },
  {
    prow: "TestUtilityConfigValidation/oauth token secret provided but clone_uri doesn't contain a http(s) scheme, error",
    config: decorated,
    jobs: cloning(`    clone_uri: "ssh://github.com/kubernetes/test-infra.git"\n${oauth}`),
    rejects: ['scheme must be http or https when OAuth secret is specified'],
  },
];

const plugins: Verdict[] = [
  {
    prow: 'checkconfig CheckUnknownPlugins / ValidatePluginsUnknown: an unknown plugin name',
    plugins: 'plugins: {org: {plugins: [trigger, no-such-plugin]}}',
    rejects: ['unknown plugin: no-such-plugin'],
  },
  {
    prow: 'ValidatePluginsUnknown: the deprecated list form is checked too',
    plugins: 'plugins: {org: [lgtm, lgmt]}',
    rejects: ['unknown plugin: lgmt'],
  },
  {
    prow: 'TestValidatePluginsDupes/dupes found (woof → hold: unknown names are refused too)',
    plugins: 'plugins: {org: {plugins: [approve, lgtm]}, org/repo: {plugins: [approve, hold]}}',
    rejects: ['plugins [approve] are duplicated for repo and org'],
  },
  {
    prow: 'TestValidatePluginsDupes/no dupes due to excluded repo',
    plugins:
      'plugins: {org: {plugins: [approve, lgtm], excluded_repos: [repo]}, org/repo: {plugins: [approve, hold]}}',
  },
  {
    prow: 'TestValidateConfigUpdater/same key of different cms in different ns',
    plugins: `config_updater:
  maps:
    a.yaml: {name: plugins, key: plugins.yaml, clusters: {first: [some-namespace]}}
    b.yaml: {name: plugins, key: plugins.yaml, clusters: {first: [other-namespace]}}`,
  },
  {
    prow: 'TestValidateConfigUpdater/same key of a cm in the same ns',
    plugins: `config_updater:
  maps:
    a.yaml: {name: plugins, key: plugins.yaml, clusters: {first: [some-namespace]}}
    b.yaml: {name: plugins, key: plugins.yaml, clusters: {first: [some-namespace]}}`,
    rejects: ['key plugins.yaml in configmap plugins updated with more than one file'],
  },
  {
    prow: 'TestValidateConfigUpdater/same key of a cm in the same ns different clusters',
    plugins: `config_updater:
  maps:
    a.yaml: {name: plugins, key: plugins.yaml, clusters: {first: [some-namespace]}}
    b.yaml: {name: plugins, key: plugins.yaml, clusters: {other: [some-namespace]}}`,
  },
  {
    prow: 'validateConfigUpdater: one key fed from two files through the defaulted key (the basename)',
    plugins: `config_updater:
  maps:
    prow/config.yaml: {name: config}
    other/config.yaml: {name: config}`,
    rejects: ['key config.yaml in configmap config updated with more than one file'],
  },
  {
    prow: 'TestConfigUpdaterResolve/both cluster and cluster_groups is set, error',
    plugins: 'config_updater: {maps: {map: {clusters: {cluster: null}, cluster_groups: [group]}}}',
    rejects: ['item maps.map contains both clusters and cluster_groups'],
  },
  {
    prow: 'TestConfigUpdaterResolve/inexistent cluster_group is referenced, error',
    plugins: 'config_updater: {maps: {map: {cluster_groups: [group]}}}',
    rejects: ['item maps.map.cluster_groups.0 references inexistent cluster group named group'],
  },
  {
    prow: 'validateConfigUpdater: name and partitioned_names are exclusive',
    plugins: 'config_updater: {maps: {a.yaml: {name: a, partitioned_names: [b, c]}}}',
    rejects: [
      "'name' and 'partitioned_names' are mutually exclusive in the config_updater plugin configuration",
    ],
  },
  {
    prow: 'TestSetDefault_Maps/nothing',
    plugins: 'plugins: {org: {plugins: [trigger]}}',
    then: (c) =>
      expect((c.plugins.config_updater as { maps: unknown }).maps).toEqual({
        'config/prow/config.yaml': { name: 'config', clusters: { default: [''] } },
        'config/prow/plugins.yaml': { name: 'plugins', clusters: { default: [''] } },
      }),
  },
  {
    prow: 'TestSetDefault_Maps/basic',
    plugins: 'config_updater: {maps: {hello.yaml: {name: my-cm}}}',
    then: (c) =>
      expect((c.plugins.config_updater as { maps: unknown }).maps).toEqual({
        'hello.yaml': { name: 'my-cm', clusters: { default: [''] } },
      }),
  },
  {
    prow: 'TestSetHelpDefaults / TestSetCherryPickUnapprovedDefaults (defaults)',
    plugins: '{}',
    then: (c) => {
      expect(c.plugins.help).toEqual({
        help_guidelines_url: 'https://git.k8s.io/community/contributors/guide/help-wanted.md',
      });
      expect(c.plugins.cherry_pick_unapproved).toMatchObject({ branchregexp: '^release-.*$' });
      expect(c.plugins.blunderbuss).toMatchObject({ request_count: 2 });
    },
  },
  {
    prow: 'TestValidateInvalidCommitMsg/valid config',
    plugins:
      'invalid_commit_msg: [{repos: [kubernetes/test-infra, kubernetes], checks: [{name: fixupPrefix}]}]',
  },
  {
    prow: 'TestValidateInvalidCommitMsg/empty repo name',
    plugins:
      'invalid_commit_msg: [{repos: [kubernetes/test-infra, ""], checks: [{name: fixupPrefix}]}]',
    rejects: [
      'error validating invalid_commit_msg config #0: repo "" must be of form org or org/repo',
    ],
  },
  {
    prow: 'TestValidateInvalidCommitMsg/whitespace repo name',
    plugins:
      'invalid_commit_msg: [{repos: [kubernetes/test-infra, "  "], checks: [{name: fixupPrefix, disabled: true}]}]',
    rejects: ['repo "  " must be of form org or org/repo'],
  },
  {
    prow: 'TestValidateInvalidCommitMsg/invalid check name',
    plugins: 'invalid_commit_msg: [{repos: [kubernetes], checks: [{name: invalidCheck}]}]',
    rejects: [
      'error validating invalid_commit_msg config #0 check #0: unknown check name "invalidCheck" (valid: [fixupPrefix issueClosingKeywords])',
    ],
  },
  {
    prow: 'TestValidateInvalidCommitMsg/empty check name',
    plugins: 'invalid_commit_msg: [{repos: [kubernetes], checks: [{name: ""}]}]',
    rejects: ['check #0: check name cannot be empty'],
  },
  {
    prow: 'validateRepoDupes: a repo listed twice in invalid_commit_msg',
    plugins: 'invalid_commit_msg: [{repos: [k/t]}, {repos: [k/t]}]',
    rejects: ['The repo "k/t" is duplicated in the \'welcome\' plugin configuration.'],
  },
  {
    prow: 'validateRepoDupes: an org listed twice in welcome',
    plugins: 'welcome: [{repos: [kubernetes]}, {repos: [kubernetes]}]',
    rejects: ['The org "kubernetes" is duplicated in the \'welcome\' plugin configuration.'],
  },
  {
    prow: 'validateBlunderbuss: request_count must be positive',
    plugins: 'blunderbuss: {request_count: 0}',
    rejects: ['invalid request_count: 0 (needs to be positive)'],
  },
  {
    prow: 'validateSizes: thresholds grow',
    plugins: 'size: {s: 10, m: 5, l: 100, xl: 500, xxl: 1000}',
    rejects: [
      'invalid size plugin configuration - one of the smaller sizes is bigger than a larger one',
    ],
  },
  {
    prow: 'RequireMatchingLabel.validate: regexp must not match missing_label',
    plugins:
      'require_matching_label: [{org: o, regexp: "^kind/", missing_label: kind/needed, prs: true}]',
    rejects: [
      "error validating require_matching_label config #0: 'regexp' must not match 'missing_label'",
    ],
  },
  {
    prow: 'RequireMatchingLabel.validate: prs or issues',
    plugins: 'require_matching_label: [{org: o, regexp: "^kind/", missing_label: needs-kind}]',
    rejects: ["must specify 'prs: true' and/or 'issues: true'"],
  },
  {
    prow: 'compileRegexpsAndDurations: blockade branch regexps compile',
    plugins: 'blockades: [{repos: [o/r], branchregexp: "(", blockregexps: [x]}]',
    rejects: ['failed to compile blockade branchregexp: "("'],
  },
  {
    prow: 'validateProjectManager: a managed project needs columns',
    plugins: 'project_manager: {orgsRepos: {o/r: {projects: {p: {columns: []}}}}}',
    rejects: ['Org/repo: o/r, project p, has no columns configured'],
  },
];

describe("Prow's verdicts on job rules and plugins.yaml", () => {
  describe('tekton pipeline_run_spec', () => {
    for (const v of pipeline) it(v.prow, () => runVerdict(v));
  });
  describe('clone_uri', () => {
    for (const v of cloneURIs) it(v.prow, () => runVerdict(v));
  });
  describe('plugins.yaml', () => {
    for (const v of plugins) it(v.prow, () => runVerdict(v));
  });
});
