// Turns a GitHub webhook payload into the small typed event plugins read (Prow's demuxEvent and
// GeneralizeCommentAction, pkg/hook/events.go and pkg/github/types.go). Pure and defensive: a
// payload missing fields still normalizes (fields default to empty), so hook never loses an event
// it accepted; plugins decide what they can act on.
import type { EventComment, EventPullRequest, GitHubEvent } from '@jetprow/schemas';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : 0);
const login = (v: unknown): string => str(obj(v).login);
const labelNames = (v: unknown): string[] =>
  Array.isArray(v) ? v.map((l) => str(obj(l).name)).filter(Boolean) : [];

/** Prow's GeneralizeCommentAction: created|opened|submitted → created, edited, deleted|dismissed → deleted. */
export function generalizeCommentAction(action: string): EventComment['action'] | undefined {
  if (action === 'created' || action === 'opened' || action === 'submitted') return 'created';
  if (action === 'edited') return 'edited';
  if (action === 'deleted' || action === 'dismissed') return 'deleted';
  return undefined;
}

function pullRequest(pr: Obj): EventPullRequest {
  const head = obj(pr.head);
  const base = obj(pr.base);
  const user = obj(pr.user);
  const mergeable = pr.mergeable;
  return {
    number: int(pr.number),
    state: str(pr.state),
    draft: pr.draft === true,
    merged: pr.merged === true,
    mergeable: typeof mergeable === 'boolean' ? mergeable : null,
    title: str(pr.title),
    author: str(user.login),
    author_link: str(user.html_url),
    head_sha: str(head.sha),
    head_ref: str(head.ref),
    base_ref: str(base.ref),
    base_sha: str(base.sha),
    html_url: str(pr.html_url),
    labels: labelNames(pr.labels),
  };
}

function orgRepo(p: Obj): { org: string; repo: string } {
  const repo = obj(p.repository);
  const owner = obj(repo.owner);
  const org = str(owner.login) || str(owner.name) || login(p.organization);
  return { org, repo: str(repo.name) };
}

export function normalizeEvent(
  event: string,
  delivery: string,
  payload: unknown,
  receivedAt: Date,
): GitHubEvent {
  const p = obj(payload);
  const action = str(p.action);
  const out: GitHubEvent = {
    delivery,
    event,
    ...orgRepo(p),
    received_at: receivedAt.toISOString(),
  };
  if (action) out.action = action;
  const sender = login(p.sender);
  if (sender) out.sender = sender;

  switch (event) {
    case 'issue_comment':
    case 'issues': {
      const issue = obj(p.issue);
      const isPR = issue.pull_request !== undefined && issue.pull_request !== null;
      const comment = event === 'issue_comment' ? obj(p.comment) : issue;
      const ga = generalizeCommentAction(action);
      if (
        ga &&
        (event === 'issue_comment' ||
          action === 'opened' ||
          action === 'edited' ||
          action === 'deleted')
      ) {
        out.comment = {
          action: ga,
          id: int(comment.id),
          body: str(comment.body),
          author: login(comment.user),
          html_url: str(comment.html_url),
          is_pr: isPR,
          number: int(issue.number),
          issue_state: str(issue.state),
          issue_author: login(issue.user),
        };
      }
      if (action === 'labeled' || action === 'unlabeled') out.label = str(obj(p.label).name);
      break;
    }
    case 'pull_request': {
      const pr = pullRequest(obj(p.pull_request));
      out.pull_request = pr;
      if (action === 'labeled' || action === 'unlabeled') out.label = str(obj(p.label).name);
      if (action === 'edited' && obj(p.changes).base !== undefined) out.base_changed = true;
      if (action === 'opened' || action === 'edited') {
        const raw = obj(p.pull_request);
        out.comment = {
          action: generalizeCommentAction(action)!,
          id: int(raw.id),
          body: str(raw.body),
          author: pr.author,
          html_url: pr.html_url,
          is_pr: true,
          number: pr.number,
          issue_state: pr.state,
          issue_author: pr.author,
        };
      }
      break;
    }
    case 'pull_request_review':
    case 'pull_request_review_comment': {
      const pr = pullRequest(obj(p.pull_request));
      out.pull_request = pr;
      const c = obj(event === 'pull_request_review' ? p.review : p.comment);
      const ga = generalizeCommentAction(action);
      if (ga) {
        out.comment = {
          action: ga,
          id: int(c.id),
          body: str(c.body),
          author: login(c.user),
          html_url: str(c.html_url),
          is_pr: true,
          number: pr.number,
          issue_state: pr.state,
          issue_author: pr.author,
        };
      }
      break;
    }
    case 'push': {
      const files = new Set<string>();
      for (const c of Array.isArray(p.commits) ? p.commits : []) {
        for (const k of ['added', 'removed', 'modified']) {
          const list = obj(c)[k];
          if (Array.isArray(list)) for (const f of list) if (typeof f === 'string') files.add(f);
        }
      }
      out.push = {
        ref: str(p.ref),
        before: str(p.before),
        after: str(p.after),
        created: p.created === true,
        deleted: p.deleted === true,
        compare: str(p.compare),
        repo_link: str(obj(p.repository).html_url),
        pusher: str(obj(p.pusher).name) || sender,
        changed_files: [...files],
      };
      break;
    }
    default:
      break;
  }
  return out;
}
