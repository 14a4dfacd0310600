// GitHub App authentication (Prow's appsRoundTripper, pkg/github/app_auth_roundtripper.go):
// `/app/…` endpoints are called with the app's JWT; everything else with an installation token
// of the organization the request concerns. Installations are found by listing the app's
// installations; tokens are cached per installation and renewed before they expire.
import { isAppEndpoint, requestPath } from './request-org.js';
import { parseAppPrivateKey, signAppJwt, type AppJwt } from './app-jwt.js';
import type { AuthTarget, GitHubAuth } from './auth.js';

/** A bare request to GitHub (no auth hook); `headers.authorization` is set by the caller. */
export type AppRequest = (
  route: string,
  params: Record<string, unknown>,
) => Promise<{ data: unknown; headers?: Record<string, unknown> }>;

export interface AppAuthOptions {
  appId: string;
  /** The app's private key, PEM. */
  privateKey: string;
  request: AppRequest;
  now?: () => number;
  /** Renew an installation token this long before it expires (default 5 min; tokens last 1 h). */
  refreshBeforeMs?: number;
}

export class AppAuthError extends Error {
  override readonly name: string = 'AppAuthError';
}

/** The app has no installation on this account: nothing can authorize requests about it. */
export class AppNotInstalledError extends AppAuthError {
  override readonly name = 'AppNotInstalledError';
}

export interface AppAuth extends GitHubAuth {
  readonly kind: 'app';
  /** The app's slug (GET /app); its comments are signed `<slug>[bot]`. */
  slug(): Promise<string>;
}

interface InstallationToken {
  token: string;
  expiresAtMs: number;
}

/** Don't list installations again for an account found missing for this long. */
const MISSING_RETRY_MS = 60_000;
const JWT_REUSE_MARGIN_MS = 60_000;

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function appAuth(opts: AppAuthOptions): AppAuth {
  const key = parseAppPrivateKey(opts.privateKey);
  const now = opts.now ?? Date.now;
  const refreshBeforeMs = opts.refreshBeforeMs ?? 5 * 60_000;
  let jwt: AppJwt | undefined;
  let installations: Map<string, number> | undefined;
  let listing: Promise<Map<string, number>> | undefined;
  const missing = new Map<string, number>();
  const tokens = new Map<number, InstallationToken>();
  const minting = new Map<number, Promise<InstallationToken>>();
  let slug: Promise<string> | undefined;

  const bearer = (): string => {
    if (!jwt || jwt.expiresAtMs - now() < JWT_REUSE_MARGIN_MS) {
      jwt = signAppJwt(opts.appId, key, now());
    }
    return `Bearer ${jwt.token}`;
  };
  const asApp = (route: string, params: Record<string, unknown> = {}) =>
    opts.request(route, { ...params, headers: { authorization: bearer() } });

  async function listInstallations(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let page = 1; ; page++) {
      const { data } = await asApp('GET /app/installations', { per_page: 100, page });
      const items = Array.isArray(data) ? data : [];
      for (const item of items) {
        const i = record(item);
        const login = record(i.account).login;
        if (typeof login === 'string' && typeof i.id === 'number')
          out.set(login.toLowerCase(), i.id);
      }
      if (items.length < 100) return out;
    }
  }

  async function installationFor(org: string): Promise<number> {
    const account = org.toLowerCase();
    const known = installations?.get(account);
    if (known !== undefined) return known;
    const missedAt = missing.get(account);
    if (missedAt === undefined || now() - missedAt >= MISSING_RETRY_MS) {
      listing ??= listInstallations().finally(() => (listing = undefined));
      installations = await listing;
      const found = installations.get(account);
      if (found !== undefined) return found;
      missing.set(account, now());
    }
    throw new AppNotInstalledError(`GitHub App ${opts.appId} is not installed on ${org}`);
  }

  async function mint(installation: number): Promise<InstallationToken> {
    const { data } = await asApp('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: installation,
    });
    const d = record(data);
    const expiresAtMs = Date.parse(String(d.expires_at));
    if (typeof d.token !== 'string' || Number.isNaN(expiresAtMs)) {
      throw new AppAuthError(`installation ${installation}: GitHub sent no usable token`);
    }
    const token = { token: d.token, expiresAtMs };
    tokens.set(installation, token);
    return token;
  }

  async function tokenFor(installation: number): Promise<string> {
    const cached = tokens.get(installation);
    if (cached && cached.expiresAtMs - now() > refreshBeforeMs) return cached.token;
    let pending = minting.get(installation);
    if (!pending) {
      pending = mint(installation).finally(() => minting.delete(installation));
      minting.set(installation, pending);
    }
    return (await pending).token;
  }

  return {
    kind: 'app',
    async authorization(target: AuthTarget) {
      if (isAppEndpoint(target.url)) return bearer();
      if (!target.org) {
        throw new AppAuthError(
          `GitHub App auth: ${requestPath(target.url)} concerns no organization, so no installation can authorize it`,
        );
      }
      return `token ${await tokenFor(await installationFor(target.org))}`;
    },
    budget: (org) => `app-${opts.appId}-${(org ?? '').toLowerCase()}`,
    invalidate(org) {
      if (!org) return;
      const installation = installations?.get(org.toLowerCase());
      if (installation !== undefined) tokens.delete(installation);
      installations?.delete(org.toLowerCase());
    },
    slug() {
      slug ??= asApp('GET /app')
        .then(({ data }) => {
          const s = record(data).slug;
          if (typeof s !== 'string' || !s) throw new AppAuthError('GET /app returned no slug');
          return s;
        })
        .catch((err: unknown) => {
          slug = undefined; // ask again next time
          throw err;
        });
      return slug;
    },
  };
}
