// The GitHub App endpoints the fake implements: the app itself, its installations, and
// installation access tokens. All require the app's JWT (checked in server.ts).
import type { FakeApps } from './apps.js';
import * as render from './render-app.js';
import { GitHubError, notFound, type Call, type Route } from './routes.js';
import type { FakeGitHubState } from './state.js';

export function appRoutes(state: FakeGitHubState, apps: FakeApps): Route[] {
  const appOf = (c: Call) => {
    if (!c.app) throw new GitHubError(401, 'A JSON web token could not be decoded');
    return c.app;
  };
  return [
    {
      method: 'GET',
      path: '/app',
      handle: (c) => ({ body: render.integration(c.bases, state, appOf(c)) }),
    },
    {
      method: 'GET',
      path: '/app/installations',
      handle(c) {
        const app = appOf(c);
        return c.page(app.installations.map((i) => render.installation(c.bases, state, app, i)));
      },
    },
    {
      method: 'POST',
      path: '/app/installations/{installation_id}/access_tokens',
      handle(c) {
        const minted = apps.mint(appOf(c), Number(c.param('installation_id')), c.now);
        if (!minted) throw notFound();
        return { body: render.installationToken(minted) };
      },
    },
  ];
}
