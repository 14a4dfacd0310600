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
