// The GitHub writes reporter makes, one method per write kind, and the few reads it needs.
// reporter is the only process that writes to GitHub (DESIGN invariant 4); every write goes
// through the shared write budget before it is made (see reporter.ts), never inside these.
import type { GitHubStatusState } from '@jetprow/core';
import type { IssueComment } from './failure-comment.js';

/** One commit status, as `POST /repos/{owner}/{repo}/statuses/{sha}` takes it. */
export interface StatusWrite {
  org: string;
  repo: string;
  sha: string;
  state: GitHubStatusState;
  context: string;
  description: string;
  target_url: string;
}

/** An issue or pull request. */
export interface IssueRef {
  org: string;
  repo: string;
  number: number;
}

/** Kinds of writes, as metrics count them. */
export type WriteKind =
  'status' | 'comment_create' | 'comment_edit' | 'comment_delete' | 'label_add' | 'label_remove';

/** Failures are GitHubWriteError (an HTTP answer) or any other error (no answer). */
export interface GitHubWriter {
  createStatus(status: StatusWrite): Promise<void>;
  createComment(issue: IssueRef, body: string): Promise<void>;
  editComment(repo: Omit<IssueRef, 'number'>, id: number, body: string): Promise<void>;
  deleteComment(repo: Omit<IssueRef, 'number'>, id: number): Promise<void>;
  addLabel(issue: IssueRef, label: string): Promise<void>;
  removeLabel(issue: IssueRef, label: string): Promise<void>;
}

/** The newest status of one context on a commit. */
export interface LatestStatus {
  state: string;
  description: string;
  target_url: string;
}

export interface GitHubReads {
  /** The issue's comments, oldest first (conditional requests: unchanged pages cost nothing). */
  listComments(issue: IssueRef): Promise<IssueComment[]>;
  /** The newest status per context on a commit (to check whether an interrupted write landed). */
  latestStatuses(org: string, repo: string, sha: string): Promise<Map<string, LatestStatus>>;
  /** The bot's login as it appears on its comments. */
  botLogin(): Promise<string>;
}
