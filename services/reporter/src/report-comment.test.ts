// Prow's own tables for the failure comment (pkg/github/report/report_test.go:
// TestParseIssueComment, TestCreateComment, TestReportComment), createEntry's Required column,
// crier's summary mode (pjsToReport), plank.report_templates and the comment mode of a repo.
import { describe, expect, it } from 'vitest';
import { silentLog, type Log } from '@jetprow/bus';
import { Labels, type ProwJob, type ProwJobState, type ProwJobType } from '@jetprow/schemas';
import type { IssueComment } from './github.js';
import {
  ABOUT_THIS_BOT,
  COMMENT_TAG,
  commentMode,
  createComment,
  createEntry,
  latestPerContext,
  parseIssueComments,
  planReportComment,
  renderReportTemplate,
  reportTemplateFor,
  summaryJobs,
  type CommentMode,
  type CommentPlan,
  type PlanInput,
} from './report-comment.js';
import type { ReporterConfig } from './runtime.js';
import { postsubmitJob, presubmitJob, reporterConfig, setState } from '../testing/fixtures.js';

describe('the failure comment', () => {
  const BOT = 'k8s-ci-robot';
  const isBot = (login: string) => login === BOT;

  /** A presubmit like Prow's test case: context, state, is-optional label. */
  function job(
    context: string,
    state: 'failure' | 'success' | 'error' | 'aborted',
    optional = false,
  ): ProwJob {
    const pj = presubmitJob(`pj-${context}`, { context });
    setState(pj, state);
    pj.metadata.labels = { ...pj.metadata.labels, [Labels.isOptional]: String(optional) };
    return pj;
  }
  const bot = (id: number, body: string): IssueComment => ({ id, user: BOT, body });
  /** The bot's report comment with a row for `bla test` and one for `foo test`. */
  const BLA_AND_FOO = bot(
    123,
    `--- | --- | ---\nbla test | something | or other\nfoo test | wow | aye\n\n${COMMENT_TAG}`,
  );

  describe('parseIssueComments (Prow TestParseIssueComment)', () => {
    const cases: {
      name: string;
      context: string;
      state: 'failure' | 'success' | 'error' | 'aborted';
      optional?: boolean;
      ics?: IssueComment[];
      deletes: number[];
      /** Each expected row starts with this (Prow checks with strings.Contains). */
      entries: string[];
      update: number;
    }[] = [
      {
        name: 'should create a new comment',
        context: 'bla test',
        state: 'failure',
        deletes: [],
        entries: ['bla test | '],
        update: 0,
      },
      {
        name: 'should create a new optional comment',
        context: 'bla test',
        state: 'failure',
        optional: true,
        deletes: [],
        entries: ['bla test | '],
        update: 0,
      },
      {
        name: 'should not delete an up-to-date comment',
        context: 'bla test',
        state: 'success',
        ics: [bot(0, '--- | --- | ---\nfoo test | something | or other\n\n')],
        deletes: [],
        entries: [],
        update: 0,
      },
      {
        name: 'should delete when all tests pass',
        context: 'bla test',
        state: 'success',
        ics: [bot(123, `--- | --- | ---\nbla test | something | or other\n\n${COMMENT_TAG}`)],
        deletes: [123],
        entries: [],
        update: 0,
      },
      {
        name: 'should delete a passing test with \\r',
        context: 'bla test',
        state: 'success',
        ics: [bot(123, `--- | --- | ---\r\nbla test | something | or other\r\n\r\n${COMMENT_TAG}`)],
        deletes: [123],
        entries: [],
        update: 0,
      },
      {
        name: 'should update a failed test',
        context: 'bla test',
        state: 'failure',
        ics: [bot(123, `--- | --- | ---\nbla test | something | or other\n\n${COMMENT_TAG}`)],
        deletes: [123],
        entries: ['bla test | '],
        update: 0,
      },
      {
        name: 'should preserve old results when updating',
        context: 'bla test',
        state: 'failure',
        ics: [BLA_AND_FOO],
        deletes: [123],
        entries: ['foo test | wow | aye', 'bla test | '],
        update: 0,
      },
      {
        name: 'should merge duplicates',
        context: 'bla test',
        state: 'failure',
        ics: [
          bot(
            123,
            `--- | --- | ---\nbla test | something | or other\nfoo test | wow such\n\n${COMMENT_TAG}`,
          ),
          bot(124, `--- | --- | ---\nfoo test | beep | boop\n\n${COMMENT_TAG}`),
        ],
        deletes: [123, 124],
        entries: ['foo test | beep | boop', 'bla test | '],
        update: 0,
      },
      {
        name: 'should update an old comment when a test passes',
        context: 'bla test',
        state: 'success',
        ics: [BLA_AND_FOO],
        deletes: [],
        entries: ['foo test | wow | aye'],
        update: 123,
      },
      {
        name: 'an error only clears the old row of its context (no row of its own)',
        context: 'bla test',
        state: 'error',
        ics: [BLA_AND_FOO],
        deletes: [],
        entries: ['foo test | wow | aye'],
        update: 123,
      },
      {
        name: "comments by others, or without the tag, are not the bot's report",
        context: 'bla test',
        state: 'failure',
        ics: [
          { id: 5, user: 'alice', body: `--- | ---\nfoo test | x\n\n${COMMENT_TAG}` },
          bot(6, '--- | ---\nbar test | y\n'),
        ],
        deletes: [],
        entries: ['bla test | '],
        update: 0,
      },
    ];
    for (const tc of cases) {
      it(tc.name, () => {
        const got = parseIssueComments(
          [job(tc.context, tc.state, tc.optional)],
          isBot,
          tc.ics ?? [],
        );
        expect(got.deletes).toEqual(tc.deletes);
        expect(got.updateId).toBe(tc.update);
        expect(got.entries).toHaveLength(tc.entries.length);
        tc.entries.forEach((e, i) => expect(got.entries[i]!.startsWith(e)).toBe(true));
      });
    }
  });

  describe('createEntry: the row of a failed job', () => {
    const cases: { name: string; make: () => ProwJob; required: string }[] = [
      {
        name: 'a required presubmit',
        make: () => job('ci/unit', 'failure', false),
        required: 'true',
      },
      {
        name: 'an optional presubmit',
        make: () => job('ci/unit', 'failure', true),
        required: 'false',
      },
      {
        name: 'no is-optional label: unknown',
        make: () => {
          const pj = job('ci/unit', 'failure');
          delete pj.metadata.labels![Labels.isOptional];
          return pj;
        },
        required: 'unknown',
      },
      {
        name: "a label Go's ParseBool rejects: unknown",
        make: () => {
          const pj = job('ci/unit', 'failure');
          pj.metadata.labels![Labels.isOptional] = 'yes';
          return pj;
        },
        required: 'unknown',
      },
    ];
    for (const tc of cases) {
      it(tc.name, () => {
        const pj = tc.make();
        pj.spec.rerun_command = '/test unit';
        expect(createEntry(pj)).toBe(
          `ci/unit | ${'a'.repeat(40)} | [link](https://prow.example.com/view/pj-ci/unit) | ${tc.required} | \`/test unit\``,
        );
      });
    }
  });

  describe('createComment (Prow TestCreateComment)', () => {
    const author = (name: string, job = 'job') => {
      const pj = presubmitJob(`pj-${job}`);
      pj.spec.refs!.pulls![0]!.author = name;
      pj.spec.job = job;
      return pj;
    };
    const about = `<details>\n\n${ABOUT_THIS_BOT}\n</details>\n${COMMENT_TAG}`;
    const cases: {
      name: string;
      pjs: ProwJob[];
      entries: string[];
      template?: (pj: ProwJob) => string;
      want: string;
    }[] = [
      {
        name: 'single-job-single-failure (empty template)',
        pjs: [author('chaodaig')],
        entries: ['aaa | bbb | ccc | ddd | eee'],
        template: () => '',
        want: `@chaodaig: The following test **failed**, say \`/retest\` to rerun all failed tests or \`/retest-required\` to rerun all mandatory failed tests:\n\nTest name | Commit | Details | Required | Rerun command\n--- | --- | --- | --- | ---\naaa | bbb | ccc | ddd | eee\n\n\n\n${about}`,
      },
      {
        name: 'single-job-multiple-failures',
        pjs: [author('chaodaig')],
        entries: ['aaa | bbb | ccc | ddd | eee', 'fff | ggg | hhh | iii | jjj'],
        template: () => '',
        want: `@chaodaig: The following tests **failed**, say \`/retest\` to rerun all failed tests or \`/retest-required\` to rerun all mandatory failed tests:\n\nTest name | Commit | Details | Required | Rerun command\n--- | --- | --- | --- | ---\naaa | bbb | ccc | ddd | eee\nfff | ggg | hhh | iii | jjj\n\n\n\n${about}`,
      },
      {
        name: 'multiple-job-only-use-first-one (template rendered with the first job)',
        pjs: [author('chaodaig', 'job-a'), author('chaodaig', 'job-b')],
        entries: ['aaa | bbb | ccc | ddd | eee'],
        template: (pj) => pj.spec.job,
        want: `@chaodaig: The following test **failed**, say \`/retest\` to rerun all failed tests or \`/retest-required\` to rerun all mandatory failed tests:\n\nTest name | Commit | Details | Required | Rerun command\n--- | --- | --- | --- | ---\naaa | bbb | ccc | ddd | eee\n\njob-a\n\n${about}`,
      },
      {
        name: 'multiple-job-all-passed (no template configured)',
        pjs: [author('chaodaig', 'job-a'), author('chaodaig', 'job-b')],
        entries: [],
        want: `@chaodaig: all tests **passed!**\n\n\n${about}`,
      },
    ];
    for (const tc of cases) {
      it(tc.name, () => {
        const template = tc.template?.(tc.pjs[0]!);
        expect(createComment(tc.pjs, tc.entries, template)).toBe(tc.want);
      });
    }
    it('no jobs, no comment', () => expect(createComment([], ['x'])).toBe(''));
  });
});

