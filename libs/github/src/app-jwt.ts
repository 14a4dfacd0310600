// The JSON Web Token a GitHub App authenticates as itself with (RS256, signed with the app's
// private key): docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/
// generating-a-json-web-token-jwt-for-a-github-app. Pure apart from the signature.
import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';

/** GitHub refuses JWTs valid for more than 10 minutes; 9 leaves room for clock drift (Prow). */
export const APP_JWT_LIFETIME_MS = 9 * 60_000;
/** `iat` is back-dated a minute, as GitHub recommends, against clock drift. */
const BACKDATE_MS = 60_000;

export class AppKeyError extends Error {
  override readonly name = 'AppKeyError';
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** Parses a PEM private key (PKCS#1 as GitHub issues them, or PKCS#8). */
export function parseAppPrivateKey(pem: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`a ${key.asymmetricKeyType} key`);
    return key;
  } catch (cause) {
    throw new AppKeyError('GitHub App private key: not an RSA private key in PEM form', { cause });
  }
}

export interface AppJwt {
  token: string;
  expiresAtMs: number;
}

export function signAppJwt(appId: string, key: KeyObject, nowMs: number): AppJwt {
  const iat = Math.floor((nowMs - BACKDATE_MS) / 1000);
  const exp = Math.floor((nowMs + APP_JWT_LIFETIME_MS) / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ iat, exp, iss: appId }));
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key);
  return { token: `${header}.${payload}.${b64url(signature)}`, expiresAtMs: exp * 1000 };
}
