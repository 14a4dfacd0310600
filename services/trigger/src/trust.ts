// Who may trigger tests (pkg/plugins/trigger/trigger.go TrustedUser, pull-request.go
// TrustedPullRequest).
import type { Trigger } from '@jetprow/config';

export interface TrustClient {
  isMember(org: string, user: string): Promise<boolean>;
  isCollaborator(org: string, repo: string, user: string): Promise<boolean>;
  botLogin(): Promise<string | undefined>;
}

export interface TrustResult {
  trusted: boolean;
  reason?: string;
}

export async function trustedUser(
  gh: TrustClient,
  trigger: Trigger,
  user: string,
  org: string,
  repo: string,
): Promise<TrustResult> {
  if (user && user === (await gh.botLogin())) return { trusted: true };
  if (await gh.isMember(org, user)) return { trusted: true };
  if (!trigger.only_org_members && (await gh.isCollaborator(org, repo, user)))
    return { trusted: true };
  for (const app of trigger.trusted_apps) {
    if (user.endsWith('[bot]') && user.slice(0, -'[bot]'.length) === app) return { trusted: true };
  }
  const trustedOrg = trigger.trusted_org;
  if (trustedOrg === '' || trustedOrg === org) {
    return {
      trusted: false,
      reason: trigger.only_org_members
        ? 'not a member of the org'
        : 'not a member of the org, not a collaborator',
    };
  }
  if (await gh.isMember(trustedOrg, user)) return { trusted: true };
  return { trusted: false, reason: 'not a member of the org or of the trusted org' };
}

/** A PR is trusted when its author is, or when it carries the `ok-to-test` label. */
export async function trustedPullRequest(
  gh: TrustClient,
  trigger: Trigger,
  author: string,
  org: string,
  repo: string,
  labels: string[],
): Promise<boolean> {
  if ((await trustedUser(gh, trigger, author, org, repo)).trusted) return true;
  return labels.includes('ok-to-test');
}
