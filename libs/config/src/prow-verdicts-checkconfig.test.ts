// Conformance: checkconfig's warnings. Each case is an input, the warning checks enabled, and what
// Prow's checkconfig warns, from the Prow test named in `prow` (kubernetes-sigs/prow
// cmd/checkconfig/main_test.go unless stated). jetprow reports every finding (Prow prints one
// aggregated line per check) with its file, job and field.
import { describe, expect, it } from 'vitest';
import { checkConfig } from './checkconfig.js';
import { enabledWarnings, warningNameError, DEFAULT_WARNINGS } from './checkconfig/warnings.js';
import { runWarningVerdict, type WarningVerdict } from '../testing/verdicts.js';
import { tempTree } from '../testing/test-support.js';

const spec = (indent: string) =>
  `${indent}spec: {containers: [{image: alpine, command: ["true"]}]}`;
const only = (w: string) => ({ warnings: [w] });

const jobs: WarningVerdict[] = [
  {
    prow: 'TestValidateJobExtraRefs/validation error if extra ref specifies the repo for which the job is configured',
    jobs: `presubmits:\n  org/repo:\n  - name: test\n    extra_refs: [{org: org, repo: repo, base_ref: main}]\n${spec('    ')}`,
    options: only('duplicate-job-refs'),
    warns: [
      'invalid job test on repo org/repo: the following refs specified more than once: org/repo',
    ],
  },
  {
    prow: 'TestValidateJobExtraRefs/no errors if there are no duplications',
    jobs: `presubmits:\n  org/repo:\n  - name: test\n    extra_refs: [{org: foo, repo: bar, base_ref: main}]\n${spec('    ')}`,
    options: only('duplicate-job-refs'),
    warns: [],
  },
  {
    prow: 'validateJobRequirements: names longer than 63 characters',
    jobs: `periodics:\n- name: ${'a'.repeat(64)}\n  interval: 1h\n${spec('  ')}\n- name: ${'b'.repeat(63)}\n  interval: 1h\n${spec('  ')}`,
    options: only('long-job-names'),
    warns: [`name of Periodic job "${'a'.repeat(64)}" too long (should be at most 63 characters)`],
  },
  {
    prow: 'validatePeriodicDefaultCloneConfig: top-level clone settings of a periodic',
    jobs: `periodics:\n- name: p\n  interval: 1h\n  path_alias: k8s.io/x\n${spec('  ')}`,
    options: only('periodic-default-clone-config'),
    warns: [
      'top level `clone_depth`, `clone_uri`, and `path_alias` don\'t have any effect. Name: "p"',
    ],
  },
  {
    prow: 'validateDecoratedJobs: a kubernetes job without the pod utilities',
    jobs: `periodics:\n- name: p\n  interval: 1h\n${spec('  ')}`,
    options: only('non-decorated-jobs'),
    warns: [
      'job "p": field decorate: the job uses the kubernetes provider but does not use the pod utilities',
    ],
  },
  {
    prow: 'TestValidateRequiredJobAnnotations: a job missing a required annotation',
    jobs: `periodics:\n- name: p\n  interval: 1h\n  annotations: {owner: me}\n${spec('  ')}\n- name: q\n  interval: 1h\n${spec('  ')}`,
    options: { warnings: ['required-job-annotations'], requiredJobAnnotations: ['owner'] },
    warns: ["job 'q' is missing required annotations: owner"],
  },
  {
    prow: 'TestValidateClusterField/jenkins job must not set cluster',
    jobs: 'presubmits:\n  org1/repo1:\n  - name: some-job\n    agent: jenkins\n    cluster: build1\n',
    options: only('validate-cluster-field'),
    warns: ['org1/repo1: some-job: cannot set cluster field if agent is jenkins'],
  },
  {
    prow: 'TestValidateClusterField/jenkins job with defaulted cluster',
    jobs: 'presubmits:\n  org1/repo1:\n  - name: some-job\n    agent: jenkins\n    cluster: default\n',
    options: only('validate-cluster-field'),
    warns: [],
  },
];

