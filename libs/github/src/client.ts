// GitHub access for jetprow. Every service may READ (through a narrow interface); only reporter
// WRITES. Production and tests use the same real @octokit/rest; only the base URL differs.
import { Octokit } from '@octokit/rest';
import { readFileSync } from 'node:fs';

export interface GitHubClientOptions {
  /** API base URL (Prow's --github-endpoint), e.g. https://api.github.com or http://127.0.0.1:PORT */
  baseUrl: string;
  token?: string;
  userAgent?: string;
}

export function readToken(path: string): string {
  const token = readFileSync(path, 'utf8').trim();
  if (!token) throw new Error(`GitHub token file ${path} is empty`);
  return token;
}

export function createOctokit(opts: GitHubClientOptions): Octokit {
  return new Octokit({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    auth: opts.token,
    userAgent: opts.userAgent ?? 'jetprow',
    request: { timeout: 10_000 },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

/** True when the request failed with this HTTP status (Octokit's RequestError carries `status`). */
export function hasStatus(err: unknown, status: number): boolean {
  return typeof err === 'object' && err !== null && (err as { status?: number }).status === status;
}
