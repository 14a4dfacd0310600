// trigger's GitHub reads: the shared reader, the bot's own login (from the shared connection:
// `<slug>[bot]` for a GitHub App, whose installation tokens cannot call GET /user), and the
// merged-PR count behind the welcome comment's "join the org" tip.
import { octokitReader, type GitHubConnection } from '@jetprow/github';
import type { TriggerGitHub } from './context.js';

export function triggerGitHub(gh: GitHubConnection): TriggerGitHub {
  const { octokit } = gh;
  return {
    ...octokitReader(octokit),
    /** FindIssuesWithOrg("type:pr is:merged org:<org> author:<author>"), counted. */
    async countMergedPullRequests(org, author) {
      const q = `type:pr is:merged org:${org} author:${author}`;
      const { data } = await octokit.rest.search.issuesAndPullRequests({ q, per_page: 1 });
      return data.total_count;
    },
    // Asked once; a failure (no token, GitHub unreachable) is asked again next time.
    botLogin: () => gh.botLogin().catch(() => undefined),
  };
}
