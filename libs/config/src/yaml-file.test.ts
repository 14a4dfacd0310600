import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readYaml } from './yaml-file.js';
import { tempTree, type TempTree } from '../testing/test-support.js';

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

describe('readYaml (sigs.k8s.io/yaml over go-yaml v2)', () => {
  it('names the file, line and column of a syntax error', () => {
    tree = tempTree({
      'bad.yaml': 'presubmits:\n  org/repo:\n  - name: a\n    branches: [main\n  - name: b\n',
    });
    const r = readYaml(tree.path('bad.yaml'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.file).toBe(tree.path('bad.yaml'));
    expect(r.error.line).toBe(5);
    expect(String(r.error)).toMatch(new RegExp(`^${tree.path('bad.yaml')}:5:\\d+: invalid YAML: `));
  });

  const scalars: { name: string; yaml: string; want: unknown }[] = [
    { name: 'YAML 1.1 octal (defaultMode: 0400)', yaml: 'v: 0400', want: 256 },
    {
      name: 'YAML 1.1 booleans',
      yaml: 'v: [yes, no, on, off, y, n]',
      want: [true, false, true, false, true, false],
    },
    { name: 'timestamps stay strings', yaml: 'v: 2024-01-02', want: '2024-01-02' },
    { name: 'sexagesimal stays a string', yaml: 'v: 1:30', want: '1:30' },
    { name: 'duplicate keys: last wins', yaml: 'v: 1\nv: 2', want: 2 },
    { name: 'merge keys', yaml: 'base: &b {x: 1}\nv: {<<: *b, z: 2}', want: { x: 1, z: 2 } },
    {
      name: 'YAML 1.1 boolean keys become "true" (as go-yaml v2)',
      yaml: 'v: {y: 1}',
      want: { true: 1 },
    },
    { name: 'only the first document', yaml: 'v: first\n---\nv: second', want: 'first' },
  ];
  for (const tc of scalars) {
    it(tc.name, () => {
      tree = tempTree({ 'f.yaml': tc.yaml });
      const r = readYaml(tree.path('f.yaml'));
      expect(r.ok && (r.value as { v: unknown }).v).toEqual(tc.want);
    });
  }

  it('reads gzipped files (ReadFileMaybeGZIP)', () => {
    tree = tempTree();
    const file = tree.path('z.yaml');
    tree.write('z.yaml', '');
    writeFileSync(file, gzipSync('v: 1\n'));
    const r = readYaml(file);
    expect(r.ok && r.value).toEqual({ v: 1 });
  });

  it('reports an unreadable file', () => {
    const r = readYaml('/nonexistent/x.yaml');
    expect(!r.ok && String(r.error)).toContain('/nonexistent/x.yaml: cannot read: ENOENT');
  });
});
