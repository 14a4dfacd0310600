// GitHub Apps rendered as GitHub's JSON (integration, installation, installation token).
import type { FakeApp, InstallationToken } from './apps.js';
import { simpleUser, type Bases } from './render.js';
import { timestamp, type FakeGitHubState } from './state.js';

const PERMISSIONS = {
  issues: 'write',
  pull_requests: 'write',
  statuses: 'write',
  metadata: 'read',
  members: 'read',
};
const EVENTS = ['issue_comment', 'pull_request', 'push', 'status'];
const EPOCH = '2020-01-01T00:00:00Z';

const accountType = (state: FakeGitHubState, login: string) =>
  state.isOrg(login) ? 'Organization' : 'User';

export function integration(b: Bases, state: FakeGitHubState, app: FakeApp) {
  const ownerLogin = app.installations[0]?.account ?? `${app.slug}-owner`;
  return {
    id: app.id,
    slug: app.slug,
    node_id: `A_${app.id}`,
    client_id: `Iv1.${app.id.toString(16).padStart(16, '0')}`,
    owner: simpleUser(b, state.user(ownerLogin), accountType(state, ownerLogin)),
    name: app.slug,
    description: null,
    external_url: `${b.web}/apps/${app.slug}`,
    html_url: `${b.web}/apps/${app.slug}`,
    created_at: EPOCH,
    updated_at: EPOCH,
    permissions: PERMISSIONS,
    events: EVENTS,
    installations_count: app.installations.length,
  };
}

export function installation(
  b: Bases,
  state: FakeGitHubState,
  app: FakeApp,
  inst: { id: number; account: string },
) {
  const account = state.user(inst.account);
  const type = accountType(state, inst.account);
  return {
    id: inst.id,
    // GitHub's description of list-installations has `account: allOf [simple-user, enterprise]`,
    // so the account carries the enterprise fields too (name, slug, dates).
    account: {
      ...simpleUser(b, account, type),
      name: account.login,
      slug: account.login.toLowerCase(),
      description: null,
      website_url: null,
      created_at: EPOCH,
      updated_at: EPOCH,
    },
    repository_selection: 'all',
    access_tokens_url: `${b.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${b.api}/installation/repositories`,
    html_url: `${b.web}/organizations/${inst.account}/settings/installations/${inst.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: type,
    permissions: PERMISSIONS,
    events: EVENTS,
    created_at: EPOCH,
    updated_at: EPOCH,
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}

export function installationToken(t: InstallationToken) {
  return {
    token: t.token,
    expires_at: timestamp(new Date(t.expiresAtMs)),
    permissions: PERMISSIONS,
    repository_selection: 'all',
  };
}
