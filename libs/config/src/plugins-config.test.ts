import { describe, expect, it } from 'vitest';
import { defaultTrigger, parsePluginsConfig } from './plugins-config.js';

describe('plugins.yaml (pkg/plugins/config.go)', () => {
  it('reads plugins, triggers and external_plugins with defaults', () => {
    const { config, errors, warnings } = parsePluginsConfig(
      {
        plugins: {
          org: { plugins: ['trigger', 'lgtm'], excluded_repos: ['legacy'] },
          'org/special': { plugins: ['size'] },
        },
        triggers: [
          { repos: ['org'], only_org_members: true },
          { repos: ['other'], trusted_org: 'org' },
        ],
        external_plugins: {
          'org/special': [
            { name: 'needs-rebase', events: ['pull_request'] },
            { name: 'x', endpoint: 'http://x:8080' },
          ],
        },
        approve: [{ repos: ['org'] }],
      },
      'plugins.yaml',
    );
    expect(errors).toEqual([]);
    expect(config.plugins).toEqual({
      org: { plugins: ['trigger', 'lgtm'], excluded_repos: ['legacy'] },
      'org/special': { plugins: ['size'], excluded_repos: [] },
    });
    expect(config.triggers[1]?.join_org_url).toBe('https://github.com/orgs/org/people');
    expect(config.external_plugins['org/special']).toEqual([
      { name: 'needs-rebase', endpoint: 'http://needs-rebase', events: ['pull_request'] },
      { name: 'x', endpoint: 'http://x:8080', events: [] },
    ]);
    expect(config.approve).toEqual([{ repos: ['org'] }]);
    expect(warnings.map(String)).toEqual([
      'plugins.yaml: field triggers: trusted_org functionality is deprecated',
    ]);
  });

  it('defaults every triggers entry (Go’s zero values, org_invite’s threshold 3)', () => {
    const { config, errors } = parsePluginsConfig(
      {
        triggers: [
          { repos: ['org'] },
          { repos: ['other'], trusted_org: 'org', join_org_url: 'https://example.com/join' },
          { repos: ['third'], org_invite: { prominent: { merged_pr_threshold: 0, x: 1 } } },
        ],
      },
      'plugins.yaml',
    );
    expect(errors).toEqual([]);
    const zero = {
      repos: [],
      trusted_apps: [],
      trusted_org: '',
      join_org_url: '',
      only_org_members: false,
      ignore_ok_to_test: false,
      trigger_github_workflows: false,
      org_invite: { prominent: { disabled: false, merged_pr_threshold: 3, message: '' } },
    };
    expect(defaultTrigger()).toEqual(zero);
    expect(config.triggers[0]).toEqual({ ...zero, repos: ['org'] });
    expect(config.triggers[1]).toMatchObject({
      trusted_org: 'org',
      join_org_url: 'https://example.com/join',
    });
    expect(config.triggers[2]?.org_invite).toEqual({
      prominent: { disabled: false, merged_pr_threshold: 0, message: '', x: 1 },
    });
  });

  it('accepts the legacy list form with a deprecation warning', () => {
    const { config, errors, warnings } = parsePluginsConfig(
      { plugins: { org: ['trigger', 'hold'], 'org/r': ['size'] } },
      'plugins.yaml',
    );
    expect(errors).toEqual([]);
    expect(config.plugins).toEqual({
      org: { plugins: ['trigger', 'hold'], excluded_repos: [] },
      'org/r': { plugins: ['size'], excluded_repos: [] },
    });
    expect(warnings[0]?.message).toContain('deprecated config style');
  });

  const errorCases: { name: string; raw: unknown; error: string }[] = [
    {
      name: 'mixing the list and mapping forms',
      raw: { plugins: { org: ['a'], 'org/r': { plugins: ['b'] } } },
      error: 'plugins.yaml: field plugins.org: list form cannot be mixed',
    },
    {
      name: 'validatePluginsDupes: same plugin on org and repo',
      raw: { plugins: { org: { plugins: ['size'] }, 'org/r': { plugins: ['size'] } } },
      error: 'plugins [size] are duplicated for r and org',
    },
    {
      name: 'validateMutuallyExclusivePlugins: blunderbuss and rifle',
      raw: { plugins: { org: { plugins: ['blunderbuss', 'rifle'] } } },
      error: 'org: blunderbuss and rifle plugins are mutually exclusive',
    },
    {
      name: 'validateExternalPlugins: same external plugin on org and repo',
      raw: { external_plugins: { org: [{ name: 'p' }], 'org/r': [{ name: 'p' }] } },
      error: 'external plugins [p] are duplicated for org/r and org',
    },
    {
      name: 'wrong type',
      raw: { triggers: [{ repos: 'org' }] },
      error: 'field triggers[0].repos: must be array',
    },
  ];
  for (const tc of errorCases) {
    it(`reports ${tc.name}`, () => {
      expect(parsePluginsConfig(tc.raw, 'plugins.yaml').errors.map(String).join('\n')).toContain(
        tc.error,
      );
    });
  }

  it('a plugin on an org and on one of its excluded repos is not a duplicate', () => {
    const raw = {
      plugins: {
        org: { plugins: ['size'], excluded_repos: ['r'] },
        'org/r': { plugins: ['size'] },
      },
    };
    expect(parsePluginsConfig(raw, 'plugins.yaml').errors).toEqual([]);
  });
});
