// reporter authenticated as a GitHub App (--github-app-id, --github-app-private-key-path) against
// the fake GitHub: statuses and the failure comment are written with the org's installation
// token, as `<slug>[bot]`, and the bot recognises its own report comment under that name.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { silentLog, type Bus } from '@jetprow/bus';
import { GitHubReporterName, Labels } from '@jetprow/schemas';
import { type KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import { startFakeGitHub, type FakeGitHub } from '@jetprow/testing';
import { reporterGitHub } from './github.js';
import { COMMENT_TAG } from './report-comment.js';
import { startReporter, type Reporter } from './reporter.js';
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
let gh: FakeGitHub;
let reporter: Reporter;

beforeAll(async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'jetprow-app-'));
  const keyPath = join(dir, 'app.pem');
  writeFileSync(keyPath, privateKey.export({ type: 'pkcs1', format: 'pem' }));
  h = await startStoreHarness('app-test', { streams: true });
  ({ bus, store } = h);
  gh = await startFakeGitHub({
    strictShas: true,
    apps: [
      {
        id: 777,
        slug: 'jetprow-ci',
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        installations: [{ id: 9001, account: 'acme' }],
      },
    ],
  });
  gh.state.addPullRequest({
    owner: 'acme',
    repo: 'widgets',
    number: 12,
    user: 'alice',
    head: { sha: HEAD_SHA },
    base: { sha: BASE_SHA },
  });
  reporter = await startReporter({
    bus,
    store,
    github: reporterGitHub({
      baseUrl: gh.url,
      appId: '777',
      appPrivateKeyPath: keyPath,
      log: silentLog,
    }),
    log: silentLog,
    registry: new Registry(),
    config: () => reporterConfig(),
  });
});
afterAll(async () => {
  await reporter?.stop();
  await gh?.close();
  await h?.close();
});

async function fail(name: string, job: string): Promise<void> {
  const pj = presubmitJob(name, { job });
  pj.metadata.labels = { ...pj.metadata.labels, [Labels.isOptional]: 'false' };
  setState(pj, 'failure');
  await store.create(pj);
  await nudgeReport(bus, pj);
  await expect
    .poll(async () => (await store.get(name))?.status.prev_report_states?.[GitHubReporterName], {
      timeout: 15_000,
    })
    .toBe('failure');
}
const reports = () =>
  gh.state
    .comments(gh.state.repo('acme', 'widgets')!, 12)
    .filter((c) => c.body.includes(COMMENT_TAG));

describe('reporter as a GitHub App', () => {
  it('writes as <slug>[bot] with the installation token, and keeps one report comment', async () => {
    await fail('pj-app-1', 'pull-lint');
    await expect.poll(() => reports().length, { timeout: 15_000 }).toBe(1);
    await fail('pj-app-2', 'pull-unit');
    await expect
      .poll(
        () =>
          reports().map((c) => c.body.includes('pull-lint |') && c.body.includes('pull-unit |')),
        { timeout: 15_000 },
      )
      .toEqual([true]);
    const statuses = gh.state.statuses(gh.state.repo('acme', 'widgets')!, HEAD_SHA);
    expect(new Set(statuses.map((s) => s.creator))).toEqual(new Set(['jetprow-ci[bot]']));
    expect(reports()[0]!.user).toBe('jetprow-ci[bot]');
    expect(gh.apps.minted.map((t) => t.installation)).toEqual([9001]);
  });
});
