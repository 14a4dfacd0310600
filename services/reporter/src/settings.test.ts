import { describe, expect, it } from 'vitest';
import {
  commentMode,
  jobTypesToReport,
  type CommentMode,
  type ReporterSettings,
} from './settings.js';

describe('commentMode (crier: no_comment_repos, then summary_comment_repos)', () => {
  const cases: { name: string; settings: ReporterSettings; want: CommentMode }[] = [
    { name: 'default: a comment listing failures', settings: {}, want: 'failures' },
    { name: 'org in no_comment_repos', settings: { noCommentRepos: ['acme'] }, want: 'none' },
    {
      name: 'org/repo in no_comment_repos',
      settings: { noCommentRepos: ['acme/widgets'] },
      want: 'none',
    },
    {
      name: 'another repo in no_comment_repos',
      settings: { noCommentRepos: ['acme/other'] },
      want: 'failures',
    },
    {
      name: 'org in summary_comment_repos',
      settings: { summaryCommentRepos: ['acme'] },
      want: 'summary',
    },
    {
      name: 'in both: no_comment_repos wins',
      settings: { noCommentRepos: ['acme'], summaryCommentRepos: ['acme/widgets'] },
      want: 'none',
    },
  ];
  for (const tc of cases)
    it(tc.name, () => expect(commentMode(tc.settings, 'acme', 'widgets')).toBe(tc.want));
  it('job_types_to_report defaults to presubmit and postsubmit', () => {
    expect(jobTypesToReport({ jobTypesToReport: [] })).toEqual(['presubmit', 'postsubmit']);
  });
});
