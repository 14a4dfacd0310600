// trigger's GitHub reads: the shared reader plus the bot's own login, asked once.
import type { Octokit } from '@octokit/rest';
import { octokitReader, type GitHubReader } from '@jetprow/github';
import type { TrustClient } from './trust.js';

export function triggerGitHub(octokit: Octokit): GitHubReader & TrustClient {
  let bot: Promise<string | undefined> | undefined;
  return {
    ...octokitReader(octokit),
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
