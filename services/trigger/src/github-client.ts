// trigger's GitHub reads: the shared reader, the bot's own login (asked once), and the merged-PR
// count behind the welcome comment's "join the org" tip.
import type { Octokit } from '@octokit/rest';
import { octokitReader } from '@jetprow/github';
import type { TriggerGitHub } from './context.js';

export function triggerGitHub(octokit: Octokit): TriggerGitHub {
  let bot: Promise<string | undefined> | undefined;
  return {
    ...octokitReader(octokit),
    /** FindIssuesWithOrg("type:pr is:merged org:<org> author:<author>"), counted. */
    async countMergedPullRequests(org, author) {
      const q = `type:pr is:merged org:${org} author:${author}`;
      const { data } = await octokit.rest.search.issuesAndPullRequests({ q, per_page: 1 });
      return data.total_count;
    },
    botLogin() {
      bot ??= octokit.rest.users
        .getAuthenticated()
        .then((r) => r.data.login)
        .catch(() => {
          bot = undefined; // ask again next time (no token, or GitHub unreachable)
          return undefined;
        });
      return bot;
    },
  };
}
