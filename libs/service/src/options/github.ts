// Prow's GitHub client flags (pkg/flagutil GitHubOptions): a token or a GitHub App, and the API
// endpoint; and the writer's own flags: --dry-run and the write pacing.
import { parseDuration } from '@jetprow/core';
import { bool, list, str, UsageError, type OptionGroup } from './group.js';
import { readableFile } from './files.js';

export interface GitHubOptions {
  githubTokenPath?: string;
  /** Prow's --github-endpoint (repeatable; the first is used). */
  githubEndpoint: string[];
  /** Prow's --github-app-id: authenticate as this GitHub App (with the private key). */
  githubAppId?: string;
  /** Prow's --github-app-private-key-path. */
  githubAppPrivateKeyPath?: string;
}

export const githubOptions: OptionGroup<GitHubOptions> = {
  title: 'GitHub',
  flags: [
    { name: 'github-token-path', arg: 'FILE', help: 'a personal access token' },
    { name: 'github-app-id', arg: 'ID', help: 'authenticate as this GitHub App' },
    { name: 'github-app-private-key-path', arg: 'FILE', help: "the App's private key (PEM)" },
    {
      name: 'github-endpoint',
      arg: 'URL',
      multiple: true,
      default: 'https://api.github.com',
      help: "GitHub's REST API",
    },
  ],
  parse(raw) {
    const githubTokenPath = readableFile(raw, 'github-token-path');
    const githubAppId = str(raw, 'github-app-id');
    const githubAppPrivateKeyPath = readableFile(raw, 'github-app-private-key-path');
    if (
      githubTokenPath !== undefined &&
      (githubAppId !== undefined || githubAppPrivateKeyPath !== undefined)
    ) {
      throw new UsageError(
        '--github-token-path cannot be combined with --github-app-id / --github-app-private-key-path',
      );
    }
    if ((githubAppId === undefined) !== (githubAppPrivateKeyPath === undefined)) {
      throw new UsageError(
        '--github-app-id and --github-app-private-key-path must be given together',
      );
    }
    if (githubAppId !== undefined && !/^\S+$/.test(githubAppId)) {
      throw new UsageError(`--github-app-id: "${githubAppId}" is not an app id`);
    }
    const githubEndpoint = list(raw, 'github-endpoint') ?? ['https://api.github.com'];
    for (const e of githubEndpoint) {
      if (!/^https?:\/\//.test(e))
        throw new UsageError(`--github-endpoint: "${e}" is not an http(s) URL`);
    }
    return { githubTokenPath, githubEndpoint, githubAppId, githubAppPrivateKeyPath };
  },
};

export interface WriteLimit {
  count: number;
  windowMs: number;
}

/** GitHub's secondary limits on content-creating requests: 80 a minute and 500 an hour. */
export const DEFAULT_GITHUB_WRITE_LIMITS = '80/1m,500/1h';

/** `80/1m,500/1h` → [{count 80, windowMs 60000}, {count 500, windowMs 3600000}] (Go durations). */
export function parseWriteLimits(raw: string): WriteLimit[] {
  return raw.split(',').map((part) => {
    const m = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(part);
    let windowMs = NaN;
    try {
      windowMs = m ? parseDuration(m[2]!) : NaN;
    } catch {
      // named below
    }
    const count = Number(m?.[1]);
    if (!m || count < 1 || !(windowMs > 0)) {
      throw new UsageError(
        `--github-write-limits: "${part.trim()}" is not COUNT/DURATION (e.g. ${DEFAULT_GITHUB_WRITE_LIMITS})`,
      );
    }
    return { count, windowMs };
  });
}

export interface GitHubWriteOptions {
  /** Prow's --dry-run: log GitHub writes instead of making them. */
  dryRun: boolean;
  /** Content-creating writes allowed per budget (token or App installation). */
  githubWriteLimits: WriteLimit[];
}

/** The GitHub writer's flags (reporter). Compose after githubOptions. */
export const githubWriteOptions: OptionGroup<GitHubWriteOptions> = {
  title: 'GitHub writes',
  flags: [
    {
      name: 'dry-run',
      boolean: true,
      default: 'true without credentials',
      help: 'log GitHub writes instead of making them',
    },
    {
      name: 'github-write-limits',
      arg: 'LIMITS',
      default: DEFAULT_GITHUB_WRITE_LIMITS,
      help: 'COUNT/DURATION,… content-creating writes per token or App installation, across replicas',
    },
  ],
  parse: (raw) => ({
    // Prow defaults --dry-run to true; jetprow too unless GitHub credentials are given.
    dryRun:
      bool(raw, 'dry-run') ??
      (raw['github-token-path'] === undefined && raw['github-app-id'] === undefined),
    githubWriteLimits: parseWriteLimits(
      str(raw, 'github-write-limits') ?? DEFAULT_GITHUB_WRITE_LIMITS,
    ),
  }),
};
