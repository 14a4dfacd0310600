// The comments trigger writes on a new PR (pkg/plugins/trigger/pull-request.go welcomeMsg,
// orgInvitationGuidance, draftMsg), word for word.
import type { Trigger } from '@jetprow/config';
import { ABOUT_THIS_BOT } from './responder.js';

/** The optional GitHub read behind the "join the org" tip: merged PRs by `author` in `org`. */
export interface MergedPullRequestCounter {
  countMergedPullRequests?(org: string, author: string): Promise<number>;
}

export const DRAFT_MESSAGE =
  'Skipping CI for Draft Pull Request.\nIf you want CI signal for your change, please convert it to an actual PR.\nYou can still manually trigger a test run with `/test all`';

/** orgInvitationGuidance: the louder tip for authors with several merged PRs in the org. */
export async function orgInvitationGuidance(
  gh: MergedPullRequestCounter,
  trigger: Trigger,
  org: string,
  author: string,
  authorIsBot: boolean,
  joinOrgURL: string,
): Promise<string> {
  const regular = `Regular contributors should [join the org](${joinOrgURL}) to skip this step.`;
  const cfg = trigger.org_invite.prominent;
  if (cfg.disabled || authorIsBot || !gh.countMergedPullRequests) return regular;
  let merged: number;
  try {
    merged = await gh.countMergedPullRequests(org, author);
  } catch {
    return regular; // a failed search never blocks the welcome message
  }
  if (merged < cfg.merged_pr_threshold) return regular;
  if (cfg.message) return cfg.message.replaceAll('{join_org_url}', joinOrgURL);
  return `>[!TIP]\n>**We noticed you've done this a few times! Consider [joining the org](${joinOrgURL}) to skip this step and gain \`/lgtm\` and other bot rights.** We recommend asking approvers on your previous PRs to sponsor you.`;
}

export interface WelcomeInput {
  trigger: Trigger;
  org: string;
  repo: string;
  author: string;
  /** orgInvitationGuidance's text (unused with ignore_ok_to_test). */
  guidance: string;
}

/** welcomeMsg's comment. */
export function welcomeMessage({ trigger, org, repo, author, guidance }: WelcomeInput): string {
  const encodedRepo = encodeURIComponent(`${org}/${repo}`);
  const commandsUrl = `https://go.k8s.io/bot-commands?repo=${encodedRepo}`;
  const commands = `I understand the commands that are listed [here](${commandsUrl}).`;
  const details = `<details>\n\n${ABOUT_THIS_BOT}\n</details>\n`;
  if (trigger.ignore_ok_to_test) {
    return `Hi @${author}. Thanks for your PR.

PRs from untrusted users cannot be marked as trusted with \`/ok-to-test\` in this repo meaning untrusted PR authors can never trigger tests themselves. Collaborators can still trigger tests on the PR using \`/test all\`.

${commands}

${details}`;
  }
  const trustedOrg = trigger.trusted_org;
  const more =
    trustedOrg !== '' && trustedOrg !== org
      ? `or [${trustedOrg}](https://github.com/orgs/${trustedOrg}/people) `
      : '';
  return `Hi @${author}. Thanks for your PR.

I'm waiting for a [${org}](https://github.com/orgs/${org}/people) ${more}member to verify that this patch is reasonable to test. If it is, they should reply with \`/ok-to-test\` on its own line. Until that is done, I will not automatically test new commits in this PR, but the usual testing commands by org members will still work.

${guidance}

Once the patch is verified, the new status will be reflected by the \`ok-to-test\` label.

${commands}

${details}`;
}
