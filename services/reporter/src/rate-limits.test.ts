// GitHub's rate-limit answers, handled as GitHub documents ("best practices for handling rate
// limits"): after a secondary-limit 403 nothing is sent before `retry-after`; when the primary
// quota is spent (x-ratelimit-remaining: 0) nothing is sent before `x-ratelimit-reset`. The fake
// GitHub enforces both with short windows so the suite takes seconds.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { silentLog, type Bus } from '@jetprow/bus';
import { createOctokit } from '@jetprow/github';
import type { ProwJob } from '@jetprow/schemas';
import { type KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '@jetprow/testing';
import { startReporter, type Reporter } from './reporter.js';
import { reporterGitHub } from './github.js';
import {
  BASE_SHA,
  HEAD_SHA,
  nudgeReport,
  presubmitJob,
  reporterConfig,
  setState,
} from '../testing/fixtures.js';

let h: StoreHarness | undefined;
let bus: Bus;
let store: KvJobStore;
let gh: FakeGitHub | undefined;
let reporter: Reporter | undefined;
let registry: Registry;
let run = 0;

beforeAll(async () => {
  h = await startStoreHarness('rate-limit-test', { streams: true });
  ({ bus, store } = h);
});
afterEach(async () => {
  await reporter?.stop();
  await gh?.close();
});
afterAll(async () => {
  await h?.close();
});

/** A fake GitHub with `opts`, and a reporter with its own token (its own quota) on it. */
async function setup(opts: FakeGitHubOptions, concurrency = 4) {
  const token = `token-${++run}`;
  gh = await startFakeGitHub(opts);
  gh.state.addPullRequest({
    owner: 'acme',
    repo: 'widgets',
    number: 12,
    head: { sha: HEAD_SHA },
    base: { sha: BASE_SHA },
  });
  registry = new Registry();
  reporter = await startReporter({
    bus,
    store,
    github: reporterGitHub({ baseUrl: gh.url, token, log: silentLog }),
    // Pacing that does not know the fake's limits: the answers must do the work.
    writeLimits: [{ count: 1000, windowMs: 1000 }],
    log: silentLog,
    registry,
    // Statuses only: the failure-comment path would read comments on the same quota.
    config: () => reporterConfig({ no_comment_repos: ['acme'] }),
    concurrency,
  });
  return { gh, identity: `token:${token}`, token };
}

async function report(count: number): Promise<string[]> {
  const contexts: string[] = [];
  for (let i = 0; i < count; i++) {
    const context = `ctx-${run}-${i}`;
    const pj: ProwJob = presubmitJob(`pj-${run}-${i}`, { context });
    setState(pj, 'success');
    await store.create(pj);
    await nudgeReport(bus, pj);
    contexts.push(context);
  }
  return contexts;
}
const landed = (g: FakeGitHub, contexts: string[]) =>
  g.state
    .statuses(g.state.repo('acme', 'widgets')!, HEAD_SHA)
    .filter((s) => contexts.includes(s.context)).length;

describe('rate-limit answers', () => {
  it('secondary limit (403 + retry-after): nothing is sent until retry-after, then all statuses land', async () => {
    const { gh, identity } = await setup({ secondaryRateLimits: [{ writes: 3, windowMs: 1500 }] });
    const contexts = await report(6);
    await expect.poll(() => landed(gh, contexts), { timeout: 20_000 }).toBe(6);
    const refused = gh.limits.refused.filter((r) => r.identity === identity);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const first = refused[0]!.at;
    // Writes already on their way when the first refusal came may be refused too; after that
    // nothing is sent until the retry-after GitHub gave (at least a second) has passed.
    const attempts = [...gh.limits.writes, ...refused]
      .filter((w) => w.identity === identity)
      .map((w) => w.at);
    expect(attempts.filter((at) => at > first + 300 && at < first + 1000)).toEqual([]);
    expect(refused.every((r) => r.at < first + 300)).toBe(true);
    expect(await registry.metrics()).toMatch(
      /jetprow_reporter_writes_total\{kind="status",outcome="rate_limited"\} [1-9]/,
    );
  });

  it('primary quota spent (x-ratelimit-remaining: 0 on an answer): waits for x-ratelimit-reset without a 403', async () => {
    const { gh, identity } = await setup({ rateLimit: 3, rateLimitWindowMs: 2000 }, 1);
    const contexts = await report(5);
    await expect.poll(() => landed(gh, contexts), { timeout: 20_000 }).toBe(5);
    expect(gh.limits.refused).toEqual([]);
    const writes = gh.limits.writes.filter((w) => w.identity === identity).map((w) => w.at);
    // The fourth write waited for the window's reset (2 s after the first).
    expect(writes[3]! - writes[0]!).toBeGreaterThanOrEqual(1900);
    expect(await registry.metrics()).toMatch(
      /jetprow_github_rate_limit_remaining\{budget="token-[0-9a-f]{8}"\} \d/,
    );
  });

  it('primary quota spent by another client (403, remaining 0): waits for the reset, then writes', async () => {
    const { gh, identity, token } = await setup({ rateLimit: 2, rateLimitWindowMs: 2000 }, 1);
    const other = createOctokit({ baseUrl: gh.url, token });
    await other.rest.users.getAuthenticated();
    await other.rest.users.getAuthenticated();
    const spentAt = Date.now();
    const contexts = await report(1);
    await expect.poll(() => landed(gh, contexts), { timeout: 20_000 }).toBe(1);
    const refused = gh.limits.refused.filter((r) => r.identity === identity);
    expect(refused.map((r) => r.kind)).toEqual(['primary']);
    expect(
      gh.limits.writes.find((w) => w.identity === identity)!.at - spentAt,
    ).toBeGreaterThanOrEqual(1500);
  });
});
