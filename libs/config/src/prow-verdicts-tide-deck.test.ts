// Conformance: config.yaml's tide and deck sections, each case an input and Prow's verdict from
// the Prow unit test named in `prow` (kubernetes-sigs/prow pkg/config/config_test.go;
// tide_test.go for queries). jetprow runs neither component; a Prow install sharing this config
// does.
import { describe, expect, it } from 'vitest';
import { runVerdict, type Verdict } from '../testing/verdicts.js';

const tide: Verdict[] = [
  {
    prow: 'TestValidConfigLoading/tide global target_url respected',
    config: 'tide: {target_url: https://global.tide}',
    then: (c) => expect(c.prow.tide.target_urls).toEqual({ '*': 'https://global.tide' }),
  },
  {
    prow: 'TestValidConfigLoading/tide target_url and target_urls conflict',
    config: 'tide: {target_url: https://global.tide, target_urls: {"*": https://other.tide}}',
    rejects: ['tide.target_url and tide.target_urls are mutually exclusive'],
  },
  {
    prow: 'TestValidConfigLoading/tide specific target_urls respected',
    config: 'tide: {target_urls: {"*": https://global.tide, org: https://org.tide}}',
    then: (c) =>
      expect(c.prow.tide.target_urls).toEqual({
        '*': 'https://global.tide',
        org: 'https://org.tide',
      }),
  },
  {
    prow: 'TestValidConfigLoading/tide no target_url specified returns empty string',
    config: 'tide: {}',
    then: (c) => expect(c.prow.tide.target_urls).toEqual({}),
  },
  {
    prow: 'TestValidConfigLoading/tide specific pr_status_base_urls respected',
    config: 'tide: {pr_status_base_urls: {"*": https://default/pr, org: https://org/pr}}',
    then: (c) => expect(c.prow.tide.pr_status_base_urls['org']).toBe('https://org/pr'),
  },
  {
    prow: 'parseProwConfig: pr_status_base_urls needs the default key',
    config: 'tide: {pr_status_base_urls: {org: https://org/pr}}',
    rejects: ["pr_status_base_urls is defined but the default value ('*') is missing"],
  },
  {
    prow: 'parseProwConfig: pr_status_base_url and pr_status_base_urls',
    config: 'tide: {pr_status_base_url: https://a, pr_status_base_urls: {"*": https://b}}',
    rejects: ['both pr_status_base_url and pr_status_base_urls are defined'],
  },
  {
    prow: 'parseProwConfig: the deprecated pr_status_base_url becomes pr_status_base_urls["*"]',
    config: 'tide: {pr_status_base_url: https://a}',
    then: (c) => {
      expect(c.prow.tide.pr_status_base_urls).toEqual({ '*': 'https://a' });
      expect(c.warnings.map(String).join()).toContain('`pr_status_base_url` setting is deprecated');
    },
  },
  {
    prow: 'parseProwConfig: tide defaults (sync_period 1m, status_update_period = sync_period, max_goroutines 20)',
    config: 'tide: {sync_period: 2m}',
    then: (c) =>
      expect(c.prow.tide).toMatchObject({
        sync_period_ms: 120_000,
        status_update_period_ms: 120_000,
        max_goroutines: 20,
      }),
  },
  {
    prow: 'parseProwConfig: tide max_goroutines must be positive',
    config: 'tide: {max_goroutines: -1}',
    rejects: ['tide has invalid max_goroutines (-1), it needs to be a positive number'],
  },
  {
    prow: 'TestParseTideMergeType/No errors',
    config: `tide:
  merge_method:
    k8s: rebase
    k8s/test: squash
    kubernetes: {test-infra: squash}
    golang: {go: {master: merge, main.+: rebase}}`,
  },
  {
    prow: 'TestParseTideMergeType/Errors on every config level',
    config: `tide:
  merge_method:
    k8s: fake-org-mm
    kubernetes:
      test-infra: fake-repo-mm
      kubernetes: {main: fake-br-mm, "invalid-regex[": squash}`,
    rejects: [
      'merge type "fake-org-mm" for k8s is not a valid type',
      'merge type "fake-repo-mm" for kubernetes/test-infra is not a valid type',
      'merge type "fake-br-mm" for kubernetes/kubernetes@main is not a valid type',
      'regex "invalid-regex[" is not valid',
    ],
  },
  {
    prow: 'TestMergeCommitTemplateLoading/two proper templates',
    config:
      'tide: {merge_commit_template: {kubernetes/ingress: {title: "{{ .Title }}", body: "{{ .Body }}"}}}',
  },
  {
    prow: 'TestMergeCommitTemplateLoading/empty template',
    config: 'tide:\n  merge_commit_template:\n    kubernetes/ingress:\n',
  },
  {
    prow: 'TestMergeCommitTemplateLoading/malformed title template',
    config: 'tide: {merge_commit_template: {kubernetes/ingress: {title: "{{ .Title"}}}',
    rejects: ['parsing template for commit title: template: CommitTitle:1:'],
  },
  {
    prow: 'TestMergeCommitTemplateLoading/malformed body template',
    config: 'tide: {merge_commit_template: {kubernetes/ingress: {body: "{{ .Body"}}}',
    rejects: ['parsing template for commit body: template: CommitBody:1:'],
  },
  {
    prow: 'parseProwConfig: github_merge_blocks_policy values',
    config: 'tide: {github_merge_blocks_policy: {"*": block, org: maybe}}',
    rejects: [
      'tide.github_merge_blocks_policy["org"] has invalid value "maybe", must be one of: ignore, permit, block',
    ],
  },
];

