// horologium on the real bus: ProwJobs in the KV JobStore, state in KV, the tick on a bus timer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, silentLog, type Bus } from '@jetprow/bus';
import type { LoadedConfig } from '@jetprow/config';
import { isComplete, type ProwJob } from '@jetprow/schemas';
import { updateWithRetry, type KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import type { NatsHarness } from '@jetprow/testing';
import type { HorologiumState } from './cron-tick.js';
import { startHorologium, syncPeriodics } from './horologium.js';
import { kvHorologiumState, type HorologiumStateStore } from './state-store.js';
import { loadTestConfig } from '../../testing/periodics.js';

const JOBS = `
periodics:
- name: ci-interval
  interval: 1h
  labels: {team: infra}
  annotations: {owner: sig-testing}
  extra_refs: [{org: acme, repo: widgets, base_ref: main}]
  spec: {containers: [{image: x, command: ["true"]}]}
- name: ci-hourly
  cron: "0 * * * *"
  spec: {containers: [{image: x, command: ["true"]}]}
`;

let h: StoreHarness | undefined;
let nats: NatsHarness;
let bus: Bus;
let store: KvJobStore;
let cfg: LoadedConfig;

beforeAll(async () => {
  h = await startStoreHarness('horologium-test', { streams: true });
  ({ nats, bus, store } = h);
  cfg = loadTestConfig(JOBS);
});
afterAll(async () => {
  await h?.close();
});

function memoryState(failSaves = 0): HorologiumStateStore & { state: HorologiumState } {
  let fails = failSaves;
  const s = {
    state: { crons: {} } as HorologiumState,
    async load() {
      return structuredClone(s.state);
    },
    async save(next: HorologiumState) {
      if (fails-- > 0) throw new Error('KV unavailable');
      s.state = structuredClone(next);
    },
  };
  return s;
}

const runsOf = async (job: string): Promise<ProwJob[]> =>
  (await store.list({ 'prow.k8s.io/job': job })).sort((a, b) =>
    a.status.startTime.localeCompare(b.status.startTime),
  );
const complete = (name: string, at: string) =>
  updateWithRetry(store, name, (pj) => {
    pj.status.state = 'success';
    pj.status.completionTime = at;
  });
const only = (names: string[]) => ({
  ...cfg,
  jobs: { ...cfg.jobs, periodics: cfg.jobs.periodics.filter((p) => names.includes(p.name)) },
});

describe('horologium sync on the bus', () => {
  it("creates a periodic run with Prow's spec, labels and extra_refs, once per slot", async () => {
    const state = memoryState();
    const deps = { store, state, getConfig: () => only(['ci-interval']), log: silentLog };
    const now = new Date('2026-01-01T10:00:00Z');
    const [name] = await syncPeriodics({ ...deps, now: () => now });
    const pj = (await store.get(name!))!;
    expect(pj.spec).toMatchObject({
      type: 'periodic',
      job: 'ci-interval',
      report: true,
      extra_refs: [{ org: 'acme', repo: 'widgets', base_ref: 'main' }],
    });
    expect(pj.spec.refs).toBeUndefined();
    expect(pj.metadata).toMatchObject({ namespace: 'prow', annotations: { owner: 'sig-testing' } });
    expect(pj.metadata.labels).toMatchObject({
      'created-by-prow': 'true',
      'prow.k8s.io/type': 'periodic',
      'prow.k8s.io/job': 'ci-interval',
      'prow.k8s.io/refs.org': 'acme',
      'prow.k8s.io/refs.repo': 'widgets',
      team: 'infra',
    });
    expect(pj.status).toMatchObject({ state: 'triggered', startTime: now.toISOString() });

    // The same tick again (a redelivered timer message, another replica): nothing new.
    expect(await syncPeriodics({ ...deps, now: () => new Date('2026-01-01T10:00:30Z') })).toEqual(
      [],
    );
    expect((await runsOf('ci-interval')).length).toBe(1);

    // Complete, and past the interval: the next run, under a new name.
    await complete(name!, '2026-01-01T10:05:00Z');
    const [next] = await syncPeriodics({ ...deps, now: () => new Date('2026-01-01T11:00:01Z') });
    expect(next).toBeDefined();
    expect(next).not.toBe(name);
    expect((await runsOf('ci-interval')).map((j) => j.metadata.name)).toEqual([name, next]);
  });

  it('a tick that fails after creating its runs is retried without creating them twice', async () => {
    const state = memoryState(1);
    const cfgNow = only(['ci-hourly']);
    state.state = {
      last_tick: '2026-01-01T10:59:00Z',
      crons: { 'ci-hourly': { cron: '0 * * * *', since: '2026-01-01T09:00:00Z' } },
    };
    const deps = { store, state, getConfig: () => cfgNow, log: silentLog };
    await expect(
      syncPeriodics({ ...deps, now: () => new Date('2026-01-01T11:00:05Z') }),
    ).rejects.toThrow('KV unavailable');
    const afterFailure = await runsOf('ci-hourly');
    expect(afterFailure).toHaveLength(1);
    // The retry sees the same window (the failed tick saved nothing) and the run it created.
    const again = await syncPeriodics({ ...deps, now: () => new Date('2026-01-01T11:00:20Z') });
    expect(again.filter((n) => n !== afterFailure[0]!.metadata.name)).toEqual([]);
    expect(await runsOf('ci-hourly')).toHaveLength(1);
    expect(state.state.last_tick).toBe('2026-01-01T11:00:20.000Z');
  });

  it('the last tick survives a restart (KV): a cron firing during the restart is run once, no backlog', async () => {
    const cfgNow = only(['ci-hourly']);
    const first = await kvHorologiumState(bus);
    // Tick at 11:30 with the 11:00 run complete, so the next firing may run.
    const [prev] = await runsOf('ci-hourly');
    await complete(prev!.metadata.name, '2026-01-01T11:10:00Z');
    await syncPeriodics({
      store,
      state: first,
      getConfig: () => cfgNow,
      log: silentLog,
      now: () => new Date('2026-01-01T11:30:00Z'),
    });
    await first.save({
      ...(await first.load()),
      crons: { 'ci-hourly': { cron: '0 * * * *', since: '2026-01-01T09:00:00Z' } },
    });

    // "Restart": a new state store reads the same KV entry; three firings were missed.
    const restarted = await kvHorologiumState(bus);
    expect((await restarted.load()).last_tick).toBe('2026-01-01T11:30:00.000Z');
    const created = await syncPeriodics({
      store,
      state: restarted,
      getConfig: () => cfgNow,
      log: silentLog,
      now: () => new Date('2026-01-01T14:45:00Z'),
    });
    expect(created).toHaveLength(1);
    expect((await runsOf('ci-hourly')).length).toBe(2);
  });
});

describe('horologium on the bus timer', () => {
  it('two replicas create one run per interval between them', { timeout: 40_000 }, async () => {
    const jobs = `
periodics:
- name: ci-fast
  interval: 1s
  spec: {containers: [{image: x, command: ["true"]}]}
`;
    const fast = loadTestConfig(
      jobs,
      'prowjob_namespace: prow\nhorologium:\n  tick_interval: 200ms\n',
    );
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const b = await connectBus(nats.url, 'horologium-replica');
        const timer = await startHorologium(b, {
          store,
          state: await kvHorologiumState(b),
          getConfig: () => fast,
          log: silentLog,
        });
        return { b, timer };
      }),
    );
    try {
      // Play plank: every run completes as soon as it exists.
      const finisher = setInterval(() => {
        void runsOf('ci-fast').then((runs) =>
          Promise.all(
            runs
              .filter((r) => !isComplete(r))
              .map((r) => complete(r.metadata.name, new Date().toISOString())),
          ),
        );
      }, 100);
      try {
        await expect
          .poll(async () => (await runsOf('ci-fast')).length, { timeout: 30_000, interval: 200 })
          .toBeGreaterThanOrEqual(4);
      } finally {
        clearInterval(finisher);
      }
    } finally {
      await Promise.all(
        replicas.map(async (r) => {
          await r.timer.stop();
          await r.b.close();
        }),
      );
    }
    const runs = await runsOf('ci-fast');
    expect(new Set(runs.map((r) => r.metadata.name)).size).toBe(runs.length);
    // Each run starts more than an interval after the previous one: never two in one slot.
    for (let i = 1; i < runs.length; i++) {
      expect(
        Date.parse(runs[i]!.status.startTime) - Date.parse(runs[i - 1]!.status.startTime),
      ).toBeGreaterThan(1000);
    }
  });
});
