import { afterEach, describe, expect, it } from 'vitest';
import { readJobConfig } from './load-jobs.js';
import { parsePattern, ProwIgnore } from './prowignore.js';
import { tempTree, type TempTree } from '../testing/test-support.js';

const job = (repo: string, name: string) => `presubmits:
  org/${repo}:
  - name: ${name}
    spec:
      containers:
      - image: my-image:latest
        command: ["do-the-thing"]`;

// Prow's TestReadJobConfigProwIgnore (pkg/config/config_test.go), case for case.
const common = {
  'foo_jobs.yaml': job('foo', 'foo_1'),
  'bar_jobs.yaml': job('bar', 'bar_1'),
  'subdir/baz_jobs.yaml': job('baz', 'baz_1'),
  'extraneous.md': 'I am unrelated.',
};

describe('.prowignore (Prow TestReadJobConfigProwIgnore)', () => {
  const cases: { name: string; files: Record<string, string>; expected: string[] }[] = [
    { name: 'no ignore files', files: {}, expected: ['bar_1', 'baz_1', 'foo_1'] },
    { name: 'ignore file present, all ignored', files: { '.prowignore': '*.yaml' }, expected: [] },
    {
      name: 'ignore file present, no match',
      files: { '.prowignore': '*_ignored.yaml' },
      expected: ['bar_1', 'baz_1', 'foo_1'],
    },
    {
      name: 'ignore file present, matches bar file',
      files: { '.prowignore': 'bar_*.yaml' },
      expected: ['baz_1', 'foo_1'],
    },
    {
      name: 'ignore file present, matches subdir',
      files: { '.prowignore': 'subdir/' },
      expected: ['bar_1', 'foo_1'],
    },
    {
      name: 'ignore file present, matches bar and subdir',
      files: { '.prowignore': 'subdir/\nbar_jobs.yaml' },
      expected: ['foo_1'],
    },
    {
      name: 'ignore file in subdir, matches only subdir files',
      files: { 'subdir/.prowignore': '*.yaml' },
      expected: ['bar_1', 'foo_1'],
    },
    {
      name: 'ignore file in root and subdir, matches bar and subdir',
      files: { 'subdir/.prowignore': '*.yaml', '.prowignore': 'bar_jobs.yaml' },
      expected: ['foo_1'],
    },
    {
      name: 'negation in a deeper file re-includes',
      files: { '.prowignore': '*.yaml', 'subdir/.prowignore': '!baz_jobs.yaml' },
      expected: ['baz_1'],
    },
    {
      name: 'comments and blank lines',
      files: { '.prowignore': '# bar_jobs.yaml\n\nfoo_jobs.yaml\n' },
      expected: ['bar_1', 'baz_1'],
    },
    {
      name: 'anchored pattern only matches at its own level',
      files: { '.prowignore': '/baz_jobs.yaml' },
      expected: ['bar_1', 'baz_1', 'foo_1'],
    },
    {
      name: 'path pattern',
      files: { '.prowignore': 'subdir/baz_*.yaml' },
      expected: ['bar_1', 'foo_1'],
    },
    {
      name: 'double star',
      files: { '.prowignore': '**/baz_jobs.yaml' },
      expected: ['bar_1', 'foo_1'],
    },
  ];
  let tree: TempTree | undefined;
  afterEach(() => tree?.remove());

  for (const tc of cases) {
    it(tc.name, () => {
      tree = tempTree({ ...common, ...tc.files });
      const r = readJobConfig(tree.dir);
      expect(r.errors.map(String)).toEqual([]);
      const names = Object.values(r.config.presubmits)
        .flat()
        .map((j) => j.name)
        .sort();
      expect(names).toEqual(tc.expected);
    });
  }

  it('reports ignored files and the deciding pattern', () => {
    tree = tempTree({ ...common, 'subdir/.prowignore': 'baz_jobs.yaml' });
    const r = readJobConfig(tree.dir);
    expect(r.ignored).toEqual([tree.path('subdir/baz_jobs.yaml')]);
    const m = new ProwIgnore(tree.dir).match('subdir/baz_jobs.yaml', false);
    expect(m).toMatchObject({
      ignored: true,
      pattern: 'baz_jobs.yaml',
      file: tree.path('subdir/.prowignore'),
    });
  });
});

describe('gitignore patterns', () => {
  const cases: { name: string; pattern: string; path: string; isDir?: boolean; match: boolean }[] =
    [
      {
        name: 'name pattern matches basename at any depth',
        pattern: '*.yaml',
        path: 'a/b/c.yaml',
        match: true,
      },
      {
        name: 'star does not cross slash in path patterns',
        pattern: 'a/*.yaml',
        path: 'a/b/c.yaml',
        match: false,
      },
      { name: 'question mark', pattern: 'jobs-?.yaml', path: 'jobs-1.yaml', match: true },
      { name: 'character class', pattern: 'jobs-[0-9].yaml', path: 'jobs-x.yaml', match: false },
      { name: 'negated class', pattern: 'jobs-[!0-9].yaml', path: 'jobs-x.yaml', match: true },
      {
        name: 'directory-only pattern does not match files',
        pattern: 'build/',
        path: 'build',
        isDir: false,
        match: false,
      },
      {
        name: 'directory-only pattern matches dirs',
        pattern: 'build/',
        path: 'build',
        isDir: true,
        match: true,
      },
      { name: 'escaped wildcard is literal', pattern: 'a\\*.yaml', path: 'ab.yaml', match: false },
    ];
  for (const tc of cases) {
    it(tc.name, () => {
      const p = parsePattern(tc.pattern);
      expect(p).toBeDefined();
      const matched = (p?.match(tc.path) ?? false) && (!p?.directoryOnly || (tc.isDir ?? false));
      expect(matched).toBe(tc.match);
    });
  }
});
