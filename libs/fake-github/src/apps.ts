// GitHub Apps in the fake: apps authenticate as themselves with an RS256 JWT signed by their
// private key (checked against the public key the test gives), and mint installation tokens
// that act as `<slug>[bot]` for one installation until they expire.
import { createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto';

export interface FakeAppSeed {
  id: number;
  slug: string;
  /** PEM (or KeyObject) of the public half of the key the app signs its JWTs with. */
  publicKey: string | KeyObject;
  /** Where the app is installed: one installation per account (org or user). */
  installations: { id: number; account: string }[];
  /** Lifetime of installation tokens (GitHub: 1 hour). */
  tokenTtlMs?: number;
}

export interface FakeApp {
  id: number;
  slug: string;
  key: KeyObject;
  installations: { id: number; account: string }[];
  tokenTtlMs: number;
}

export interface InstallationToken {
  token: string;
  app: FakeApp;
  installation: number;
  expiresAtMs: number;
}

/** Why GitHub refuses a JWT (its 401 wording). */
export class JwtError extends Error {
  override readonly name = 'JwtError';
}

const MAX_JWT_LIFETIME_S = 600;
const CLOCK_SKEW_S = 60;

export class FakeApps {
  readonly #apps = new Map<number, FakeApp>();
  readonly #tokens = new Map<string, InstallationToken>();
  /** Every installation token minted, in order (for assertions on refresh). */
  readonly minted: InstallationToken[] = [];

  constructor(seeds: FakeAppSeed[] = []) {
    for (const s of seeds) {
      this.#apps.set(s.id, {
        id: s.id,
        slug: s.slug,
        key: typeof s.publicKey === 'string' ? createPublicKey(s.publicKey) : s.publicKey,
        installations: s.installations,
        tokenTtlMs: s.tokenTtlMs ?? 3600_000,
      });
    }
  }

  get size(): number {
    return this.#apps.size;
  }

  /** The app whose valid JWT this is, or a JwtError with GitHub's reason. */
  verifyJwt(jwt: string, nowMs: number): FakeApp {
    const [h, p, sig] = jwt.split('.');
    if (!h || !p || !sig) throw new JwtError('A JSON web token could not be decoded');
    let header: { alg?: unknown };
    let claims: { iat?: unknown; exp?: unknown; iss?: unknown };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      throw new JwtError('A JSON web token could not be decoded');
    }
    const app = this.#apps.get(Number(claims.iss));
    if (header.alg !== 'RS256' || !app) {
      throw new JwtError(`Integration not found`);
    }
    const ok = createVerify('RSA-SHA256')
      .update(`${h}.${p}`)
      .verify(app.key, Buffer.from(sig, 'base64url'));
    if (!ok) throw new JwtError('A JSON web token could not be decoded');
    const now = Math.floor(nowMs / 1000);
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!Number.isInteger(iat) || iat > now + CLOCK_SKEW_S) {
      throw new JwtError(
        "'Issued at' claim ('iat') must be an Integer representing a time in the past",
      );
    }
    if (!Number.isInteger(exp) || exp - iat > MAX_JWT_LIFETIME_S + CLOCK_SKEW_S) {
      throw new JwtError("'Expiration time' claim ('exp') is too far in the future");
    }
    if (exp <= now)
      throw new JwtError(
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    return app;
  }

  mint(app: FakeApp, installation: number, nowMs: number): InstallationToken | undefined {
    if (!app.installations.some((i) => i.id === installation)) return undefined;
    const t: InstallationToken = {
      token: `ghs_${randomBytes(18).toString('base64url')}`,
      app,
      installation,
      expiresAtMs: nowMs + app.tokenTtlMs,
    };
    this.#tokens.set(t.token, t);
    this.minted.push(t);
    return t;
  }

  /** A live installation token, or undefined (unknown or expired: GitHub says "Bad credentials"). */
  token(token: string, nowMs: number): InstallationToken | undefined {
    const t = this.#tokens.get(token);
    return t && t.expiresAtMs > nowMs ? t : undefined;
  }
}
