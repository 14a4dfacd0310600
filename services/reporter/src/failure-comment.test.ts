// Prow's own tables for the failure comment (pkg/github/report/report_test.go:
// TestParseIssueComment, TestCreateComment), plus createEntry's Required column.
import { describe, expect, it } from 'vitest';
import { Labels, type ProwJob } from '@jetprow/schemas';
import {
  ABOUT_THIS_BOT,
  COMMENT_TAG,
  createComment,
  createEntry,
  parseIssueComments,
  type IssueComment,
} from './failure-comment.js';
import { presubmitJob, setState } from '../testing/fixtures.js';

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
      const got = parseIssueComments([job(tc.context, tc.state, tc.optional)], isBot, tc.ics ?? []);
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
