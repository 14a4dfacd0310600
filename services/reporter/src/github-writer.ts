// The GitHub writes reporter makes, one method per write kind. reporter is the only process that
// writes to GitHub (DESIGN invariant 4), so API-budget pacing can later wrap this one interface
// (a pacing writer that delegates to octokitWriter) without touching the reconcile logic.
import type { GitHubStatusState } from '@jetprow/core';

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

export interface GitHubWriter {
  /** Creates a commit status; failures are GitHubWriteError (HTTP) or any other error (network). */
  createStatus(status: StatusWrite): Promise<void>;
}
