// Hot reload: a running trigger (the real consumer on the bus, config through the watcher that
// polls the files) picks up a job added to the job config file, without a restart.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { publishJson, silentLog, type Bus } from '@jetprow/bus';
import { watchConfig, type ConfigWatcher } from '@jetprow/config';
import { eventSubject } from '@jetprow/core';
import { type KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import { startTrigger } from './start-trigger.js';
import { collectingResponder } from './responder.js';
import { FakeReader, commentEvent } from '../testing/test-support.js';

const job = (name: string) =>
  `  - name: ${name}\n    always_run: true\n    spec: {containers: [{image: x, command: ["true"]}]}\n`;

let h: StoreHarness | undefined;
let bus: Bus;
let store: KvJobStore;
let watcher: ConfigWatcher;
let trigger: { stop(): Promise<void> };
let jobsFile: string;

beforeAll(async () => {
  h = await startStoreHarness('hot-reload-test', { streams: true });
  ({ bus, store } = h);
  const dir = mkdtempSync(join(tmpdir(), 'trigger-reload-'));
  jobsFile = join(dir, 'jobs.yaml');
  writeFileSync(join(dir, 'config.yaml'), 'prowjob_namespace: default\n');
  writeFileSync(jobsFile, `presubmits:\n  o/r:\n${job('first')}`);
  watcher = await watchConfig(
    { configPath: join(dir, 'config.yaml'), jobConfigPath: jobsFile },
    { intervalMs: 100 },
  );
  const responder = collectingResponder();
  trigger = await startTrigger({
    bus,
    store,
    github: new FakeReader(),
    getConfig: watcher.get,
    log: silentLog,
    registry: new Registry(),
    allReposEnabled: true,
    periodics: false,
    responderFor: () => responder,
  });
});
afterAll(async () => {
  await trigger?.stop();
  watcher?.close();
  await h?.close();
});

async function comment(delivery: string): Promise<void> {
  const ev = commentEvent('/test all', { delivery });
  await publishJson(bus.js, eventSubject(ev.event, ev.org, ev.repo), ev, {
    msgID: delivery,
    delivery,
  });
}
const jobsOf = async (delivery: string) =>
  (await store.list({ 'event-GUID': delivery })).map((j) => j.spec.job).sort();

it(
  'a job added to the job config file is triggered by the next event, without a restart',
  { timeout: 30_000 },
  async () => {
    await comment('before-edit');
    await expect.poll(() => jobsOf('before-edit'), { timeout: 15_000 }).toEqual(['first']);

    writeFileSync(jobsFile, `presubmits:\n  o/r:\n${job('first')}${job('added')}`);
    await expect
      .poll(() => watcher.get().jobs.presubmits['o/r']?.length, { timeout: 15_000 })
      .toBe(2);

    await comment('after-edit');
    await expect.poll(() => jobsOf('after-edit'), { timeout: 15_000 }).toEqual(['added', 'first']);
  },
);
