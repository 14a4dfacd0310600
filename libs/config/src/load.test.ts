import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { tempTree, type TempTree } from '../testing/test-support.js';

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

describe('loadConfig', () => {
  it('includes jobs written in config.yaml (Prow allows it) with config.yaml as source_path', () => {
    tree = tempTree({
      'config.yaml':
        'presubmits:\n  org/repo:\n  - name: in-config\n    spec: {containers: [{image: x}]}\n',
      'jobs/a.yaml':
        'presubmits:\n  org/repo:\n  - name: in-jobs\n    spec: {containers: [{image: x}]}\n',
    });
    const r = loadConfig({
      configPath: tree.path('config.yaml'),
      jobConfigPath: tree.path('jobs'),
    });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.jobs.presubmits['org/repo']?.map((j) => [j.name, j.source_path])).toEqual([
      ['in-config', tree.path('config.yaml')],
      ['in-jobs', tree.path('jobs/a.yaml')],
    ]);
    expect(r.config.files).toEqual([tree.path('jobs/a.yaml')]);
    expect(r.config.prow).not.toHaveProperty('presubmits');
  });

  it('reports a bad YAML file with its name and line, along with errors in other files', () => {
    tree = tempTree({
      'config.yaml': 'plank:\n  pod_pending_timeout: [oops\n',
      'jobs/good.yaml': 'periodics: []\n',
      'jobs/bad.yml': 'periodics:\n- name: x\n  interval: 1h\n   spec: {}\n',
      'plugins.yaml': 'plugins: {org: {plugins: trigger}}\n',
    });
    const r = loadConfig({
      configPath: tree.path('config.yaml'),
      jobConfigPath: tree.path('jobs'),
      pluginConfigPath: tree.path('plugins.yaml'),
    });
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors.map(String);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(new RegExp(`^${tree.path('config.yaml')}:3:\\d+: invalid YAML`));
    expect(errors[1]).toMatch(new RegExp(`^${tree.path('jobs/bad.yml')}:3:\\d+: invalid YAML`));
    expect(errors[2]).toBe(
      `${tree.path('plugins.yaml')}:1:16: field plugins.org.plugins: must be array`,
    );
  });

  it('reports missing files instead of throwing', () => {
    const r = loadConfig({
      configPath: '/nonexistent/config.yaml',
      pluginConfigPath: '/nonexistent/plugins.yaml',
    });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.file)).toEqual([
      '/nonexistent/config.yaml',
      '/nonexistent/plugins.yaml',
    ]);
  });

  it('loads Prow defaults when given no paths', () => {
    const r = loadConfig({});
    expect(r.ok && r.config.prow.plank.pod_pending_timeout).toBe('10m');
    expect(r.ok && r.config.prow.plank.pod_pending_timeout_ms).toBe(600_000);
    expect(r.ok && r.config.jobs.periodics).toEqual([]);
  });

  it('surfaces plugins.yaml deprecations as warnings, not errors', () => {
    tree = tempTree({ 'plugins.yaml': 'plugins:\n  org: [trigger]\n' });
    const r = loadConfig({ pluginConfigPath: tree.path('plugins.yaml') });
    expect(r.ok && r.config.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('deprecated config style'),
    ]);
    expect(r.ok && r.config.plugins.plugins).toEqual({
      org: { plugins: ['trigger'], excluded_repos: [] },
    });
  });

  it('matches struct fields case-insensitively like encoding/json (NAME: sets name)', () => {
    tree = tempTree({
      'jobs.yaml':
        'periodics:\n- name: p\n  interval: 1h\n  spec: {containers: [{image: x, env: [{NAME: A, value: "1"}]}]}\n',
    });
    const r = loadConfig({ jobConfigPath: tree.path('jobs.yaml') });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.jobs.periodics[0]?.spec?.containers[0]?.env).toEqual([
      { name: 'A', value: '1' },
    ]);
  });

  it('coerces scalars written where strings are expected, as sigs.k8s.io/yaml does', () => {
    tree = tempTree({
      'jobs.yaml':
        'periodics:\n- name: p\n  interval: 1h\n  labels: {preset-x: true, m: 1}\n  spec: {containers: [{image: x, env: [{name: A, value: 0400}]}]}\n',
    });
    const r = loadConfig({ jobConfigPath: tree.path('jobs.yaml') });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.jobs.periodics[0]?.labels).toEqual({ 'preset-x': 'true', m: '1' });
    expect(r.config.jobs.periodics[0]?.spec?.containers[0]?.env?.[0]?.value).toBe('256');
  });

  const odd: { name: string; file: string; content: string }[] = [
    { name: 'a top-level list', file: 'jobs.yaml', content: '- a\n- b\n' },
    { name: 'a scalar document', file: 'jobs.yaml', content: 'just text\n' },
    { name: 'presubmits as a list', file: 'jobs.yaml', content: 'presubmits: [a]\n' },
    { name: 'a job that is a string', file: 'jobs.yaml', content: 'periodics: [job]\n' },
    {
      name: 'spec as a list',
      file: 'jobs.yaml',
      content: 'periodics:\n- name: p\n  interval: 1h\n  spec: [1]\n',
    },
    {
      name: 'null containers',
      file: 'jobs.yaml',
      content: 'periodics:\n- name: p\n  interval: 1h\n  spec: {containers: [~]}\n',
    },
    {
      name: 'binary and set tags',
      file: 'jobs.yaml',
      content: 'periodics:\n- name: !!binary aGk=\n  tags: !!set {a, b}\n',
    },
    {
      name: 'alias bomb',
      file: 'jobs.yaml',
      content:
        'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    },
    { name: 'binary garbage', file: 'jobs.yaml', content: '\u0000\u0001\u0002: [' },
    { name: 'config.yaml that is a list', file: 'config.yaml', content: '[1, 2]\n' },
  ];
  for (const tc of odd) {
    it(`never throws on ${tc.name}`, () => {
      tree = tempTree({ [tc.file]: tc.content });
      const paths =
        tc.file === 'config.yaml'
          ? { configPath: tree.path(tc.file) }
          : { jobConfigPath: tree.path(tc.file) };
      const r = loadConfig(paths);
      if (!r.ok) {
        expect(r.errors.length).toBeGreaterThan(0);
        for (const e of r.errors) {
          expect(e.file).toBe(tree.path(tc.file));
          expect(e.message).not.toContain('internal error');
        }
      }
    });
  }
});