describe('the report comment plan', () => {
  const BOT = 'jetprow-bot';
  const PRESUBMIT: ProwJobType[] = ['presubmit'];

  function job(name: string, state: ProwJobState, context = name): ProwJob {
    const pj = presubmitJob(name, { context });
    setState(pj, state);
    return pj;
  }
  const report = (id: number, rows: string[]): IssueComment => ({
    id,
    user: BOT,
    body: `head\n\nTest name | Commit\n--- | ---\n${rows.join('\n')}\n\nfoot\n${COMMENT_TAG}`,
  });
  const plan = (over: Partial<PlanInput> & { pjs: ProwJob[] }): CommentPlan | undefined =>
    planReportComment({
      comments: [],
      isBot: (l) => l === BOT,
      jobTypes: PRESUBMIT,
      mustCreate: false,
      ...over,
    });

  describe('planReportComment (Prow ReportComment)', () => {
    const failed = job('pj-unit', 'failure', 'unit');
    const passed = job('pj-unit-2', 'success', 'unit');
    const cases: {
      name: string;
      input: Partial<PlanInput> & { pjs: ProwJob[] };
      want: CommentPlan | undefined;
    }[] = [
      {
        name: 'failed pj: a new comment',
        input: { pjs: [failed] },
        want: { deletes: [], create: createComment([failed], [createEntry(failed)]) },
      },
      {
        name: 'succeeded pj when mustCreate (summary): "all tests passed"',
        input: { pjs: [passed], mustCreate: true },
        want: { deletes: [], create: createComment([passed], []) },
      },
      {
        name: 'aborted pj when mustCreate: no comment',
        input: { pjs: [job('pj-a', 'aborted')], mustCreate: true },
        want: { deletes: [] },
      },
      {
        name: 'succeeded pj without a report comment: nothing to write',
        input: { pjs: [passed] },
        want: { deletes: [] },
      },
      {
        name: 'a job still running is not reported',
        input: { pjs: [job('pj-run', 'pending')] },
        want: undefined,
      },
      {
        name: 'a job type not in job_types_to_report is not reported',
        input: { pjs: [failed], jobTypes: ['postsubmit'] },
        want: undefined,
      },
      {
        name: 'skip_report (report: false) is not reported',
        input: { pjs: [{ ...failed, spec: { ...failed.spec, report: false } }] },
        want: undefined,
      },
      {
        name: 'a batch job (more than one pull) is not reported',
        input: {
          pjs: [
            (() => {
              const b = presubmitJob('pj-batch', { pulls: 2 });
              setState(b, 'failure');
              return b;
            })(),
          ],
        },
        want: undefined,
      },
      {
        name: 'a postsubmit has no pull: not reported',
        input: {
          pjs: [
            (() => {
              const p = postsubmitJob('pj-post');
              setState(p, 'failure');
              return p;
            })(),
          ],
          jobTypes: ['presubmit', 'postsubmit'],
        },
        want: undefined,
      },
      {
        name: 'the only failing context passes: the report comment is deleted',
        input: { pjs: [passed], comments: [report(7, ['unit | sha | x'])] },
        want: { deletes: [7] },
      },
      {
        name: 'one of two failing contexts passes: the report is edited in place',
        input: { pjs: [passed], comments: [report(7, ['unit | sha | x', 'lint | sha | y'])] },
        want: { deletes: [], edit: { id: 7, body: createComment([passed], ['lint | sha | y']) } },
      },
      {
        name: 'a new failure re-posts (delete and create) so the author is notified',
        input: { pjs: [failed], comments: [report(7, ['lint | sha | y'])] },
        want: {
          deletes: [7],
          create: createComment([failed], ['lint | sha | y', createEntry(failed)]),
        },
      },
      {
        name: 'older report comments are deleted',
        input: {
          pjs: [passed],
          comments: [report(5, ['lint | a | b']), report(7, ['lint | sha | y', 'e2e | s | z'])],
        },
        want: {
          deletes: [5],
          edit: { id: 7, body: createComment([passed], ['lint | sha | y', 'e2e | s | z']) },
        },
      },
      {
        name: 'the template is rendered with the first job',
        input: { pjs: [failed], template: (pj) => `history of ${pj.spec.job}` },
        want: {
          deletes: [],
          create: createComment([failed], [createEntry(failed)], 'history of pull-unit'),
        },
      },
    ];
    for (const tc of cases) it(tc.name, () => expect(plan(tc.input)).toEqual(tc.want));

    it('idempotent: the report already posted is neither deleted nor posted again', () => {
      const body = createComment([failed], [createEntry(failed)]);
      expect(plan({ pjs: [failed], comments: [{ id: 9, user: BOT, body }] })).toEqual({
        deletes: [],
      });
      const older = report(4, ['lint | a | b']);
      expect(
        plan({
          pjs: [failed],
          comments: [
            older,
            {
              id: 9,
              user: BOT,
              body: createComment([failed], ['lint | a | b', createEntry(failed)]),
            },
          ],
        }),
      ).toEqual({ deletes: [4] });
    });

    it('idempotent: an edit already made is not made again', () => {
      const body = createComment([passed], ['lint | sha | y']);
      expect(plan({ pjs: [passed], comments: [{ id: 7, user: BOT, body }] })).toEqual({
        deletes: [],
      });
    });
  });

  describe('latestPerContext (a batch of reports as crier would apply them one by one)', () => {
    it('keeps the latest report per context, where it came', () => {
      const a1 = job('a1', 'failure', 'A');
      const b = job('b', 'failure', 'B');
      const a2 = job('a2', 'failure', 'A');
      expect(latestPerContext([a1, b, a2]).map((j) => j.metadata.name)).toEqual(['b', 'a2']);
    });
  });

  describe('summaryJobs (crier pjsToReport for summary_comment_repos)', () => {
    const at = (pj: ProwJob, time: string) => {
      pj.metadata.creationTimestamp = time;
      return pj;
    };
    it('nothing while any job of the PR runs', () => {
      expect(summaryJobs([job('x', 'success'), job('y', 'pending')])).toBeUndefined();
    });
    it('the newest run per job name, skip_report jobs left out, sorted by job', () => {
      const old = at(job('old', 'failure', 'unit'), '2024-05-01T10:00:00Z');
      const newer = at(job('newer', 'success', 'unit'), '2024-05-01T11:00:00Z');
      const lint = at(job('lint', 'failure', 'lint'), '2024-05-01T10:30:00Z');
      lint.spec.job = 'a-lint';
      const silent = job('silent', 'failure', 'silent');
      silent.spec.job = 'silent';
      silent.spec.report = false;
      expect(summaryJobs([old, newer, lint, silent])?.map((j) => j.metadata.name)).toEqual([
        'lint',
        'newer',
      ]);
    });
  });
});

