// Prow's ReportComment rules (pkg/github/report/report.go, TestReportComment) and crier's
// summary mode (pjsToReport), as plans.
import { describe, expect, it } from 'vitest';
import type { ProwJob, ProwJobState, ProwJobType } from '@jetprow/schemas';
import { COMMENT_TAG, createComment, createEntry, type IssueComment } from './failure-comment.js';
import {
  latestPerContext,
  planReportComment,
  summaryJobs,
  type CommentPlan,
  type PlanInput,
} from './report-comment-plan.js';
import { postsubmitJob, presubmitJob, setState } from '../testing/fixtures.js';

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
