// Pull request events (pkg/plugins/trigger/pull-request.go handlePR).
import type { EventPullRequest, GitHubEvent } from '@jetprow/schemas';
import { Labels } from '@jetprow/schemas';
import type { Trigger } from '@jetprow/config';
import { isComplete } from '@jetprow/schemas';
import { updateWithRetry } from '@jetprow/store';
import { filterPresubmits, lazyChanges, testAllFilter } from './filters.js';
import { presubmitsFor, type TriggerClient } from './context.js';
import { repoLinkFromPrUrl, runRequested, type PullRequestRef } from './run-requested.js';
import { trustedPullRequest, trustedUser } from './trust.js';
import { DRAFT_MESSAGE, orgInvitationGuidance, welcomeMessage } from './welcome.js';

export const ABORTED_DESCRIPTION = 'Aborted by trigger plugin.';

/** Sets every unfinished presubmit of the PR to aborted (abortAllJobs). Returns the names. */
export async function abortAllJobs(
  c: TriggerClient,
  org: string,
  repo: string,
  number: number,
): Promise<string[]> {
  const jobs = await c.store.list(
    {
      [Labels.org]: org,
      [Labels.repo]: repo,
      [Labels.pull]: String(number),
      [Labels.type]: 'presubmit',
    },
    { incomplete: true },
  );
  const aborted: string[] = [];
  for (const job of jobs) {
    if (isComplete(job)) continue;
    const done = await updateWithRetry(c.store, job.metadata.name, (pj) => {
      if (isComplete(pj) || pj.status.state === 'aborted') return false;
      pj.status.state = 'aborted';
      pj.status.description = ABORTED_DESCRIPTION;
    });
    if (done) aborted.push(job.metadata.name);
  }
  return aborted;
}

/** Whether the PR author is a bot account (GitHub's user type, else the `[bot]` suffix). */
function authorIsBot(ev: GitHubEvent, author: string): boolean {
  const raw = ev.raw as { pull_request?: { user?: { type?: string } } } | undefined;
  return raw?.pull_request?.user?.type === 'Bot' || author.endsWith('[bot]');
}

function prRef(ev: GitHubEvent, pr: EventPullRequest): PullRequestRef {
  return { org: ev.org, repo: ev.repo, repo_link: repoLinkFromPrUrl(pr.html_url), ...pr };
}

export async function handlePullRequest(
  c: TriggerClient,
  trigger: Trigger,
  ev: GitHubEvent,
  pr: EventPullRequest,
): Promise<string[]> {
  const { org, repo } = ev;
  const presubmits = presubmitsFor(c, org, repo);
  if (presubmits.length === 0) return [];

  const baseSha = (): Promise<string> => c.github.getRef(org, repo, `heads/${pr.base_ref}`);
  const buildAllButDrafts = async (): Promise<string[]> => {
    if (pr.draft) {
      c.log.info({ org, repo, pr: pr.number }, 'skipping all jobs for draft PR');
      return [];
    }
    const changes = lazyChanges(() => c.github.getPullRequestChanges(org, repo, pr.number));
    const toTest = await filterPresubmits(testAllFilter, changes, pr.base_ref, presubmits);
    const deps = { store: c.store, now: c.now, namespace: c.getConfig().prow.prowjob_namespace };
    return runRequested(deps, prRef(ev, pr), await baseSha(), toTest, ev.delivery);
  };
  const buildAllIfTrusted = async (): Promise<string[]> => {
    // TrustedPullRequest: labels are consulted only when the author is not trusted, so (as in
    // Prow) needs-ok-to-test is removed only from PRs trusted through their ok-to-test label.
    const authorTrusted = (await trustedUser(c.github, trigger, pr.author, org, repo)).trusted;
    if (!authorTrusted && !pr.labels.includes('ok-to-test')) return [];
    if (!authorTrusted && pr.labels.includes('needs-ok-to-test')) {
      const label = 'needs-ok-to-test';
      await c.responder.send({ kind: 'remove-label', org, repo, number: pr.number, label });
    }
    return buildAllButDrafts();
  };

  switch (ev.action) {
    case 'opened': {
      if ((await trustedUser(c.github, trigger, pr.author, org, repo)).trusted) {
        if (pr.draft) {
          c.log.info({ org, repo, pr: pr.number }, 'skipping all jobs for draft PR');
          await c.responder.send({
            kind: 'comment',
            org,
            repo,
            number: pr.number,
            body: DRAFT_MESSAGE,
          });
          return [];
        }
        return buildAllButDrafts();
      }
      c.log.info(
        { org, repo, pr: pr.number, author: pr.author },
        'untrusted PR author: welcome message',
      );
      const joinOrgURL = trigger.join_org_url || `https://github.com/orgs/${org}/people`;
      const isBot = authorIsBot(ev, pr.author);
      const guidance = trigger.ignore_ok_to_test
        ? ''
        : await orgInvitationGuidance(c.github, trigger, org, pr.author, isBot, joinOrgURL);
      if (!trigger.ignore_ok_to_test && !pr.labels.includes('ok-to-test')) {
        // Bots may have added ok-to-test already; then needs-ok-to-test is not added.
        const label = 'needs-ok-to-test';
        await c.responder.send({ kind: 'add-label', org, repo, number: pr.number, label });
      }
      const body = welcomeMessage({ trigger, org, repo, author: pr.author, guidance });
      await c.responder.send({ kind: 'comment', org, repo, number: pr.number, body });
      return [];
    }
    case 'reopened':
    case 'ready_for_review':
      return buildAllIfTrusted();
    case 'edited':
      return ev.base_changed ? buildAllIfTrusted() : [];
    case 'synchronize':
      await abortAllJobs(c, org, repo, pr.number);
      return buildAllIfTrusted();
    case 'labeled':
      if (
        ev.label === 'lgtm' &&
        !(await trustedPullRequest(c.github, trigger, pr.author, org, repo, pr.labels))
      ) {
        return buildAllButDrafts();
      }
      if (ev.label === 'ok-to-test') {
        if (ev.sender && ev.sender === (await c.github.botLogin())) return [];
        return buildAllButDrafts();
      }
      return [];
    case 'closed':
    case 'converted_to_draft':
      await abortAllJobs(c, org, repo, pr.number);
      return [];
    default:
      return [];
  }
}
