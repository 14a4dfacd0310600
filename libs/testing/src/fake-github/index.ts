export {
  createFakeGitHubApp,
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions,
} from './server.js';
export { GitHubError } from './routes.js';
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
