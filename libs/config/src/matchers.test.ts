import { describe, expect, it } from 'vitest';
import {
  branchesIntersect,
  defaultRerunCommandFor,
  defaultTriggerFor,
  needsExplicitTrigger,
  postsubmitShouldRun,
  presubmitShouldRun,
  runsAgainstBranch,
  shouldRunForChanges,
  triggerMatches,
} from './matchers.js';

describe('runsAgainstBranch (Prow Brancher.ShouldRun)', () => {
  const cases: {
    name: string;
    branches?: string[];
    skip?: string[];
    branch: string;
    want: boolean;
  }[] = [
    { name: 'no lists: every branch', branch: 'anything', want: true },
    { name: 'exact branch', branches: ['main'], branch: 'main', want: true },
    { name: 'other branch', branches: ['main'], branch: 'release-1.0', want: false },
    {
      name: 'unanchored: main matches maintenance',
      branches: ['main'],
      branch: 'maintenance',
      want: true,
    },
    { name: 'anchored pattern', branches: ['^main$'], branch: 'maintenance', want: false },
    {
      name: 'regex list joined with |',
      branches: ['^main$', '^release-\\d+\\.\\d+$'],
      branch: 'release-1.31',
      want: true,
    },
    { name: 'skip_branches excludes', skip: ['^release-'], branch: 'release-1.0', want: false },
    { name: 'skip_branches lets others run', skip: ['^release-'], branch: 'main', want: true },
    {
      name: 'skip wins over branches',
      branches: ['.*'],
      skip: ['^main$'],
      branch: 'main',
      want: false,
    },
    { name: 'RE2 syntax (?i)', branches: ['(?i)^MAIN$'], branch: 'main', want: true },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(runsAgainstBranch({ branches: tc.branches, skip_branches: tc.skip }, tc.branch)).toBe(
        tc.want,
      );
    });
  }
});

describe('branchesIntersect (Prow Brancher.Intersects / TestBrancher_Intersects)', () => {
  const cases: {
    name: string;
    a: { branches?: string[]; skip_branches?: string[] };
    b: { branches?: string[]; skip_branches?: string[] };
    want: boolean;
  }[] = [
    { name: 'TwodifferentBranches', a: { branches: ['a'] }, b: { branches: ['b'] }, want: false },
    { name: 'Opposite', a: { skip_branches: ['b'] }, b: { branches: ['b'] }, want: false },
    { name: 'BothRunOnAllBranches', a: {}, b: {}, want: true },
    { name: 'RunsOnAllBranchesAndSpecified', a: {}, b: { branches: ['b'] }, want: true },
    {
      name: 'SkipBranchesAndSet',
      a: { skip_branches: ['a', 'b', 'c'] },
      b: { branches: ['a'] },
      want: false,
    },
    {
      name: 'SkipBranchesAndSet (disjoint sets)',
      a: { branches: ['c'] },
      b: { branches: ['a'] },
      want: false,
    },
    {
      name: 'BothSkipBranches',
      a: { skip_branches: ['a', 'b', 'c'] },
      b: { skip_branches: ['d', 'e', 'f'] },
      want: true,
    },
    {
      name: 'BothSkipCommonBranches',
      a: { skip_branches: ['a', 'b', 'c'] },
      b: { skip_branches: ['b', 'e', 'f'] },
      want: true,
    },
    {
      name: 'NoIntersectionBecauseRegexSkip',
      a: { skip_branches: ['release-\\d+\\.\\d+'] },
      b: { branches: ['release-1.14', 'release-1.13'] },
      want: false,
    },
    {
      name: 'IntersectionDespiteRegexSkip',
      a: { skip_branches: ['release-\\d+\\.\\d+'] },
      b: { branches: ['release-1.14', 'master'] },
      want: true,
    },
    // Not in Prow's table, but what its code does: two branch lists are compared as strings.
    {
      name: 'regexes are compared as strings between two branch lists',
      a: { branches: ['^main$'] },
      b: { branches: ['main'] },
      want: false,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(branchesIntersect(tc.a, tc.b)).toBe(tc.want);
      expect(branchesIntersect(tc.b, tc.a)).toBe(tc.want);
    });
  }
});