describe('reportTemplateFor (Prow ReportTemplateForRepo): org/repo, else org, else *', () => {
  const pj = presubmitJob('pj-1'); // acme/widgets
  const cases: { name: string; templates: Record<string, string>; want: string | undefined }[] = [
    {
      name: 'the repo entry wins',
      templates: { 'acme/widgets': 'repo', acme: 'org', '*': 'all' },
      want: 'repo',
    },
    {
      name: 'else the org entry',
      templates: { 'acme/other': 'x', acme: 'org', '*': 'all' },
      want: 'org',
    },
    { name: 'else *', templates: { other: 'x', '*': 'all' }, want: 'all' },
    { name: 'none configured', templates: { other: 'x' }, want: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(reportTemplateFor(tc.templates, pj)).toBe(tc.want));
  }
});

describe('renderReportTemplate', () => {
  it('renders the template with the job, from the templates as they are now', () => {
    let templates: Record<string, string> = { '*': '{{.Spec.Job}} of {{.Spec.Refs.Org}}' };
    const render = (pj: ProwJob) => renderReportTemplate(templates, pj, silentLog);
    expect(render(postsubmitJob('pj-post'))).toBe('post-unit of acme');
    templates = {};
    expect(render(postsubmitJob('pj-post'))).toBeUndefined();
  });

  it('a template that fails to execute is logged and left out', () => {
    const errors: string[] = [];
    const log: Log = { ...silentLog, error: (_obj, msg) => errors.push(msg ?? '') };
    const templates = { '*': '{{.Spec.Job.Nope}}' };
    expect(renderReportTemplate(templates, presubmitJob('pj-1'), log)).toBeUndefined();
    expect(errors).toEqual(['error executing report template']);
  });
});

describe('commentMode (crier: no_comment_repos, then summary_comment_repos)', () => {
  const cases: { name: string; config: ReporterConfig; want: CommentMode }[] = [
    { name: 'default: a comment listing failures', config: reporterConfig(), want: 'failures' },
    {
      name: 'org in no_comment_repos',
      config: reporterConfig({ no_comment_repos: ['acme'] }),
      want: 'none',
    },
    {
      name: 'org/repo in no_comment_repos',
      config: reporterConfig({ no_comment_repos: ['acme/widgets'] }),
      want: 'none',
    },
    {
      name: 'another repo in no_comment_repos',
      config: reporterConfig({ no_comment_repos: ['acme/other'] }),
      want: 'failures',
    },
    {
      name: 'org in summary_comment_repos',
      config: reporterConfig({ summary_comment_repos: ['acme'] }),
      want: 'summary',
    },
    {
      name: 'in both: no_comment_repos wins',
      config: reporterConfig({
        no_comment_repos: ['acme'],
        summary_comment_repos: ['acme/widgets'],
      }),
      want: 'none',
    },
  ];
  for (const tc of cases)
    it(tc.name, () => expect(commentMode(tc.config, 'acme', 'widgets')).toBe(tc.want));
});
