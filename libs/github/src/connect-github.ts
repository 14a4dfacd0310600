// The one way a service gets its GitHub client from Prow's flags: `--github-token-path`, or a
// GitHub App (`--github-app-id` + `--github-app-private-key-path`), or nothing (anonymous).
import type { Octokit } from '@octokit/rest';
import { readFileSync } from 'node:fs';
import { appAuth, type AppAuth } from './app-auth.js';
import { anonymousAuth, tokenAuth, type GitHubAuth } from './auth.js';
import { createOctokit, readToken, type GitHubClientOptions } from './client.js';

export interface ConnectGitHubOptions extends Omit<GitHubClientOptions, 'auth'> {
  /** Prow's --github-token-path (read once); `token` gives the token itself. */
  tokenPath?: string;
  appId?: string;
  appPrivateKeyPath?: string;
  /** Renew App installation tokens this long before they expire (default 5 min). */
  appTokenRefreshBeforeMs?: number;
}

export interface GitHubConnection {
  octokit: Octokit;
  auth: GitHubAuth;
  /** The bot as GitHub names it on comments: the token's user, or `<app-slug>[bot]`. */
  botLogin(): Promise<string>;
}

export function readAppPrivateKey(path: string): string {
  const pem = readFileSync(path, 'utf8');
  if (!pem.trim()) throw new Error(`GitHub App private key file ${path} is empty`);
  return pem;
}

export function connectGitHub(opts: ConnectGitHubOptions): GitHubConnection {
  const { token, tokenPath, appId, appPrivateKeyPath, appTokenRefreshBeforeMs, ...client } = opts;
  let auth: GitHubAuth;
  let app: AppAuth | undefined;
  if (appId !== undefined && appPrivateKeyPath !== undefined) {
    // App endpoints are called with a JWT the app auth sets itself: a bare client carries it.
    const bare = createOctokit({ ...client, auth: anonymousAuth() });
    app = appAuth({
      appId,
      privateKey: readAppPrivateKey(appPrivateKeyPath),
      request: (route, params) => bare.request(route, params),
      ...(client.now ? { now: client.now } : {}),
      ...(appTokenRefreshBeforeMs === undefined
        ? {}
        : { refreshBeforeMs: appTokenRefreshBeforeMs }),
    });
    auth = app;
  } else {
    const secret = token ?? (tokenPath ? readToken(tokenPath) : undefined);
    auth = secret ? tokenAuth(secret) : anonymousAuth();
  }
  const octokit = createOctokit({ ...client, auth });
  let login: Promise<string> | undefined;
  return {
    octokit,
    auth,
    botLogin() {
      login ??= (
        app
          ? app.slug().then((slug) => `${slug}[bot]`)
          : octokit.rest.users.getAuthenticated().then((r) => r.data.login)
      ).catch((err: unknown) => {
        login = undefined; // ask again next time
        throw err;
      });
      return login;
    },
  };
}
