// Webhook bodies for tests: GitHub's own recorded examples (@octokit/webhooks-examples), changed
// only where a test needs it.
import { createRequire } from 'node:module';

interface ExampleSet {
  name: string;
  examples: Record<string, unknown>[];
}
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as ExampleSet[];

export function example(event: string, action?: string): Record<string, unknown> {
  const set = examples.find((e) => e.name === event);
  const ex = set?.examples.find((e) => action === undefined || e.action === action);
  if (!ex)
    throw new Error(
      `no @octokit/webhooks-examples payload for ${event}${action ? `.${action}` : ''}`,
    );
  return structuredClone(ex);
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function retarget(p: Obj, org: string, repo: string): void {
  p.repository.name = repo;
  p.repository.full_name = `${org}/${repo}`;
  p.repository.owner.login = org;
  p.repository.html_url = `https://github.com/${org}/${repo}`;
  if (p.organization) p.organization.login = org;
}

/** An `issue_comment` `created` on an open pull request. */
export function prCommentPayload(o: {
  org: string;
  repo: string;
  number: number;
  prAuthor: string;
  commenter: string;
  body: string;
}): Obj {
  const p: Obj = example('issue_comment', 'created');
  retarget(p, o.org, o.repo);
  p.issue.number = o.number;
  p.issue.state = 'open';
  p.issue.user.login = o.prAuthor;
  p.issue.pull_request = {
    url: `https://api.github.com/repos/${o.org}/${o.repo}/pulls/${o.number}`,
    html_url: `https://github.com/${o.org}/${o.repo}/pull/${o.number}`,
    diff_url: `https://github.com/${o.org}/${o.repo}/pull/${o.number}.diff`,
    patch_url: `https://github.com/${o.org}/${o.repo}/pull/${o.number}.patch`,
  };
  p.comment.body = o.body;
  p.comment.user.login = o.commenter;
  p.comment.html_url = `https://github.com/${o.org}/${o.repo}/pull/${o.number}#issuecomment-${p.comment.id}`;
  p.sender.login = o.commenter;
  return p;
}
