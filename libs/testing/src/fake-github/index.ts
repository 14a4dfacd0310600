// The fake GitHub for tests: @jetprow/fake-github's server with every request and response body
// checked against GitHub's OpenAPI description (@octokit/openapi, see openapi.ts). The CLI's
// sandbox serves the same fake from @jetprow/fake-github, without that validation.
import {
  createFakeGitHubApp as createUnvalidatedApp,
  startFakeGitHub as startUnvalidated,
  type FakeGitHub,
  type FakeGitHubOptions,
} from '@jetprow/fake-github';
import { openApiValidator } from './openapi.js';

const validated = (opts: FakeGitHubOptions): FakeGitHubOptions => ({
  ...opts,
  validator: opts.validator ?? openApiValidator,
});

/**
 * The fake as a hono app (serve it, or call `app.request()`). The first app in a process loads
 * GitHub's REST description and compiles the validators of every route (well under a second), so
 * no request pays for it.
 */
export function createFakeGitHubApp(
  opts: FakeGitHubOptions = {},
): ReturnType<typeof createUnvalidatedApp> {
  return createUnvalidatedApp(validated(opts));
}

/** Serves the validating fake on 127.0.0.1, on a free port. */
export function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return startUnvalidated(validated(opts));
}

export {
  GitHubError,
  type FakeGitHub,
  type FakeGitHubOptions,
  FakeGitHubState,
  fakeSha,
  type ChangedFile,
  type CommitStatus,
  type FileStatus,
  type Issue,
  type IssueComment,
  type IssueSeed,
  type Label,
  type PullRequest,
  type PullRequestSeed,
  type Repo,
  type StatusState,
  type User,
  FakeApps,
  type FakeApp,
  type FakeAppSeed,
  type InstallationToken,
  FakeRateLimits,
  type LimitRecord,
  type RateLimitOptions,
  type Refusal,
  type SecondaryLimit,
} from '@jetprow/fake-github';
