// Which jobs an event selects (pkg/config/jobs.go Presubmit.ShouldRun / Postsubmit.ShouldRun,
// Brancher, RegexpChangeMatcher) and what the selection fields put on the ProwJob, one row per
// field, through trigger's real handlers.
import { describe, expect, it } from 'vitest';
import {
  SPEC,
  commentEvent,
  jobNames,
  loadTestConfig,
  prEvent,
  pushEvent,
  useTriggerHarness,
  type TriggerHarness,
} from '../testing/test-support.js';

const SELECTION = `
presubmits:
  o/r:
  - name: always
    always_run: true
    ${SPEC}
  - name: if-go-changed
    run_if_changed: '\\.go$'
    ${SPEC}
  - name: unless-only-docs
    skip_if_only_changed: '^docs/'
    ${SPEC}
  - name: main-only
    always_run: true
    branches: [main]
    ${SPEC}
  - name: not-on-main
    always_run: true
    skip_branches: [^main$]
    ${SPEC}
  - name: optional-job
    always_run: true
    optional: true
    ${SPEC}
  - name: silent
    always_run: true
    skip_report: true
    context: ci/silent
    ${SPEC}
  - name: explicit
    ${SPEC}
postsubmits:
  o/r:
  - name: post-default
    ${SPEC}
  - name: post-main
    branches: [^main$]
    ${SPEC}
  - name: post-release-tags
    branches: ['^v\\d+\\.\\d+$']
    ${SPEC}
  - name: post-skip-main
    skip_branches: [^main$]
    ${SPEC}
  - name: post-go
    run_if_changed: '\\.go$'
    ${SPEC}
  - name: post-unless-docs
    skip_if_only_changed: '^docs/'
    ${SPEC}
  - name: post-never
    always_run: false
    ${SPEC}
  - name: post-silent
    skip_report: true
    branches: [^main$]
    ${SPEC}
`;

const cfg = loadTestConfig(SELECTION);
let h: TriggerHarness;
useTriggerHarness((x) => (h = x), cfg);

describe('presubmit selection on a PR update (/test all filter, Presubmit.ShouldRun)', () => {
  const always = ['always', 'main-only', 'optional-job', 'silent'];
  const cases: { name: string; files: string[]; base?: string; want: string[] }[] = [
    {
      name: 'always_run runs whatever changed; a job with no trigger field needs /test',
      files: ['README.md'],
      want: [...always, 'unless-only-docs'],
    },
    {
      name: 'run_if_changed runs when any changed file matches',
      files: ['README.md', 'cmd/main.go'],
      want: [...always, 'if-go-changed', 'unless-only-docs'],
    },
    {
      name: 'skip_if_only_changed skips when every changed file matches',
      files: ['docs/a.md', 'docs/b.md'],
      want: always,
    },
    {
      name: 'skip_if_only_changed runs when some file does not match',
      files: ['docs/a.md', 'Makefile'],
      want: [...always, 'unless-only-docs'],
    },
    {
      name: 'branches: unanchored regexes, so "main" also matches "maintenance"',
      files: ['README.md'],
      base: 'maintenance',
      want: ['always', 'main-only', 'not-on-main', 'optional-job', 'silent', 'unless-only-docs'],
    },
    {
      name: 'skip_branches: not on a skipped branch; branches: only on listed ones',
      files: ['README.md'],
      base: 'release-1.0',
      want: ['always', 'not-on-main', 'optional-job', 'silent', 'unless-only-docs'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      h.gh.files = tc.files;
      const ev = prEvent('opened');
      const jobs = await h.run(
        tc.base ? { ...ev, pull_request: { ...ev.pull_request!, base_ref: tc.base } } : ev,
      );
      expect(jobNames(jobs)).toEqual([...tc.want].sort());
    });
  }

  it('optional: labelled prow.k8s.io/is-optional=true and skipped by /retest-required', async () => {
    const jobs = await h.run(prEvent('opened'));
    const labels = Object.fromEntries(
      jobs.map((j) => [j.spec.job, j.metadata.labels?.['prow.k8s.io/is-optional']]),
    );
    expect(labels).toMatchObject({ 'optional-job': 'true', always: 'false' });
    for (const ctx of ['main-only', 'ci/silent', 'if-go-changed', 'unless-only-docs'])
      h.gh.statuses.set(ctx, 'success');
    h.gh.statuses.set('optional-job', 'failure');
    h.gh.statuses.set('always', 'failure');
    expect(jobNames(await h.run(commentEvent('/retest-required')))).toEqual(['always']);
  });

  it('skip_report: the ProwJob has report: false (no status, no comment); context is kept', async () => {
    const silent = (await h.run(prEvent('opened'))).find((j) => j.spec.job === 'silent');
    expect(silent?.spec).toMatchObject({ report: false, context: 'ci/silent' });
  });

  it('an explicit /test ignores run_if_changed and skip_if_only_changed but not branches', async () => {
    h.gh.files = ['docs/only.md'];
    expect(
      jobNames(
        await h.run(commentEvent('/test if-go-changed\n/test unless-only-docs\n/test not-on-main')),
      ),
    ).toEqual(['if-go-changed', 'unless-only-docs']);
  });
});

describe('postsubmit selection on a push (push.go, Postsubmit.ShouldRun)', () => {
  const cases: { name: string; ref: string; files?: Record<string, string[]>[]; want: string[] }[] =
    [
      {
        name: 'postsubmits run by default; branches, change filters and always_run: false narrow that',
        ref: 'refs/heads/main',
        want: ['post-default', 'post-go', 'post-main', 'post-silent', 'post-unless-docs'],
      },
      {
        name: 'skip_branches: not on a skipped branch',
        ref: 'refs/heads/dev',
        want: ['post-default', 'post-go', 'post-skip-main', 'post-unless-docs'],
      },
      {
        name: 'tags trigger postsubmits too (branch = tag name)',
        ref: 'refs/tags/v1.2',
        want: [
          'post-default',
          'post-go',
          'post-release-tags',
          'post-skip-main',
          'post-unless-docs',
        ],
      },
      {
        name: 'run_if_changed: the union of added, removed and modified files of every commit',
        ref: 'refs/heads/dev',
        files: [{ added: ['docs/x.md'] }, { removed: ['pkg/old.go'] }],
        want: ['post-default', 'post-go', 'post-skip-main', 'post-unless-docs'],
      },
      {
        name: 'skip_if_only_changed: every changed file matches, so skipped',
        ref: 'refs/heads/dev',
        files: [{ modified: ['docs/a.md'] }, { added: ['docs/b.md'] }],
        want: ['post-default', 'post-skip-main'],
      },
    ];
  for (const tc of cases) {
    it(tc.name, async () => {
      expect(jobNames(await h.run(pushEvent(tc.ref, {}, tc.files)))).toEqual([...tc.want].sort());
    });
  }

  it('skip_report on a postsubmit: report: false', async () => {
    const silent = (await h.run(pushEvent('refs/heads/main'))).find(
      (j) => j.spec.job === 'post-silent',
    );
    expect(silent?.spec.report).toBe(false);
  });
});
