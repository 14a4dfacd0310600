// The set algebra checkconfig's tide and plugin warnings rest on, against Prow's own tables
// (cmd/checkconfig/main_test.go TestOrgRepoDifference, TestOrgRepoIntersection, TestOrgRepoUnion):
// each set written as {org: excluded repos} plus single repos.
import { describe, expect, it } from 'vitest';
import { OrgRepoSet, pluginSet } from './org-repo-set.js';

type S = [Record<string, string[]>, string[]];
const set = ([orgs, repos]: S) =>
  new OrgRepoSet(new Map(Object.entries(orgs).map(([o, e]) => [o, new Set(e)])), new Set(repos));
const plain = (s: OrgRepoSet): S => [
  Object.fromEntries([...s.orgExceptions].map(([o, e]) => [o, [...e].sort()])),
  [...s.repos].sort(),
];
const base: S = [{ org: ['org/repo'] }, ['4/1', '4/2']];

const difference: [string, S, S, S][] = [
  ['subtract nil', base, [{}, []], base],
  ['no overlap', base, [{ 2: [] }, ['3/1']], base],
  ['subtract self', base, base, [{}, []]],
  ['subtract superset', base, [{ org: ['org/repo'], org2: [] }, ['4/1', '4/2', '5/1']], [{}, []]],
  [
    'remove org with org',
    [{ org: ['org/repo', 'org/foo'] }, ['4/1', '4/2']],
    [{ org: ['org/foo'], 2: [] }, ['3/1']],
    [{}, ['4/1', '4/2']],
  ],
  [
    'shrink org with org',
    base,
    [{ org: ['org/repo', 'org/foo'], 2: [] }, ['3/1']],
    [{}, ['4/1', '4/2', 'org/foo']],
  ],
  [
    'shrink org with repo',
    base,
    [{ 2: [] }, ['org/foo', '3/1']],
    [{ org: ['org/foo', 'org/repo'] }, ['4/1', '4/2']],
  ],
  [
    'remove repo with org',
    [{ org: ['org/repo'] }, ['4/1', '4/2', '4/3', '5/1']],
    [{ 2: [], 4: ['4/2'] }, ['3/1']],
    [{ org: ['org/repo'] }, ['4/2', '5/1']],
  ],
  [
    'remove repo with repo',
    [{ org: ['org/repo'] }, ['4/1', '4/2', '4/3', '5/1']],
    [{ 2: [] }, ['3/1', '4/2', '4/3']],
    [{ org: ['org/repo'] }, ['4/1', '5/1']],
  ],
];

const intersection: [string, S, S, S][] = [
  ['intersect empty', base, [{}, []], [{}, []]],
  ['no overlap', base, [{ 2: [] }, ['3/1']], [{}, []]],
  ['intersect self', base, base, base],
  ['intersect superset', base, [{ org: ['org/repo'], org2: [] }, ['4/1', '4/2', '5/1']], base],
  [
    'remove org',
    [{ org: ['org/repo', 'org/foo'] }, ['4/1', '4/2']],
    [{ org2: ['org2/repo1'] }, ['4/1', '4/2', '5/1']],
    [{}, ['4/1', '4/2']],
  ],
  [
    'shrink org with org',
    [{ org: ['org/repo', 'org/bar'] }, ['4/1', '4/2']],
    [{ org: ['org/repo', 'org/foo'], 2: [] }, ['3/1']],
    [{ org: ['org/bar', 'org/foo', 'org/repo'] }, []],
  ],
  [
    'shrink org with repo',
    base,
    [{ 2: [] }, ['org/repo', 'org/foo', '3/1', '4/1']],
    [{}, ['4/1', 'org/foo']],
  ],
  [
    'remove repo with org',
    [{ org: ['org/repo'] }, ['4/1', '4/2', '4/3', '5/1']],
    [{ 2: [], 4: ['4/2'] }, ['3/1']],
    [{}, ['4/1', '4/3']],
  ],
  [
    'remove repo with repo',
    [{ org: ['org/repo'] }, ['4/1', '4/2', '4/3', '5/1']],
    [{ 2: [] }, ['3/1', '4/2', '4/3']],
    [{}, ['4/2', '4/3']],
  ],
];

const union: [string, S, S, S][] = [
  ['second set empty, get first set back', base, [{}, []], base],
  [
    'no overlap, simple union',
    base,
    [{ 2: [] }, ['3/1']],
    [{ org: ['org/repo'], 2: [] }, ['3/1', '4/1', '4/2']],
  ],
  [
    'union superset, get superset back',
    base,
    [{ org: ['org/repo'], org2: [] }, ['4/1', '4/2', '5/1']],
    [{ org: ['org/repo'], org2: [] }, ['4/1', '4/2', '5/1']],
  ],
  [
    'keep only common denied items for an org',
    [{ org: ['org/repo', 'org/bar'] }, []],
    [{ org: ['org/repo', 'org/foo'] }, []],
    [{ org: ['org/repo'] }, []],
  ],
  [
    "remove items from an org denylist if they're in a repo allowlist",
    [{ org: ['org/repo'] }, []],
    [{}, ['org/repo']],
    [{ org: [] }, []],
  ],
  [
    "remove repos when they're covered by an org allowlist",
    [{}, ['4/1', '4/2', '4/3']],
    [{ 4: ['4/2'] }, []],
    [{ 4: [] }, []],
  ],
];

describe('OrgRepoSet (Prow’s orgRepoConfig)', () => {
  for (const [name, a, b, want] of difference) {
    it(`TestOrgRepoDifference/${name}`, () =>
      expect(plain(set(a).difference(set(b)))).toEqual(want));
  }
  for (const [name, a, b, want] of intersection) {
    it(`TestOrgRepoIntersection/${name}`, () =>
      expect(plain(set(a).intersection(set(b)))).toEqual(want));
  }
  for (const [name, a, b, want] of union) {
    it(`TestOrgRepoUnion/${name}`, () => expect(plain(set(a).union(set(b)))).toEqual(want));
  }
  it('items() words a set as Prow prints it', () => {
    expect(set([{ org: ['org/b', 'org/a'] }, ['x/y']]).items()).toEqual([
      "org: org without repo(s) org/a, org/b 'org/a' 'org/b'",
      'repo: x/y',
    ]);
  });
  it('TestEnabledReposForPlugin (pkg/plugins): org exclusions, and a repo entry lifts its exclusion', () => {
    const plugins = {
      plugins: {
        orgA: { plugins: ['pluginCommon', 'pluginNotForRepoB'], excluded_repos: ['repoB'] },
        'orgA/repoB': { plugins: ['pluginCommon', 'pluginOnlyForRepoB'], excluded_repos: [] },
      },
      external_plugins: {},
    };
    expect(plain(pluginSet(plugins, 'pluginCommon'))).toEqual([{ orgA: [] }, ['orgA/repoB']]);
    expect(plain(pluginSet(plugins, 'pluginNotForRepoB'))).toEqual([{ orgA: ['orgA/repoB'] }, []]);
    expect(plain(pluginSet(plugins, 'pluginOnlyForRepoB'))).toEqual([{}, ['orgA/repoB']]);
  });
});
