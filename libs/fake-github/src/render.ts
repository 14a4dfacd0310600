// The fake's state rendered as GitHub's JSON: every field the REST description requires, with
// plausible values and URLs under the address the client used (so `/api/v3` clients get GHES URLs).
import type {
  ChangedFile,
  CommitStatus,
  FakeGitHubState,
  Issue,
  IssueComment,
  Label,
  Repo,
  User,
} from './state.js';
import { fakeSha } from './state.js';

/** Where the fake was reached: `api` is the REST root (with `/api/v3` if used), `web` the host. */
export interface Bases {
  api: string;
  web: string;
}

export function simpleUser(b: Bases, u: User, type = u.login.endsWith('[bot]') ? 'Bot' : 'User') {
  const url = `${b.api}/users/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id: u.id,
    node_id: `U_${u.id}`,
    avatar_url: `${b.web}/avatars/u/${u.id}`,
    gravatar_id: '',
    url,
    html_url: `${b.web}/${encodeURIComponent(u.login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
    user_view_type: 'public',
  };
}

/** GET /user: the public view of the token's user. */
export function publicUser(b: Bases, u: User) {
  const epoch = '2020-01-01T00:00:00Z';
  return {
    ...simpleUser(b, u),
    name: u.login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: epoch,
    updated_at: epoch,
  };
}

// GitHub's repository URL templates, relative to the repo's API URL.
const REPO_URLS = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  languages_url: '/languages',
  merges_url: '/merges',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  stargazers_url: '/stargazers',
  statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
  trees_url: '/git/trees{/sha}',
};

export const repoUrl = (b: Bases, r: Repo) => `${b.api}/repos/${r.owner}/${r.name}`;

export function repository(b: Bases, state: FakeGitHubState, r: Repo) {
  const url = repoUrl(b, r);
  const host = new URL(b.web).host;
  const owner = state.user(r.owner);
  const open = [...r.issues.values()].filter((i) => i.pull?.state !== 'closed').length;
  return {
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: simpleUser(b, owner, state.isOrg(r.owner) ? 'Organization' : 'User'),
    private: false,
    visibility: 'public',
    html_url: `${b.web}/${r.owner}/${r.name}`,
    description: null,
    fork: false,
    url,
    ...Object.fromEntries(Object.entries(REPO_URLS).map(([k, path]) => [k, url + path])),
    git_url: `git://${host}/${r.owner}/${r.name}.git`,
    ssh_url: `git@${host}:${r.owner}/${r.name}.git`,
    clone_url: `${b.web}/${r.owner}/${r.name}.git`,
    svn_url: `${b.web}/${r.owner}/${r.name}`,
    mirror_url: null,
    homepage: null,
    language: null,
    license: null,
    default_branch: r.defaultBranch,
    size: 0,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: open,
    open_issues_count: open,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    pushed_at: r.createdAt,
    created_at: r.createdAt,
    updated_at: r.createdAt,
  };
}

function authorAssociation(state: FakeGitHubState, r: Repo, login: string): string {
  if (r.owner.toLowerCase() === login.toLowerCase()) return 'OWNER';
  if (state.isOrgMember(r.owner, login)) return 'MEMBER';
  if (state.isCollaborator(r, login)) return 'COLLABORATOR';
  return 'NONE';
}

export function label(b: Bases, r: Repo, l: Label) {
  return {
    id: l.id,
    node_id: `LA_${l.id}`,
    url: `${repoUrl(b, r)}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: l.description,
    color: l.color,
    default: false,
  };
}

/** A commit status; the combined status lists them without `creator`. */
export function status(b: Bases, state: FakeGitHubState, r: Repo, s: CommitStatus) {
  const creator = simpleUser(b, state.user(s.creator));
  return {
    url: `${repoUrl(b, r)}/statuses/${s.sha}`,
    avatar_url: creator.avatar_url,
    id: s.id,
    node_id: `SC_${s.id}`,
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator,
  };
}

export function combinedStatus(b: Bases, state: FakeGitHubState, r: Repo, sha: string) {
  const combined = state.combinedStatus(r, sha);
  return {
    state: combined.state,
    statuses: combined.statuses.map((s) => {
      const { creator: _, ...simple } = status(b, state, r, s);
      return simple;
    }),
    sha,
    total_count: combined.statuses.length,
    repository: repository(b, state, r),
    commit_url: `${repoUrl(b, r)}/commits/${sha}`,
    url: `${repoUrl(b, r)}/commits/${sha}/status`,
  };
}

export function issueComment(b: Bases, state: FakeGitHubState, c: IssueComment) {
  const kind = c.repo.issues.get(c.issue)?.pull ? 'pull' : 'issues';
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${repoUrl(b, c.repo)}/issues/comments/${c.id}`,
    html_url: `${b.web}/${c.repo.owner}/${c.repo.name}/${kind}/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${repoUrl(b, c.repo)}/issues/${c.issue}`,
    body: c.body,
    user: simpleUser(b, state.user(c.user)),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: authorAssociation(state, c.repo, c.user),
  };
}