const tide: WarningVerdict[] = [
  {
    // Prow's table builds this config in memory; written to a file, its loader refuses it first
    // (see the load verdict below), so the overlap is made with branches whose names differ but
    // whose regexes still match (`a` matches `a2`), which the loader's duplicate-context check
    // compares as exact strings.
    prow: 'TestValidateTideContextPolicy/overlapping branch config, error (branches a and a2)',
    jobs: `presubmits:
  a/b:
  - {name: j1, context: a, branches: [a], spec: {containers: [{image: x}]}}
  - {name: j2, context: a, always_run: true, branches: [a2], spec: {containers: [{image: x}]}}`,
    options: only('tide-context-policy'),
    warns: [
      'context policy for a2 branch in a/b is invalid: contexts a are defined as required and required if present',
    ],
  },
  {
    prow: 'TestValidateTideContextPolicy/no overlapping branch config, no error',
    jobs: `presubmits:
  a/b:
  - {name: j1, context: a, branches: [a], spec: {containers: [{image: x}]}}
  - {name: j2, context: a, always_run: true, branches: [b], spec: {containers: [{image: x}]}}`,
    options: only('tide-context-policy'),
    warns: [],
  },
  {
    prow: 'TestValidateTideContextPolicy/bp required context collides with conditionally-triggered job via from-branch-protection',
    config: `tide: {context_options: {from-branch-protection: true}}
branch-protection:
  orgs:
    a: {repos: {b: {branches: {master: {protect: true, required_status_checks: {contexts: [ci/prow/test]}}}}}}`,
    jobs: `presubmits:
  a/b:
  - {name: j, context: ci/prow/test, branches: ["^master$"], skip_if_only_changed: "\\\\.md$", spec: {containers: [{image: x}]}}`,
    options: only('tide-context-policy'),
    warns: [
      'context policy for master branch in a/b is invalid: contexts ci/prow/test are defined as required and required if present',
    ],
  },
  {
    prow: 'TestValidateTideContextPolicy/tide context_options required-if-present collides with optional job',
    config: `tide:
  context_options:
    orgs: {a: {repos: {b: {branches: {master: {required-if-present-contexts: [ci/prow/coverage]}}}}}}`,
    jobs: `presubmits:
  a/b:
  - {name: j, optional: true, context: ci/prow/coverage, branches: ["^master$"], skip_if_only_changed: "\\\\.md$", spec: {containers: [{image: x}]}}`,
    options: only('tide-context-policy'),
    warns: [
      'context policy for master branch in a/b is invalid: contexts ci/prow/coverage are defined as optional and required if present',
    ],
  },
  {
    prow: 'TestValidateStrictBranches/no conflict: no strict config',
    config: 'tide: {queries: [{orgs: [kubernetes]}]}',
    options: only('tide-strict-branch'),
    warns: [],
  },
  {
    prow: 'TestValidateStrictBranches/no conflict: no tide config',
    config:
      'branch-protection: {orgs: {kubernetes: {protect: true, required_status_checks: {strict: true}}}}',
    options: only('tide-strict-branch'),
    warns: [],
  },
  {
    prow: 'TestValidateStrictBranches/no conflict: tide repo exclusion',
    config: `tide: {queries: [{orgs: [kubernetes], excludedRepos: [kubernetes/test-infra]}]}
branch-protection:
  orgs:
    kubernetes:
      protect: false
      repos: {test-infra: {protect: true, required_status_checks: {strict: true}}}`,
    options: only('tide-strict-branch'),
    warns: [],
  },
  {
    prow: 'TestValidateStrictBranches/conflict: tide more general',
    config: `tide: {queries: [{orgs: [kubernetes]}]}
branch-protection:
  orgs:
    kubernetes:
      protect: false
      repos: {test-infra: {protect: true, required_status_checks: {strict: true}}}`,
    options: only('tide-strict-branch'),
    warns: [
      'the following enable strict branchprotection context requirements even though Tide handles merges: [repo: kubernetes/test-infra]',
    ],
  },
  {
    prow: 'validateStrictBranches: globally strict while tide runs',
    config: `tide: {queries: [{orgs: [kubernetes]}]}
branch-protection: {protect: true, required_status_checks: {strict: true}}`,
    options: only('tide-strict-branch'),
    warns: [
      'strict branchprotection context requirements cannot be globally enabled when Tide is configured for use',
    ],
  },
  {
    prow: 'validateNeedsOkToTestLabel: lgtm required and needs-ok-to-test forbidden',
    config: 'tide: {queries: [{orgs: [o], labels: [lgtm], missingLabels: [needs-ok-to-test]}]}',
    options: only('needs-ok-to-test'),
    warns: [
      'the tide query at position 0forbids the "needs-ok-to-test" label and requires the "lgtm" label',
    ],
  },
  {
    prow: 'TestEnsureValidConfiguration/plugin enabled on repo with tide on org makes error',
    config: 'tide: {queries: [{orgs: [org], labels: [lgtm]}]}',
    plugins: 'plugins: {org/repo: {plugins: [lgtm]}}',
    options: only('mismatched-tide-lenient'),
    warns: [
      "the following orgs or repos require the lgtm label for merging but do not enable the lgtm plugin: [org: org without repo(s) org/repo 'org/repo']",
    ],
  },
  {
    prow: 'TestEnsureValidConfiguration/plugin enabled on org with tide on org makes no error',
    config: 'tide: {queries: [{orgs: [org], labels: [lgtm]}]}',
    plugins: 'plugins: {org: {plugins: [lgtm]}}',
    options: only('mismatched-tide-lenient'),
    warns: [],
  },
  {
    prow: 'TestEnsureValidConfiguration/tide enabled on org without plugin makes error',
    config: 'tide: {queries: [{orgs: [org], labels: [lgtm]}]}',
    plugins: 'plugins: {other: {plugins: [lgtm]}}',
    options: only('mismatched-tide-lenient'),
    warns: ['require the lgtm label for merging but do not enable the lgtm plugin: [org: org]'],
  },
  {
    prow: 'ensureValidConfiguration: a tide repo enabling lgtm whose query does not require it',
    config: 'tide: {queries: [{repos: [org/repo]}]}',
    plugins: 'plugins: {org/repo: {plugins: [lgtm]}}',
    options: only('mismatched-tide-lenient'),
    warns: [
      'the following orgs or repos enable the lgtm plugin but do not require the lgtm label for merging: [repo: org/repo]',
    ],
  },
  {
    prow: 'validateTideRequirements (strict): hold is forbidden by tide but not enabled',
    config: 'tide: {queries: [{repos: [org/repo], missingLabels: [do-not-merge/hold]}]}',
    plugins: 'plugins: {org/repo: {plugins: [approve]}}',
    options: only('mismatched-tide'),
    warns: [
      'the following orgs or repos enable the approve plugin but do not require the approved label for merging: [repo: org/repo]',
      'forbid the do-not-merge/hold label for merging but do not enable the hold plugin: [repo: org/repo]',
    ],
  },
];