describe('triggerMatches (default trigger (?m)^/test( | .* )<name>,?($|\\s.*))', () => {
  const job = (name: string) => ({
    name,
    trigger: defaultTriggerFor(name),
    rerun_command: defaultRerunCommandFor(name),
  });
  const cases: { name: string; job: string; body: string; want: boolean }[] = [
    { name: '/test <name>', job: 'pull-foo', body: '/test pull-foo', want: true },
    { name: 'several targets', job: 'pull-foo', body: '/test pull-bar pull-foo', want: true },
    { name: 'comma separated', job: 'pull-foo', body: '/test pull-foo, pull-bar', want: true },
    { name: 'on a later line', job: 'pull-foo', body: 'LGTM\n/test pull-foo\nthanks', want: true },
    { name: 'trailing text', job: 'pull-foo', body: '/test pull-foo please', want: true },
    {
      name: 'prefix of a longer name does not match',
      job: 'pull-foo',
      body: '/test pull-foo-bar',
      want: false,
    },
    { name: 'suffix of the name does not match', job: 'pull-foo', body: '/test foo', want: false },
    { name: 'not at line start', job: 'pull-foo', body: 'please /test pull-foo', want: false },
    { name: '/retest is not /test', job: 'pull-foo', body: '/retest', want: false },
    {
      name: '/test all does not match an ordinary job',
      job: 'pull-foo',
      body: '/test all',
      want: false,
    },
    // Prow does not special-case the name: a job literally named "all" is matched by `/test all`
    // (in addition to `/test all` running every automatic job).
    {
      name: '/test all matches a job named all, as in Prow',
      job: 'all',
      body: '/test all',
      want: true,
    },
    // The name is not escaped (Prow inserts it raw), so `.` matches any character.
    {
      name: 'dots in the name are regex wildcards, as in Prow',
      job: 'pull-a.b',
      body: '/test pull-aXb',
      want: true,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(triggerMatches(job(tc.job), tc.body)).toBe(tc.want));
  }

  it('a custom trigger is used as is', () => {
    const j = { trigger: '(?m)^/test (e2e|all)$', rerun_command: '/test e2e' };
    expect(triggerMatches(j, '/test e2e')).toBe(true);
    expect(triggerMatches(j, '/test e2e-foo')).toBe(false);
  });

  it('an empty trigger never matches', () =>
    expect(triggerMatches({ trigger: '' }, '/test x')).toBe(false));
});

describe('changed-file rules (Prow RegexpChangeMatcher.RunsAgainstChanges)', () => {
  const cases: {
    name: string;
    job: { run_if_changed?: string; skip_if_only_changed?: string };
    files: string[];
    want: boolean;
  }[] = [
    {
      name: 'run_if_changed: one file matches',
      job: { run_if_changed: '^pkg/' },
      files: ['docs/a.md', 'pkg/a.go'],
      want: true,
    },
    {
      name: 'run_if_changed: nothing matches',
      job: { run_if_changed: '^pkg/' },
      files: ['docs/a.md'],
      want: false,
    },
    {
      name: 'run_if_changed: unanchored',
      job: { run_if_changed: 'a\\.go' },
      files: ['pkg/a.go'],
      want: true,
    },
    {
      name: 'skip_if_only_changed: all match, skip',
      job: { skip_if_only_changed: '\\.md$' },
      files: ['a.md', 'b/c.md'],
      want: false,
    },
    {
      name: 'skip_if_only_changed: one does not match, run',
      job: { skip_if_only_changed: '\\.md$' },
      files: ['a.md', 'main.go'],
      want: true,
    },
    {
      name: 'skip_if_only_changed: no files, skip',
      job: { skip_if_only_changed: '\\.md$' },
      files: [],
      want: false,
    },
    { name: 'neither set', job: {}, files: ['x'], want: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(shouldRunForChanges(tc.job, tc.files)).toBe(tc.want));
  }
});

describe('Presubmit/Postsubmit ShouldRun', () => {
  const files = ['docs/readme.md'];
  const cases: {
    name: string;
    job: object;
    branch?: string;
    forced?: boolean;
    defaults?: boolean;
    want: boolean;
  }[] = [
    { name: 'always_run', job: { always_run: true }, want: true },
    {
      name: 'branch filter first',
      job: { always_run: true, branches: ['^main$'] },
      branch: 'dev',
      want: false,
    },
    {
      name: 'forced (/test foo) ignores run_if_changed',
      job: { always_run: false, run_if_changed: '^pkg/' },
      forced: true,
      want: true,
    },
    {
      name: 'run_if_changed not matching',
      job: { always_run: false, run_if_changed: '^pkg/' },
      want: false,
    },
    {
      name: 'run_if_changed matching',
      job: { always_run: false, run_if_changed: '^docs/' },
      want: true,
    },
    {
      name: 'explicit trigger only: defaults decide',
      job: { always_run: false },
      defaults: true,
      want: true,
    },
  ];
  for (const tc of cases) {
    it(`presubmit: ${tc.name}`, async () => {
      const job = tc.job as { always_run: boolean };
      expect(
        await presubmitShouldRun(
          job,
          tc.branch ?? 'main',
          () => files,
          tc.forced ?? false,
          tc.defaults ?? false,
        ),
      ).toBe(tc.want);
    });
  }

  const post: { name: string; job: object; want: boolean }[] = [
    { name: 'runs by default', job: {}, want: true },
    { name: 'always_run: false', job: { always_run: false }, want: false },
    {
      name: 'run_if_changed decides over always_run',
      job: { always_run: false, run_if_changed: '^docs/' },
      want: true,
    },
    { name: 'run_if_changed not matching', job: { run_if_changed: '^pkg/' }, want: false },
  ];
  for (const tc of post) {
    it(`postsubmit: ${tc.name}`, async () =>
      expect(await postsubmitShouldRun(tc.job, 'main', () => files)).toBe(tc.want));
  }

  it('needsExplicitTrigger', () => {
    expect(needsExplicitTrigger({ always_run: false })).toBe(true);
    expect(needsExplicitTrigger({ always_run: true })).toBe(false);
    expect(needsExplicitTrigger({ run_if_changed: 'x' })).toBe(false);
    expect(needsExplicitTrigger({ skip_if_only_changed: 'x' })).toBe(false);
  });
});