/** tide_test.go TestTideQuery_Validate: each query, and whether Prow refuses it. */
const queries: [string, string, string?][] = [
  [
    'good query',
    '{orgs: [kuber], repos: [foo/bar, baz/bar], excludedRepos: [kuber/netes], includedBranches: [master], labels: [lgtm, approved], missingLabels: [do-not-merge/evil-code]}',
  ],
  ['simple org query is valid', '{orgs: [kuber]}'],
  [
    'org with slash is invalid',
    '{orgs: [kube/r]}',
    `orgs[0]: "kube/r" contains a '/' which is not valid`,
  ],
  ['empty org is invalid', '{orgs: [""]}', 'orgs[0]: is an empty string'],
  [
    'duplicate org is invalid',
    '{orgs: [kuber, kuber]}',
    '"orgs" contains 1 duplicate entries: kuber',
  ],
  ['simple repo query is valid', '{repos: [kuber/netes]}'],
  [
    'repo without slash is invalid',
    '{repos: [foobar, baz/bar]}',
    'repos[0]: "foobar" is not of the form "org/repo"',
  ],
  [
    'repo included with parent org is invalid',
    '{orgs: [kuber], repos: [foo/bar, kuber/netes]}',
    'repos[1]: "kuber/netes" is already included via org: "kuber"',
  ],
  [
    'duplicate repo is invalid',
    '{repos: [baz/bar, foo/bar, baz/bar]}',
    '"repos" contains 1 duplicate entries: baz/bar',
  ],
  [
    'empty orgs and repos is invalid',
    '{includedBranches: [master], labels: [lgtm, approved], missingLabels: [do-not-merge/evil-code]}',
    "'orgs' and 'repos' cannot both be empty",
  ],
  ['simple excluded repo query is valid', '{orgs: [kuber], excludedRepos: [kuber/netes]}'],
  [
    'excluded repo without slash is invalid',
    '{orgs: [kuber], excludedRepos: [kubernetes]}',
    'excludedRepos[0]: "kubernetes" is not of the form "org/repo"',
  ],
  [
    'excluded repo included without parent org is invalid',
    '{repos: [foo/bar, baz/bar], excludedRepos: [kuber/netes]}',
    'excludedRepos[0]: "kuber/netes" has no effect because org "kuber" is not included',
  ],
  [
    'duplicate excluded repo is invalid',
    '{orgs: [kuber], excludedRepos: [kuber/netes, kuber/netes]}',
    '"excludedRepos" contains 1 duplicate entries: kuber/netes',
  ],
  [
    'label cannot be required and forbidden',
    '{orgs: [kuber], labels: [lgtm, approved], missingLabels: [do-not-merge/evil-code, lgtm]}',
    'the labels: ["lgtm"] are both required and forbidden',
  ],
  ['simple excluded branches query is valid', '{orgs: [kuber], excludedBranches: [dev]}'],
  [
    'specifying both included and excluded branches is invalid',
    '{orgs: [kuber], includedBranches: [master], excludedBranches: [dev]}',
    "both 'includedBranches' and 'excludedBranches' are specified ('excludedBranches' have no effect)",
  ],
];

