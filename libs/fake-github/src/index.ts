// The fake GitHub REST API as a production package: `jetprow all` serves it as a local sandbox
// when no GitHub credentials are given (`jetprow fakegithub` too), without schema validation.
// Tests use @jetprow/testing's wrappers, which validate against GitHub's OpenAPI description.
export {
  createFakeGitHubApp,
  fakeGitHubRoutes,
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
  type FakeGitHubValidator,
  type OperationChecks,
} from './server.js';
export { GitHubError, type Problem } from './routes.js';
export {
  operationInfo,
  operationKey,
  operations,
  type OperationInfo,
  type OperationsTable,
} from './operations.js';
export {
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
} from './state.js';
export { FakeApps, type FakeApp, type FakeAppSeed, type InstallationToken } from './apps.js';
export {
  FakeRateLimits,
  type LimitRecord,
  type RateLimitOptions,
  type Refusal,
  type SecondaryLimit,
} from './limits.js';