const configAndPlugins: WarningVerdict[] = [
  {
    prow: 'TestValidateManagedWebhooks/has duplicate webhooks',
    config: `managed_webhooks:
  org_repo_config:
    foo: {token_created_after: "2020-01-01T00:00:00Z"}
    foo/bar: {token_created_after: "2020-01-01T00:00:00Z"}
    foo1/bar: {token_created_after: "2020-01-01T00:00:00Z"}`,
    options: only('managed-webhooks'),
    warns: ['org-level and repo-level webhooks are configured together for "foo/bar"'],
  },
  {
    prow: 'validateURLs: status_error_link',
    config: 'status_error_link: "https://x/%zz"',
    plugins: '{}',
    options: only('validate-urls'),
    warns: ['status_error_link is not a valid url: https://x/%zz'],
  },
  {
    prow: 'TestValidateUnmanagedBranchprotectionConfigDoesntHaveSubconfig/Globally disabled, errors for global and org config',
    config: `branch-protection:
  unmanaged: true
  exclude: [some-regex]
  orgs: {my-org: {exclude: [some-regex], repos: {my-repo: {exclude: [some-regex], branches: {my-branch: {exclude: [some-regex]}}}}}}`,
    options: only('validate-unmanaged-branchconfig-has-no-subconfig'),
    warns: [
      'branch protection is globally set to unmanaged, but has configuration',
      'branch protection config is globally set to unmanaged but has configuration for org my-org without setting the org to unmanaged: false',
    ],
  },
  {
    prow: 'TestValidateUnmanagedBranchprotectionConfigDoesntHaveSubconfig/Org-level disabled, errors for org policy and repos',
    config: `branch-protection:
  exclude: [some-regex]
  orgs: {my-org: {unmanaged: true, exclude: [some-regex], repos: {my-repo: {exclude: [some-regex], branches: {my-branch: {exclude: [some-regex]}}}}}}`,
    options: only('validate-unmanaged-branchconfig-has-no-subconfig'),
    warns: [
      'branch protection config for org my-org is set to unmanaged, but it defines settings',
      'branch protection config for repo my-org/my-repo is defined, but branch protection is unmanaged for org my-org without setting the repo to unmanaged: false',
    ],
  },
  {
    prow: 'TestValidateUnmanagedBranchprotectionConfigDoesntHaveSubconfig/Branch-level disabled, errors for branch policy',
    config: `branch-protection:
  orgs: {my-org: {repos: {my-repo: {branches: {my-branch: {unmanaged: true, exclude: [some-regex]}}}}}}`,
    options: only('validate-unmanaged-branchconfig-has-no-subconfig'),
    warns: [
      'branch protection config for branch my-branch in repo my-org/my-repo is set to unmanaged but defines settings',
    ],
  },
  {
    prow: 'TestValidateUnmanagedBranchprotectionConfigDoesntHaveSubconfig/unmanaged repo level is overridden by branch level, no errors',
    config: `branch-protection:
  orgs: {my-org: {repos: {my-repo: {unmanaged: true, exclude: [x], branches: {my-branch: {unmanaged: false, exclude: [x]}}}}}}`,
    options: only('validate-unmanaged-branchconfig-has-no-subconfig'),
    warns: [],
  },
  {
    prow: 'TestVerifyLabelPlugin/restricted label also an additional label, and an empty restricted label',
    plugins: `label:
  additional_labels: [foo]
  restricted_labels:
    org/repo: [{label: foo, allowed_users: [a]}, {label: "", allowed_users: [a]}]`,
    options: only('validate-label'),
    warns: [
      'the following orgs or repos have configuration of label plugin using the restricted label foo which is also configured as an additional label: org/repo',
      'the following orgs or repos have configuration of label plugin using the empty string as label name in restricted labels: org/repo',
    ],
  },
  {
    prow: 'TestValidateConfigUpdaterACLs/invalid entries',
    plugins: `config_updater:
  maps:
    config.yaml: {name: config, allowed_repos: [org/repo, "a/b/c"], denied_repos: ["/repo"]}`,
    options: only('validate-config-updater-acls'),
    warns: [
      `config_updater.maps["config.yaml"].allowed_repos: org/repo contains too many slashes '/'`,
      'config_updater.maps["config.yaml"].denied_repos: you cannot set a repo without an org',
    ],
  },
  {
    prow: 'verifyOwnersPlugin: approve without verify-owners',
    plugins:
      'plugins: {org: {plugins: [approve, verify-owners]}, other/repo: {plugins: [blunderbuss]}}',
    options: only('validate-owners'),
    warns: [
      'enable at least one plugin that uses OWNERS files (approve, blunderbuss, rifle, owners-label) but do not enable the verify-owners plugin to ensure validity of OWNERS files: [repo: other/repo]',
    ],
  },
  {
    prow: 'validateTriggers: jobs for a repo without the trigger plugin',
    jobs: `presubmits:\n  org/repo:\n  - name: j\n${spec('    ')}\npostsubmits:\n  other/repo:\n  - name: k\n${spec('    ')}`,
    plugins: 'plugins: {org: {plugins: [trigger]}}',
    options: only('missing-trigger'),
    warns: [
      'the following repos have jobs configured but do not have the trigger plugin enabled: repo: other/repo',
    ],
  },
];