const deck: Verdict[] = [
  {
    prow: 'TestSpyglassConfig/Default: build log, metadata, junit (size_limit 500e+6, viewers become lenses)',
    config: `deck:
  spyglass:
    size_limit: 500e+6
    viewers:
      "started.json|finished.json": [metadata]
      "build-log.txt": [buildlog]`,
    then: (c) => {
      expect(c.prow.deck.spyglass.size_limit).toBe(500e6);
      expect(c.prow.deck.spyglass.lenses.map((l) => l.lens?.name)).toEqual([
        'buildlog',
        'metadata',
      ]);
    },
  },
  {
    prow: 'TestSpyglassConfig/Backwards compatibility (old viewer names)',
    config:
      'deck: {spyglass: {viewers: {"build-log.txt": [build-log-viewer], "junit.*": [junit-viewer]}}}',
    then: (c) =>
      expect(c.prow.deck.spyglass.lenses.map((l) => l.lens?.name)).toEqual(['buildlog', 'junit']),
  },
  {
    prow: 'TestSpyglassConfig/Invalid spyglass size limit',
    config: 'deck: {spyglass: {size_limit: -4}}',
    rejects: ['invalid value for deck.spyglass.size_limit, must be >=0'],
  },
  {
    prow: 'TestSpyglassConfig/Invalid Spyglass regexp',
    config:
      'deck: {spyglass: {size_limit: 5, viewers: {"started.json|]finished.json)": [metadata-viewer]}}}',
    rejects: ['cannot compile regexp "started.json|]finished.json)"'],
  },
  {
    prow: 'parseProwConfig: spyglass defaults (size_limit 100e6, gcs_browser_prefixes["*"] from gcs_browser_prefix)',
    config: 'deck: {spyglass: {gcs_browser_prefix: "https://gcsweb.k8s.io/gcs/"}}',
    then: (c) => {
      expect(c.prow.deck.spyglass.size_limit).toBe(100e6);
      expect(c.prow.deck.spyglass.gcs_browser_prefixes).toEqual({
        '*': 'https://gcsweb.k8s.io/gcs/',
      });
      expect(c.prow.deck.spyglass.gcs_browser_prefixes_by_bucket).toEqual({
        '*': 'https://gcsweb.k8s.io/gcs/',
      });
      expect(c.prow.deck.tide_update_period_ms).toBe(10_000);
    },
  },
  {
    prow: 'TestSpyglassConfig/Invalid Spyglass gcs browser web prefix',
    config: `deck:
  spyglass:
    gcs_browser_prefix: https://gcsweb.k8s.io/gcs/
    gcs_browser_prefixes: {"*": https://gcsweb.k8s.io/gcs/}`,
    rejects: ["both gcs_browser_prefix and gcs_browser_prefixes['*'] are specified."],
  },
  {
    prow: 'TestSpyglassConfig/Invalid Spyglass gcs browser web prefix by bucket',
    config: `deck:
  spyglass:
    gcs_browser_prefix: https://gcsweb.k8s.io/gcs/
    gcs_browser_prefixes_by_bucket: {"*": https://gcsweb.k8s.io/gcs/}`,
    rejects: ["both gcs_browser_prefix and gcs_browser_prefixes_by_bucket['*'] are specified."],
  },
  {
    prow: 'TestValidateComponentConfig/RerunAuthConfigs and not RerunAuthConfig is valid, no err',
    config: `deck:
  rerun_auth_configs:
    "*": {allow_anyone: true}
    kubernetes: {github_users: [easterbunny]}
    kubernetes/kubernetes: {github_orgs: [kubernetes, kubernetes-sigs]}`,
    then: (c) =>
      expect(c.prow.deck.default_rerun_auth_configs.map((e) => e.repo)).toEqual([
        '*',
        'kubernetes',
        'kubernetes/kubernetes',
      ]),
  },
  {
    prow: 'TestValidateComponentConfig/RerunAuthConfigs only and validation fails, err',
    config: `deck:
  rerun_auth_configs:
    "*": {allow_anyone: true}
    kubernetes/kubernetes: {allow_anyone: true, github_orgs: [kubernetes]}`,
    rejects: [
      'default_rerun_auth_configs[1]: allow anyone is set to true and permitted users or groups are specified',
    ],
  },
  {
    prow: 'FinalizeDefaultRerunAuthConfigs: the old map and the new entries are exclusive',
    config: `deck:
  rerun_auth_configs: {"*": {allow_anyone: true}}
  default_rerun_auth_configs: [{repo: "*", rerun_auth_configs: {allow_anyone: true}}]`,
    rejects: [
      'deck.rerun_auth_configs and deck.default_rerun_auth_configs are mutually exclusive, please use one or the other',
    ],
  },
  {
    prow: 'TestValidateComponentConfig/SkipStoragePathValidation true and AdditionalAllowedBuckets empty, no err',
    config: 'deck: {skip_storage_path_validation: true, additional_allowed_buckets: []}',
  },
  {
    prow: 'TestValidateComponentConfig/SkipStoragePathValidation true and AdditionalAllowedBuckets non-empty, err',
    config: 'deck: {skip_storage_path_validation: true, additional_allowed_buckets: [foo, bar]}',
    rejects: [
      'deck.skip_storage_path_validation is enabled despite deck.additional_allowed_buckets being configured: [foo bar]',
    ],
  },
  {
    prow: 'TestValidateComponentConfig/SkipStoragePathValidation false and AdditionalAllowedBuckets non-empty, no err',
    config: 'deck: {skip_storage_path_validation: false, additional_allowed_buckets: [foo, bar]}',
    then: (c) => expect(c.prow.deck.all_known_storage_buckets).toEqual(['bar', 'foo']),
  },
  {
    prow: 'TestCalculateStorageBuckets: the decoration defaults’ bucket is allowed (provider prefix stripped)',
    config: `deck: {skip_storage_path_validation: false, additional_allowed_buckets: [extra]}
plank:
  default_decoration_config_entries:
  - config: {gcs_configuration: {bucket: "gs://default-bucket"}}`,
    then: (c) => expect(c.prow.deck.all_known_storage_buckets).toEqual(['default-bucket', 'extra']),
  },
  {
    prow: 'parseProwConfig: external_agent_logs templates and selectors',
    config:
      'deck: {external_agent_logs: [{agent: jenkins, selector: "a in (", url_template: "{{.X"}]}',
    rejects: [
      'parsing template for agent "jenkins": template: jenkins:1:',
      'error parsing selector "a in ("',
    ],
  },
];

describe("Prow's verdicts on tide and deck", () => {
  describe('tide', () => {
    for (const v of tide) it(v.prow, () => runVerdict(v));
    for (const [name, query, error] of queries) {
      it(`TestTideQuery_Validate/${name}`, () =>
        runVerdict({
          prow: name,
          config: `tide:\n  queries:\n  - ${query}`,
          ...(error !== undefined && { rejects: [`tide query (index 0) is invalid: ${error}`] }),
        }));
    }
  });
  describe('deck', () => {
    for (const v of deck) it(v.prow, () => runVerdict(v));
  });
});
