// The GitHub reads plugins need (Prow's trigger `githubClient` interface), over Octokit.
import type { Octokit } from '@octokit/rest';
import { hasStatus } from './client.js';

export interface PullRequestInfo {
  number: number;
  state: string;
  draft: boolean;
  merged: boolean;
  mergeable: boolean | null;
  title: string;
  author: string;
  author_link: string;
  head_sha: string;
  head_ref: string;
  base_ref: string;
  base_sha: string;
  html_url: string;
  repo_link: string;
  labels: string[];
}

export interface GitHubReader {
  isMember(org: string, user: string): Promise<boolean>;
  isCollaborator(org: string, repo: string, user: string): Promise<boolean>;
  getPullRequest(org: string, repo: string, number: number): Promise<PullRequestInfo>;
  /** SHA of a ref such as `heads/main`. */
  getRef(org: string, repo: string, ref: string): Promise<string>;
  /** Latest state per status context on a commit. */
  getCombinedStatus(org: string, repo: string, sha: string): Promise<Map<string, string>>;
  getPullRequestChanges(org: string, repo: string, number: number): Promise<string[]>;
}

export function octokitReader(gh: Octokit): GitHubReader {
  return {
    async isMember(org, user) {
      try {
        const res = await gh.rest.orgs.checkMembershipForUser({ org, username: user });
        return (res.status as number) === 204;
      } catch (err) {
        if (hasStatus(err, 404) || hasStatus(err, 302)) return false;
        throw new Error(`check membership of ${user} in ${org}`, { cause: err });
      }
    },
    async isCollaborator(owner, repo, user) {
      try {
        const res = await gh.rest.repos.checkCollaborator({ owner, repo, username: user });
        return (res.status as number) === 204;
      } catch (err) {
        if (hasStatus(err, 404)) return false;
        throw new Error(`check collaborator ${user} on ${owner}/${repo}`, { cause: err });
      }
    },
    async getPullRequest(owner, repo, number) {
      const { data: pr } = await gh.rest.pulls.get({ owner, repo, pull_number: number });
      return {
        number: pr.number,
        state: pr.state,
        draft: pr.draft === true,
        merged: pr.merged === true,
        mergeable: pr.mergeable ?? null,
        title: pr.title,
        author: pr.user?.login ?? '',
        author_link: pr.user?.html_url ?? '',
        head_sha: pr.head.sha,
        head_ref: pr.head.ref,
        base_ref: pr.base.ref,
        base_sha: pr.base.sha,
        html_url: pr.html_url,
        repo_link: pr.base.repo?.html_url ?? '',
        labels: pr.labels.map((l) => l.name ?? '').filter(Boolean),
      };
    },
    async getRef(owner, repo, ref) {
      const { data } = await gh.rest.git.getRef({ owner, repo, ref });
      return data.object.sha;
    },
    async getCombinedStatus(owner, repo, ref) {
      const out = new Map<string, string>();
      const { data } = await gh.rest.repos.getCombinedStatusForRef({
        owner,
        repo,
        ref,
        per_page: 100,
      });
      for (const s of data.statuses) out.set(s.context, s.state);
      return out;
    },
    async getPullRequestChanges(owner, repo, number) {
      const files = await gh.paginate(gh.rest.pulls.listFiles, {
        owner,
        repo,
        pull_number: number,
        per_page: 100,
      });
      return files.map((f) => f.filename);
    },
  };
}
