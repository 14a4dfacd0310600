// plank end to end on one machine: a real nats-server, the KV JobStore, real local processes.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { connectBus, silentLog, type Bus } from '@jetprow/bus';
import { defaultProwConfig } from '@jetprow/config';
import { newProwJob, presubmitSpec } from '@jetprow/core';
import { LocalProcessRunner } from '@jetprow/runner';
import type { ProwJob } from '@jetprow/schemas';
import { KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import type { NatsHarness } from '@jetprow/testing';
import { startPlank, type Plank } from './index.js';

class CountingRunner extends LocalProcessRunner {
  readonly starts: string[] = [];
  override async start(pj: ProwJob, buildId: string, env: Record<string, string>): Promise<void> {
    this.starts.push(pj.metadata.name);
    return super.start(pj, buildId, env);
  }
}

interface Instance {
  bus: Bus;
  store: KvJobStore;
  runner: CountingRunner;
  plank: Plank;
  registry: Registry;
}

let h: StoreHarness | undefined;
let nats: NatsHarness;
let root: string;
let buildsDir: string;
let store: KvJobStore;
const running: Instance[] = [];

// Every instance in this file agrees on these: consumer and timer settings live on the bus.
const ACK_WAIT_MS = 3000;
const RESYNC_MS = 1000;
const done = { timeout: 60_000, interval: 100 };
const config = { prow: defaultProwConfig() };
const SLOW = 120_000; // test timeout: these tests run real processes on 2 shared cores

async function startInstance(name: string): Promise<Instance> {
  const bus = await connectBus(nats.url, name);
  const instanceStore = await KvJobStore.open(bus.js);
  const runner = new CountingRunner({ dir: buildsDir, pollMs: 100 });
  const registry = new Registry();
  const plank = await startPlank({
    bus,
    store: instanceStore,
    runner,
    log: silentLog,
    registry,
    getConfig: () => config,
    settings: { resyncPeriodMs: RESYNC_MS, jobUrlBase: 'http://plank.test' },
    ackWaitMs: ACK_WAIT_MS,
  });
  const inst = { bus, store: instanceStore, runner, plank, registry };
  running.push(inst);
  return inst;
}

async function stopInstance(inst: Instance): Promise<void> {
  running.splice(running.indexOf(inst), 1);
  await inst.plank.stop();
  await inst.runner.close();
  await inst.bus.close();
}

let pulls = 0;

/** A presubmit on its own PR (runs of one presubmit on one PR would abort each other). */
function shJob(name: string, script: string, env: Record<string, string> = {}): ProwJob {
  const spec = presubmitSpec(
    {
      name: 'pull-e2e',
      spec: {
        containers: [
          {
            command: ['sh', '-c', script],
            env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
          },
        ],
      },
    },
    {
      org: 'o',
      repo: 'r',
      base_ref: 'main',
      base_sha: 'base1',
      pulls: [{ number: ++pulls, author: 'a', sha: 'head1' }],
    },
  );
  return newProwJob(spec, { name, now: new Date() });
}

const stateOf = async (name: string): Promise<string | undefined> =>
  (await store.get(name))?.status.state;

beforeAll(async () => {
  h = await startStoreHarness('plank-test-admin');
  ({ nats, store } = h);
  root = mkdtempSync(join(tmpdir(), 'jetprow-plank-'));
  buildsDir = join(root, 'builds');
});
afterAll(async () => {
  for (const inst of [...running]) await stopInstance(inst);
  const cleaner = new LocalProcessRunner({ dir: buildsDir, stopGraceMs: 500 });
  for (const b of await cleaner.list()) await cleaner.delete(b.name); // no build outlives the suite
  await h?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('plank with local processes', { timeout: SLOW }, () => {
  it('runs a triggered job to success, another to failure; logs at /logs/:name', async () => {
    const inst = await startInstance('plank-basic');
    expect(inst.plank.ready()).toBe(true);
    await store.create(shJob('ok-1', 'echo hi; exit 0'));
    await store.create(shJob('bad-1', 'echo no; exit 1'));
    await expect.poll(() => stateOf('ok-1'), done).toBe('success');
    await expect.poll(() => stateOf('bad-1'), done).toBe('failure');

    const ok = (await store.get('ok-1'))!;
    expect(ok.status).toMatchObject({
      description: 'Job succeeded.',
      pod_name: 'ok-1',
      url: 'http://plank.test/view/ok-1',
    });
    expect(ok.status.build_id).toMatch(/^\d+$/);
    expect(ok.status.completionTime).toBeTruthy();
    expect((await store.get('bad-1'))?.status.description).toBe('Job failed.');

    const app = new Hono();
    inst.plank.routes(app);
    expect(await (await app.request('/logs/ok-1')).text()).toBe('hi\n');
    expect(await (await app.request('/logs/bad-1')).text()).toBe('no\n');
    expect((await app.request('/logs/unknown-job')).status).toBe(404);
    expect(await (await app.request('/view/ok-1')).text()).toContain('Job succeeded.');

    const metrics = await inst.registry.metrics();
    expect(metrics).toContain('prowjobs{job_name="pull-e2e",type="presubmit",state="success"} 1');
    expect(metrics).toContain('prowjobs{job_name="pull-e2e",type="presubmit",state="failure"} 1');
    expect(metrics).toMatch(/plank_reconcile_total\{outcome="started"\} [1-9]/);
    await stopInstance(inst);
  });

  it('the resync timer finds a finished build nobody watches', async () => {
    const inst = await startInstance('plank-resync');
    const name = 'unwatched-1';
    await store.create(shJob(name, 'while [ ! -f go ]; do sleep 0.05; done; exit 0'));
    await expect.poll(() => stateOf(name), done).toBe('pending');
    // plank has seen the build running (and watched it) …
    const watched = /plank_reconcile_total\{outcome="running"\} [1-9]/;
    await expect.poll(() => inst.registry.metrics(), done).toMatch(watched);
    await inst.runner.close(); // … now its watches are gone; nothing changes in the store either
    writeFileSync(join(inst.runner.buildDir(name), 'go'), '');
    await expect.poll(() => stateOf(name), done).toBe('success');
    await stopInstance(inst);
  });

  it('two instances at once reconcile 20 jobs, each build started exactly once', async () => {
    const counts = join(root, 'counts');
    const [a, b] = await Promise.all([startInstance('plank-a'), startInstance('plank-b')]);
    const names = Array.from({ length: 20 }, (_, i) => `many-${i}`);
    const script = 'mkdir -p "$COUNTS" && echo started >> "$COUNTS/$PROW_JOB_ID"';
    await Promise.all(names.map((n) => store.create(shJob(n, script, { COUNTS: counts }))));
    for (const n of names) await expect.poll(() => stateOf(n), done).toBe('success');
    for (const n of names) expect(readFileSync(join(counts, n), 'utf8')).toBe('started\n');
    expect([...a.runner.starts, ...b.runner.starts].sort()).toEqual([...names].sort());
    await Promise.all([stopInstance(a), stopInstance(b)]);
  });

  it('a job aborted while its build runs: build stopped, job completes as aborted', async () => {
    const inst = await startInstance('plank-abort');
    const name = 'abort-1';
    await store.create(shJob(name, 'sleep 60'));
    await expect.poll(async () => (await inst.runner.status(name)).phase, done).toBe('running');
    const pj = (await store.get(name))!;
    await store.update({ ...pj, status: { ...pj.status, state: 'aborted' } });
    const completion = async () => (await store.get(name))?.status.completionTime;
    await expect.poll(completion, done).toBeTruthy();
    expect(await stateOf(name)).toBe('aborted');
    expect(await inst.runner.status(name)).toMatchObject({ phase: 'failed', reason: 'stopped' });
    expect(existsSync(inst.runner.buildDir(name))).toBe(true);
    expect(readdirSync(buildsDir)).toContain(name);
    await stopInstance(inst);
  });
  // Runs after the others that need the resync timer: the dead instance's pull requests linger
  // on the server, and a timer message handed to one waits out the timer's ack_wait (60 s).
  it('an instance dies while a build runs: a new instance finishes the job right', async () => {
    const a = await startInstance('plank-crashing');
    const name = 'crash-1';
    const script = 'while [ ! -f go ]; do sleep 0.05; done; echo finished; exit 3';
    await store.create(shJob(name, script));
    await expect.poll(() => stateOf(name), done).toBe('pending');
    await expect.poll(async () => (await a.runner.status(name)).phase, done).toBe('running');
    const buildId = (await store.get(name))?.status.build_id;

    // The crash: no stop(), no drain. The connection is gone, the runner forgets its watches.
    running.splice(running.indexOf(a), 1);
    await a.runner.close();
    await a.bus.nc.close();

    const b = await startInstance('plank-successor');
    writeFileSync(join(b.runner.buildDir(name), 'go'), '');
    await expect.poll(() => stateOf(name), done).toBe('failure');
    const after = (await store.get(name))!;
    expect(after.status).toMatchObject({ description: 'Job failed.', build_id: buildId });
    expect(after.status.pod_revival_count).toBeUndefined(); // the same build, not a new one
    expect(b.runner.starts).toEqual([]);
    expect(readFileSync(b.runner.logPath(name), 'utf8')).toBe('finished\n');
    await a.plank.stop(); // the dead instance's loops end without effect
    await stopInstance(b);
  });
});
