// Comments that ask for tests (pkg/plugins/trigger/generic-comment.go handleGenericComment).
import type { EventComment, GitHubEvent } from '@jetprow/schemas';
import { Labels } from '@jetprow/schemas';
import type { Trigger } from '@jetprow/config';
import { triggerMatches } from '@jetprow/config';
import {
  OkToTestCancelRe,
  OkToTestRe,
  RetestRe,
  RetestRequiredRe,
  TestAllRe,
  TestManualRequiredRe,
  dropCodeBlock,
  HELP_COMMENT_MARKERS,
  helpMessage,
  matches,
  mayNeedHelpComment,
  shouldPruneHelp,
  shouldRespondWithHelp,
} from './commands.js';
import {
  filterPresubmits,
  lazyChanges,
  presubmitFilter,
  testAllFilter,
  commandFilter,
  aggregate,
} from './filters.js';
import { presubmitsFor, type TriggerClient } from './context.js';
import { formatResponseRaw } from './responder.js';
import { runRequested } from './run-requested.js';
import { trustedPullRequest, trustedUser } from './trust.js';

function commentMatchesTrigger(
  text: string,
  presubmits: ReturnType<typeof presubmitsFor>,
): boolean {
  return (
    [
      RetestRe,
      RetestRequiredRe,
      TestManualRequiredRe,
      OkToTestRe,
      OkToTestCancelRe,
      TestAllRe,
    ].some((r) => matches(r, text)) ||
    mayNeedHelpComment(text) ||
    presubmits.some((p) => triggerMatches(p, text))
  );
}

export async function handleGenericComment(
  c: TriggerClient,
  trigger: Trigger,
  ev: GitHubEvent,
  gc: EventComment,
): Promise<string[]> {
  const { org, repo } = ev;
  if (gc.action !== 'created' || !gc.is_pr || gc.issue_state !== 'open') return [];
  if (gc.author && gc.author === (await c.github.botLogin())) return [];

  const presubmits = presubmitsFor(c, org, repo);
  const text = dropCodeBlock(gc.body);
  if (!commentMatchesTrigger(text, presubmits)) return [];
  const honorOkToTest = trigger.ignore_ok_to_test !== true;
  const reply = (response: string): Promise<void> =>
    c.responder.send({
      kind: 'comment',
      org,
      repo,
      number: gc.number,
      body: formatResponseRaw(gc.body, gc.html_url, gc.author, response),
    });

  const commenter = await trustedUser(c.github, trigger, gc.author, org, repo);
  const pr = await c.github.getPullRequest(org, repo, gc.number);
  let labels = pr.labels;
  if (!commenter.trusted) {
    if (!(await trustedPullRequest(c.github, trigger, gc.issue_author, org, repo, labels))) {
      c.log.info(
        { org, repo, pr: gc.number, user: gc.author, reason: commenter.reason },
        'untrusted comment on untrusted PR: not triggering',
      );
      await reply(
        honorOkToTest
          ? 'Cannot trigger testing until a trusted user reviews the PR and leaves an `/ok-to-test` message.'
          : 'PRs from untrusted users cannot be marked as trusted with `/ok-to-test` in this repo meaning untrusted PR authors can never trigger tests themselves. Collaborators can still trigger tests on the PR using `/test`.',
      );
      return [];
    }
  }

  const isOkToTest = honorOkToTest && matches(OkToTestRe, text);
  if (isOkToTest && !labels.includes('ok-to-test')) {
    await c.responder.send({
      kind: 'add-label',
      org,
      repo,
      number: gc.number,
      label: 'ok-to-test',
    });
    labels = [...labels, 'ok-to-test'];
  }
  if ((isOkToTest || labels.includes('ok-to-test')) && labels.includes('needs-ok-to-test')) {
    await c.responder.send({
      kind: 'remove-label',
      org,
      repo,
      number: gc.number,
      label: 'needs-ok-to-test',
    });
  }
  if (honorOkToTest && matches(OkToTestCancelRe, text)) {
    if (!commenter.trusted) {
      await reply('Only trusted users can revoke `/ok-to-test`.');
      return [];
    }
    if (labels.includes('ok-to-test')) {
      await c.responder.send({
        kind: 'remove-label',
        org,
        repo,
        number: gc.number,
        label: 'ok-to-test',
      });
    }
    if (!labels.includes('needs-ok-to-test')) {
      await c.responder.send({
        kind: 'add-label',
        org,
        repo,
        number: gc.number,
        label: 'needs-ok-to-test',
      });
    }
    return [];
  }

  const baseSha = await c.github.getRef(org, repo, `heads/${pr.base_ref}`);
  const changes = lazyChanges(() => c.github.getPullRequestChanges(org, repo, pr.number));
  const filter = await presubmitFilter(
    honorOkToTest,
    async () => {
      const statuses = await c.github.getCombinedStatus(org, repo, pr.head_sha);
      const failed = new Set(
        [...statuses].filter(([, s]) => s === 'failure' || s === 'error').map(([ctx]) => ctx),
      );
      return { failed, all: new Set(statuses.keys()) };
    },
    // As Prow: the filter reads the raw body; code blocks only keep a comment from triggering.
    gc.body,
  );
  const toTest = await filterPresubmits(filter, changes, pr.base_ref, presubmits);
  const help = shouldRespondWithHelp(text, toTest.length);
  if (help.help) {
    const testAll = await filterPresubmits(testAllFilter, changes, pr.base_ref, presubmits);
    const byTrigger = await filterPresubmits(
      aggregate(presubmits.map((p) => commandFilter(p.rerun_command))),
      changes,
      pr.base_ref,
      presubmits,
    );
    const optional = new Set(byTrigger.filter((p) => p.optional).map((p) => p.rerun_command));
    const required = new Set(byTrigger.filter((p) => !p.optional).map((p) => p.rerun_command));
    await reply(
      helpMessage(
        org,
        repo,
        pr.base_ref,
        help.note,
        new Set(testAll.map((p) => p.name)),
        optional,
        required,
      ),
    );
    return [];
  }
  if (shouldPruneHelp(text)) {
    // A /test or /retest that runs: earlier help comments of the bot have done their job.
    const markers = [...HELP_COMMENT_MARKERS];
    await c.responder.send({
      kind: 'prune-comments',
      org,
      repo,
      number: gc.number,
      body_contains: markers,
    });
  }
  const extraLabels: Record<string, string> =
    matches(RetestRe, text) || matches(RetestRequiredRe, text) ? { [Labels.retest]: 'true' } : {};
  return runRequested(
    { store: c.store, now: c.now, namespace: c.getConfig().prow.prowjob_namespace },
    { org, repo, ...pr },
    baseSha,
    toTest,
    ev.delivery,
    extraLabels,
  );
}
