// GitHubWriter over the real @octokit/rest (createOctokit from @jetprow/github). Octokit's
// RequestError becomes a GitHubWriteError carrying the HTTP status, headers and error body.
import type { GitHubWriter } from './github-writer.js';
import { GitHubWriteError, normalizeHeaders } from './write-error.js';

/** The part of Octokit this writer uses (an `Octokit` from @octokit/rest satisfies it). */
export interface OctokitStatuses {
  rest: {
    repos: {
      createCommitStatus(params: {
        owner: string;
        repo: string;
        sha: string;
        state: 'error' | 'failure' | 'pending' | 'success';
        context?: string;
        description?: string;
        target_url?: string;
      }): Promise<unknown>;
    };
  };
}

/** Octokit's RequestError shape: `status` (500 when no answer came), and the answer if one did. */
interface RequestErrorLike {
  status?: unknown;
  response?: { headers?: unknown; data?: unknown };
}

function toWriteError(what: string, err: unknown): GitHubWriteError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as RequestErrorLike;
  const answered = e.response !== undefined;
  return new GitHubWriteError(
    what,
    {
      // Octokit reports network failures as status 500 without a response: keep "no answer".
      status: answered && typeof e.status === 'number' ? e.status : undefined,
      headers: normalizeHeaders(e.response?.headers),
      body: e.response?.data,
    },
    { cause: err },
  );
}

export function octokitWriter(octokit: OctokitStatuses): GitHubWriter {
  return {
    async createStatus(s) {
      try {
        await octokit.rest.repos.createCommitStatus({
          owner: s.org,
          repo: s.repo,
          sha: s.sha,
          state: s.state,
          // Empty fields are left out, as Prow's github.Status does (`omitempty`).
          ...(s.context ? { context: s.context } : {}),
          ...(s.description ? { description: s.description } : {}),
          ...(s.target_url ? { target_url: s.target_url } : {}),
        });
      } catch (err) {
        throw toWriteError(`create status ${s.org}/${s.repo}@${s.sha} ${s.context}`, err);
      }
    },
  };
}
