// The in-memory GitHub behind the fake server, like Prow's fakegithub.FakeClient: seed it, let the
// product act on it through the REST API, then assert on it (or on `log`, which records every
// mutation made through the API; seeding is not logged).
import { createHash } from 'node:crypto';

export type StatusState = 'error' | 'failure' | 'pending' | 'success';
export type FileStatus =
  'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

export interface User {
  login: string;
  id: number;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface ChangedFile {
  filename: string;
  status?: FileStatus;
  additions?: number;
  deletions?: number;
  patch?: string;
  previousFilename?: string;
}

export interface PullRequest {
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  mergeable: boolean | null;
  head: { sha: string; ref: string };
  base: { sha: string; ref: string };
  files: ChangedFile[];
}

/** An issue or, with `pull`, a pull request (GitHub numbers both in one sequence). */
export interface Issue {
  number: number;
  title: string;
  body: string | null;
  user: string;
  labels: string[];
  createdAt: string;
  pull?: PullRequest;
}

export interface Repo {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  createdAt: string;
  collaborators: Set<string>;
  branches: Map<string, string>;
  labels: Map<string, Label>;
  issues: Map<number, Issue>;
}

export interface CommitStatus {
  id: number;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export interface IssueComment {
  id: number;
  repo: Repo;
  issue: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface IssueSeed {
  owner: string;
  repo: string;
  number: number;
  title?: string;
  body?: string | null;
  /** Author login (default 'author'). */
  user?: string;
  labels?: string[];
}

export interface PullRequestSeed extends IssueSeed {
  state?: 'open' | 'closed';
  draft?: boolean;
  merged?: boolean;
  mergeable?: boolean | null;
  head: { sha: string; ref?: string };
  /** Defaults to the repo's default branch and its sha (when set). */
  base?: { ref?: string; sha?: string };
  files?: ChangedFile[];
}

/** A deterministic 40-hex sha for test seeds: `fakeSha('pr-12')`. */
export const fakeSha = (seed: string): string => createHash('sha1').update(seed).digest('hex');

/** GitHub's timestamps: ISO 8601 without milliseconds. */
export const timestamp = (d = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();

function checkSha(sha: string): string {
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`fake GitHub: "${sha}" is not a 40-hex sha`);
  return sha;
}

export class FakeGitHubState {
  /** Every mutation made through the API, e.g. "status o/r@sha pull-unit=pending". */
  readonly log: string[] = [];
  #ids = 1000;
  readonly #users = new Map<string, User>();
  readonly #orgs = new Map<string, Set<string>>();
  readonly #repos = new Map<string, Repo>();
  readonly #statuses = new Map<string, CommitStatus[]>();
  readonly #comments = new Map<number, IssueComment>();

  // --- seeding -----------------------------------------------------------------------------

  addOrgMember(org: string, login: string): void {
    this.user(login);
    const members = this.#orgs.get(org.toLowerCase()) ?? new Set();
    this.#orgs.set(org.toLowerCase(), members.add(login.toLowerCase()));
  }

  addRepo(owner: string, repo: string, opts: { defaultBranch?: string } = {}): Repo {
    const existing = this.#repos.get(key(owner, repo));
    if (existing) return existing;
    const r: Repo = {
      owner,
      name: repo,
      id: this.#ids++,
      defaultBranch: opts.defaultBranch ?? 'main',
      createdAt: timestamp(),
      collaborators: new Set(),
      branches: new Map(),
      labels: new Map(),
      issues: new Map(),
    };
    this.#repos.set(key(owner, repo), r);
    return r;
  }

  addCollaborator(owner: string, repo: string, login: string): void {
    this.user(login);
    this.addRepo(owner, repo).collaborators.add(login.toLowerCase());
  }

  setBranch(owner: string, repo: string, branch: string, sha: string): void {
    this.addRepo(owner, repo).branches.set(branch, checkSha(sha));
  }

  addIssue(seed: IssueSeed): Issue {
    const repo = this.addRepo(seed.owner, seed.repo);
    const issue: Issue = {
      number: seed.number,
      title: seed.title ?? `Issue ${seed.number}`,
      body: seed.body ?? null,
      user: this.user(seed.user ?? 'author').login,
      labels: [],
      createdAt: timestamp(),
    };
    repo.issues.set(seed.number, issue);
    for (const name of seed.labels ?? []) issue.labels.push(this.#label(repo, name).name);
    return issue;
  }

  addPullRequest(seed: PullRequestSeed): Issue {
    const repo = this.addRepo(seed.owner, seed.repo);
    const baseRef = seed.base?.ref ?? repo.defaultBranch;
    const baseSha = seed.base?.sha ?? repo.branches.get(baseRef) ?? fakeSha(`${baseRef}@base`);
    const issue = this.addIssue({ ...seed, title: seed.title ?? `Pull request ${seed.number}` });
    issue.pull = {
      state: seed.state ?? 'open',
      draft: seed.draft ?? false,
      merged: seed.merged ?? false,
      mergeable: seed.mergeable === undefined ? true : seed.mergeable,
      head: { sha: checkSha(seed.head.sha), ref: seed.head.ref ?? `pr-${seed.number}` },
      base: { sha: checkSha(baseSha), ref: baseRef },
      files: seed.files ?? [],
    };
    return issue;
  }

  // --- reading -----------------------------------------------------------------------------

  /** The user with this login, created (with a fresh id) on first sight. */
  user(login: string): User {
    const found = this.#users.get(login.toLowerCase());
    if (found) return found;
    const u = { login, id: this.#ids++ };
    this.#users.set(login.toLowerCase(), u);
    return u;
  }

  isOrg(name: string): boolean {
    return this.#orgs.has(name.toLowerCase());
  }

  isOrgMember(org: string, login: string): boolean {
    return this.#orgs.get(org.toLowerCase())?.has(login.toLowerCase()) ?? false;
  }

  repo(owner: string, repo: string): Repo | undefined {
    return this.#repos.get(key(owner, repo));
  }

  /** As GitHub has it: the owner of a user-owned repo is a collaborator too. */
  isCollaborator(repo: Repo, login: string): boolean {
    const l = login.toLowerCase();
    return repo.collaborators.has(l) || repo.owner.toLowerCase() === l;
  }

  /** A branch name resolves to its head sha; anything else is taken as a sha. */
  resolveRef(repo: Repo, ref: string): string {
    return repo.branches.get(ref) ?? ref;
  }

  /** Whether the sha is a branch head or a pull request's head or base. */
  knowsSha(repo: Repo, sha: string): boolean {
    if ([...repo.branches.values()].includes(sha)) return true;
    const pulls = [...repo.issues.values()].map((i) => i.pull);
    return pulls.some((p) => p?.head.sha === sha || p?.base.sha === sha);
  }

  /** Newest first, as GitHub lists them. */
  statuses(repo: Repo, sha: string): CommitStatus[] {
    return this.#statuses.get(`${key(repo.owner, repo.name)}@${sha}`) ?? [];
  }

  /** GitHub's combined status: the latest status per context, and their overall state. */
  combinedStatus(repo: Repo, sha: string): { state: StatusState; statuses: CommitStatus[] } {
    const latest = new Map<string, CommitStatus>();
    for (const s of this.statuses(repo, sha)) if (!latest.has(s.context)) latest.set(s.context, s);
    const statuses = [...latest.values()];
    const states = statuses.map((s) => s.state);
    const state: StatusState =
      states.includes('error') || states.includes('failure')
        ? 'failure'
        : states.length === 0 || states.includes('pending')
          ? 'pending'
          : 'success';
    return { state, statuses };
  }

  /** Oldest first, as GitHub lists them. */
  comments(repo: Repo, issue: number): IssueComment[] {
    return [...this.#comments.values()].filter((c) => c.repo === repo && c.issue === issue);
  }

  comment(repo: Repo, id: number): IssueComment | undefined {
    const c = this.#comments.get(id);
    return c?.repo === repo ? c : undefined;
  }

  labels(repo: Repo, issue: Issue): Label[] {
    return issue.labels.map((name) => this.#label(repo, name));
  }

  // --- mutations, as the API makes them (logged) ----------------------------------------------

  createStatus(
    repo: Repo,
    sha: string,
    s: Pick<CommitStatus, 'state' | 'context' | 'description' | 'targetUrl' | 'creator'>,
  ): CommitStatus {
    const now = timestamp();
    const status: CommitStatus = { ...s, id: this.#ids++, sha, createdAt: now, updatedAt: now };
    const k = `${key(repo.owner, repo.name)}@${sha}`;
    this.#statuses.set(k, [status, ...(this.#statuses.get(k) ?? [])]);
    this.log.push(`status ${repo.owner}/${repo.name}@${sha} ${s.context}=${s.state}`);
    return status;
  }

  createComment(repo: Repo, issue: number, body: string, user: string): IssueComment {
    const now = timestamp();
    const c = { id: this.#ids++, repo, issue, body, user, createdAt: now, updatedAt: now };
    this.#comments.set(c.id, c);
    this.log.push(`comment ${repo.owner}/${repo.name}#${issue} create ${c.id}`);
    return c;
  }

  editComment(c: IssueComment, body: string): IssueComment {
    Object.assign(c, { body, updatedAt: timestamp() });
    this.log.push(`comment ${c.repo.owner}/${c.repo.name}#${c.issue} edit ${c.id}`);
    return c;
  }

  deleteComment(c: IssueComment): void {
    this.#comments.delete(c.id);
    this.log.push(`comment ${c.repo.owner}/${c.repo.name}#${c.issue} delete ${c.id}`);
  }

  /** Adds labels to the issue, creating repo labels GitHub-style on first use. */
  addLabels(repo: Repo, issue: Issue, names: string[]): void {
    for (const name of names) {
      const label = this.#label(repo, name);
      if (issue.labels.some((l) => l.toLowerCase() === label.name.toLowerCase())) continue;
      issue.labels.push(label.name);
      this.log.push(`label ${repo.owner}/${repo.name}#${issue.number} +${label.name}`);
    }
  }

  /** False when the issue does not have the label. */
  removeLabel(repo: Repo, issue: Issue, name: string): boolean {
    const i = issue.labels.findIndex((l) => l.toLowerCase() === name.toLowerCase());
    if (i < 0) return false;
    const [removed] = issue.labels.splice(i, 1);
    this.log.push(`label ${repo.owner}/${repo.name}#${issue.number} -${removed}`);
    return true;
  }

  #label(repo: Repo, name: string): Label {
    const found = repo.labels.get(name.toLowerCase());
    if (found) return found;
    const label = { id: this.#ids++, name, color: 'ededed', description: null };
    repo.labels.set(name.toLowerCase(), label);
    return label;
  }
}
