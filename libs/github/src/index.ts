export { createOctokit, readToken, hasStatus } from './client.js';
export type { GitHubClientOptions } from './client.js';
export { octokitReader } from './reader.js';
export type { GitHubReader, PullRequestInfo } from './reader.js';