const MERGEABLE_STATE: Record<string, string> = { true: 'clean', false: 'dirty', null: 'unknown' };

export function pullRequest(b: Bases, state: FakeGitHubState, r: Repo, issue: Issue) {
  const pr = issue.pull;
  if (!pr) throw new Error(`#${issue.number} is not a pull request`);
  const url = `${repoUrl(b, r)}/pulls/${issue.number}`;
  const html = `${b.web}/${r.owner}/${r.name}/pull/${issue.number}`;
  const issueUrl = `${repoUrl(b, r)}/issues/${issue.number}`;
  const links = {
    self: url,
    html,
    issue: issueUrl,
    comments: `${issueUrl}/comments`,
    review_comments: `${url}/comments`,
    review_comment: `${repoUrl(b, r)}/pulls/comments{/number}`,
    commits: `${url}/commits`,
    statuses: `${repoUrl(b, r)}/statuses/${pr.head.sha}`,
  };
  const repo = repository(b, state, r);
  const branch = (side: { sha: string; ref: string }) => ({
    label: `${r.owner}:${side.ref}`,
    ref: side.ref,
    sha: side.sha,
    user: repo.owner,
    repo,
  });
  const additions = pr.files.reduce((n, f) => n + (f.additions ?? 0), 0);
  const deletions = pr.files.reduce((n, f) => n + (f.deletions ?? 0), 0);
  const closedAt = pr.state === 'closed' ? issue.createdAt : null;
  return {
    url,
    id: r.id * 100_000 + issue.number,
    node_id: `PR_${r.id}_${issue.number}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: links.commits,
    review_comments_url: links.review_comments,
    review_comment_url: links.review_comment,
    comments_url: links.comments,
    statuses_url: links.statuses,
    number: issue.number,
    state: pr.state,
    locked: false,
    title: issue.title,
    user: simpleUser(b, state.user(issue.user)),
    body: issue.body,
    labels: state.labels(r, issue).map((l) => label(b, r, l)),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.createdAt,
    closed_at: closedAt,
    merged_at: pr.merged ? closedAt : null,
    merge_commit_sha: pr.merged ? fakeSha(`merge:${pr.head.sha}`) : null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branch(pr.head),
    base: branch(pr.base),
    _links: Object.fromEntries(Object.entries(links).map(([k, href]) => [k, { href }])),
    author_association: authorAssociation(state, r, issue.user),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: pr.mergeable,
    rebaseable: pr.mergeable,
    mergeable_state: pr.draft ? 'draft' : MERGEABLE_STATE[`${pr.mergeable}`],
    merged_by: null,
    comments: state.comments(r, issue.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions,
    deletions,
    changed_files: pr.files.length,
  };
}

export function diffEntry(b: Bases, r: Repo, headSha: string, f: ChangedFile) {
  const additions = f.additions ?? 0;
  const deletions = f.deletions ?? 0;
  const path = f.filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha: fakeSha(`${headSha}:${f.filename}`),
    filename: f.filename,
    status: f.status ?? 'modified',
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${b.web}/${r.owner}/${r.name}/blob/${headSha}/${path}`,
    raw_url: `${b.web}/${r.owner}/${r.name}/raw/${headSha}/${path}`,
    contents_url: `${repoUrl(b, r)}/contents/${path}?ref=${headSha}`,
    ...(f.patch === undefined ? {} : { patch: f.patch }),
    ...(f.previousFilename === undefined ? {} : { previous_filename: f.previousFilename }),
  };
}

export function gitRef(b: Bases, r: Repo, ref: string, sha: string) {
  return {
    ref: `refs/${ref}`,
    node_id: `REF_${r.id}_${ref}`,
    url: `${repoUrl(b, r)}/git/refs/${ref}`,
    object: { type: 'commit', sha, url: `${repoUrl(b, r)}/git/commits/${sha}` },
  };
}