describe("Prow's verdicts on checkconfig's warnings", () => {
  for (const [section, cases] of [
    ['jobs', jobs],
    ['tide', tide],
    ['config and plugins', configAndPlugins],
  ] as const) {
    describe(section, () => {
      for (const v of cases) it(v.prow, () => void runWarningVerdict(v));
    });
  }

  describe('warning selection', () => {
    it('TestWarningEnabled: named, excluded, and the defaults when none is named', () => {
      expect(enabledWarnings({ warnings: ['missing-trigger'] }).has('missing-trigger')).toBe(true);
      expect(
        enabledWarnings({
          warnings: ['missing-trigger'],
          excludeWarnings: ['missing-trigger'],
        }).has('missing-trigger'),
      ).toBe(false);
      expect([...enabledWarnings({})].sort()).toEqual([...DEFAULT_WARNINGS].sort());
      expect(enabledWarnings({ warnings: ['unknown-fields-all'] }).has('long-job-names')).toBe(
        false,
      );
      expect(
        enabledWarnings({ warnings: ['unknown-fields-all'], includeDefaultWarnings: true }).has(
          'long-job-names',
        ),
      ).toBe(true);
      expect(enabledWarnings({ expensive: true }).has('verify-owners-presence')).toBe(true);
      expect(enabledWarnings({ warnings: ['a,b'] })).toEqual(new Set(['a', 'b']));
    });
    it('TestOptions: a --warnings name Prow does not know is refused', () => {
      expect(warningNameError({ warnings: ['not-a-warning'] })).toMatch(
        /^no such warning "not-a-warning", valid warnings: \[mismatched-tide /,
      );
      expect(warningNameError({ warnings: ['tide-strict-branch'] })).toBeUndefined();
    });
  });

  it('TestValidateTideContextPolicy/overlapping branch config: as a file, Prow’s loader refuses it', () => {
    const tree = tempTree({
      'config.yaml': '',
      'jobs/j.yaml': `presubmits:
  a/b:
  - {name: j1, context: a, branches: [a], spec: {containers: [{image: x}]}}
  - {name: j2, context: a, always_run: true, spec: {containers: [{image: x}]}}`,
    });
    try {
      const r = checkConfig({
        configPath: tree.path('config.yaml'),
        jobConfigPath: tree.path('jobs'),
      });
      expect(r.ok).toBe(false);
      expect(r.errors.join('\n')).toContain('jobs j1 and j2 report to the same GitHub context "a"');
    } finally {
      tree.remove();
    }
  });

  it('--strict turns warnings into a failure; deprecations are logged, not failures', () => {
    const tree = tempTree({
      'config.yaml': '',
      'plugins.yaml': 'plugins: {org: [trigger]}\ntriggers: [{repos: [org], trusted_org: org}]\n',
      'jobs/j.yaml': `periodics:\n- name: p\n  interval: 1h\n  path_alias: x\n${spec('  ')}`,
    });
    try {
      const paths = {
        configPath: tree.path('config.yaml'),
        jobConfigPath: tree.path('jobs'),
        pluginConfigPath: tree.path('plugins.yaml'),
      };
      const lenient = checkConfig(paths, { warnings: ['missing-trigger'], strict: true });
      expect(lenient.ok).toBe(true);
      expect(lenient.deprecations.join('\n')).toContain(
        'plugins declaration uses a deprecated config style',
      );
      expect(lenient.deprecations.join('\n')).toContain('trusted_org functionality is deprecated');
      const strict = checkConfig(paths, {
        warnings: ['periodic-default-clone-config'],
        strict: true,
      });
      expect(strict.ok).toBe(false);
      expect(strict.warnings[0]).toMatch(/j\.yaml: job "p": .* \[periodic-default-clone-config\]$/);
      expect(checkConfig(paths, { warnings: ['periodic-default-clone-config'] }).ok).toBe(true);
    } finally {
      tree.remove();
    }
  });
});
