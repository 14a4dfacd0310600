import { afterEach, describe, expect, it } from 'vitest';
import { readJobConfig } from './load-jobs.js';
import { tempTree, type TempTree } from '../testing/test-support.js';

const periodic = (name: string) => `periodics:
- name: ${name}
  interval: 1h
  spec:
    containers:
    - image: alpine
`;

describe('readJobConfig', () => {
  let tree: TempTree | undefined;
  afterEach(() => tree?.remove());

  it('rejects duplicate base names across the tree (Prow: "duplicated basename is not allowed")', () => {
    tree = tempTree({ 'a/jobs.yaml': periodic('a'), 'b/jobs.yaml': periodic('b') });
    const r = readJobConfig(tree.dir);
    expect(r.errors.map(String)).toEqual([
      `${tree.path('b/jobs.yaml')}: duplicated basename is not allowed: jobs.yaml (first seen at ${tree.path('a/jobs.yaml')})`,
    ]);
  });

  it('counts a .yaml and a .yml with the same stem as different base names', () => {
    tree = tempTree({ 'a/jobs.yaml': periodic('a'), 'b/jobs.yml': periodic('b') });
    const r = readJobConfig(tree.dir);
    expect(r.errors).toEqual([]);
    expect(r.config.periodics.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('reads only .yaml/.yml files, in lexical walk order, and records source_path', () => {
    tree = tempTree({
      'z.yaml': periodic('z'),
      'a/m.yml': periodic('m'),
      'a/b.yaml': periodic('b'),
      'README.md': 'not config',
      'x.json': '{}',
    });
    const r = readJobConfig(tree.dir);
    expect(r.files).toEqual([tree.path('a/b.yaml'), tree.path('a/m.yml'), tree.path('z.yaml')]);
    expect(r.config.periodics.map((p) => [p.name, p.source_path])).toEqual([
      ['b', tree.path('a/b.yaml')],
      ['m', tree.path('a/m.yml')],
      ['z', tree.path('z.yaml')],
    ]);
  });

  it('skips names starting with ".." (Kubernetes ConfigMap mounts)', () => {
    tree = tempTree({
      '..data/jobs.yaml': periodic('hidden'),
      '..jobs.yaml': periodic('hidden2'),
      'jobs.yaml': periodic('seen'),
    });
    const r = readJobConfig(tree.dir);
    expect(r.errors).toEqual([]);
    expect(r.config.periodics.map((p) => p.name)).toEqual(['seen']);
  });

  it('ignores the top-level prow_ignored key but loads the rest of the file', () => {
    tree = tempTree({
      'jobs.yaml': `prow_ignored:\n  anything: [goes, here]\n${periodic('kept')}`,
    });
    const r = readJobConfig(tree.dir);
    expect(r.errors).toEqual([]);
    expect(r.config.periodics.map((p) => p.name)).toEqual(['kept']);
  });

  it('loads an empty file as no jobs', () => {
    tree = tempTree({ 'empty.yaml': '# nothing here\n' });
    const r = readJobConfig(tree.dir);
    expect(r.errors).toEqual([]);
    expect(r.files).toHaveLength(1);
  });

  it('accepts a single file as the job config path', () => {
    tree = tempTree({ 'only.yaml': periodic('only') });
    const r = readJobConfig(tree.path('only.yaml'));
    expect(r.config.periodics.map((p) => p.name)).toEqual(['only']);
  });

  it('merges presubmits for the same repo from several files', () => {
    const pre = (name: string) =>
      `presubmits:\n  org/repo:\n  - name: ${name}\n    spec: {containers: [{image: alpine}]}\n`;
    tree = tempTree({ 'a.yaml': pre('one'), 'b.yaml': pre('two') });
    const r = readJobConfig(tree.dir);
    expect(r.config.presubmits['org/repo']?.map((j) => j.name)).toEqual(['one', 'two']);
  });

  it('reports a missing path instead of throwing', () => {
    const r = readJobConfig('/nonexistent/jetprow/jobs');
    expect(r.errors).toHaveLength(1);
    expect(String(r.errors[0])).toContain('/nonexistent/jetprow/jobs: cannot read job config');
  });
});
