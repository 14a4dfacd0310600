// What every trigger handler works with.
import type { LoadedConfig, Presubmit } from '@jetprow/config';
import type { GitHubReader } from '@jetprow/github';
import type { Log } from '@jetprow/bus';
import type { JobStore } from '@jetprow/store';
import type { Responder } from './responder.js';
import type { TrustClient } from './trust.js';
import type { MergedPullRequestCounter } from './welcome.js';

/** Every GitHub read trigger makes (the narrow interface; writes are intents). */
export type TriggerGitHub = GitHubReader & TrustClient & MergedPullRequestCounter;

export interface TriggerClient {
  store: JobStore;
  github: TriggerGitHub;
  responder: Responder;
  getConfig: () => LoadedConfig;
  log: Log;
  now: () => Date;
}

export function presubmitsFor(c: TriggerClient, org: string, repo: string): Presubmit[] {
  return c.getConfig().jobs.presubmits[`${org}/${repo}`] ?? [];
}
