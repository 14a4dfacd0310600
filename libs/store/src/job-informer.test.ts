// The ProwJob cache (JobInformer) on the KV store, against a real nats-server: lookups by index,
// changes from this process and from others, read-your-writes, fresh reads, a watch that ends,
// many jobs, and no consumer left behind per lookup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newProwJob, periodicSpec, presubmitSpec } from '@jetprow/core';
import { Labels, type ProwJob, type ProwJobState } from '@jetprow/schemas';
import { connectBus, type Bus } from '@jetprow/bus';
import { JobInformer, type InformerSource } from './job-informer.js';
import {
  matchesSelector,
  updateWithRetry,
  type JobChange,
  type JobWatch,
  type Selector,
} from './job-store.js';
import { KvJobStore } from './kv-job-store.js';
import { startStoreHarness, type StoreHarness } from '../testing/index.js';

const KV_STREAM = 'KV_prowjobs';

let h: StoreHarness | undefined;
/** A second process: its own connection and store (and so its own cache). */
let other: { bus: Bus; store: KvJobStore } | undefined;
let seq = 0;
const uniq = (p: string) => `${p}-${++seq}`;

function presubmit(
  name: string,
  o: { org?: string; repo?: string; pull?: number; job?: string } = {},
): ProwJob {
  const spec = presubmitSpec(
    { name: o.job ?? 'pull-unit', spec: { containers: [{ command: ['true'] }] } },
    {
      org: o.org ?? 'o',
      repo: o.repo ?? 'r',
      base_ref: 'main',
      base_sha: 'b',
      pulls: [{ number: o.pull ?? 1, author: 'a', sha: 's' }],
    },
  );
  return newProwJob(spec, { name, now: new Date('2026-01-01T00:00:00Z') });
}

function periodic(name: string, job = 'ci-periodic'): ProwJob {
  const spec = periodicSpec({ name: job, spec: { containers: [{ command: ['true'] }] } });
  return newProwJob(spec, { name, now: new Date('2026-01-01T00:00:00Z') });
}

const names = (jobs: ProwJob[]) => jobs.map((j) => j.metadata.name).sort();

async function setState(store: KvJobStore, name: string, state: ProwJobState, done = false) {
  return updateWithRetry(store, name, (pj) => {
    pj.status.state = state;
    if (done) pj.status.completionTime = '2026-01-01T00:01:00Z';
  });
}

async function consumers(): Promise<number> {
  return (await h!.bus.jsm.streams.info(KV_STREAM)).state.consumer_count;
}

/** A source over `store` whose watch events can be held back (a slow watch), and whose watches
 * are kept (so a test can end one). */
function controllable(store: KvJobStore) {
  const held: (() => void)[] = [];
  const watches: JobWatch[] = [];
  let holding = false;
  let gate: Promise<void> | undefined;
  const source: InformerSource = {
    async watch(onChange) {
      await gate;
      const w = await store.watch((c: JobChange) => {
        if (holding && c.isUpdate) held.push(() => onChange(c));
        else onChange(c);
      });
      watches.push(w);
      return w;
    },
    list: (selector) => store.list(selector, { fresh: true }),
    revision: async () => (await store.kv.status()).streamInfo.state.last_seq,
  };
  return {
    source,
    watches,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const f of held.splice(0)) f();
    },
    /** The next watch() waits until the returned function is called. */
    blockNextWatch(): () => void {
      let open!: () => void;
      gate = new Promise<void>((r) => (open = r));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

beforeAll(async () => {
  h = await startStoreHarness('informer-test');
  const bus = await connectBus(h.nats.url, 'informer-test-other');
  other = { bus, store: await KvJobStore.open(bus.js) };
});
afterAll(async () => {
  h?.store.close();
  other?.store.close();
  await other?.bus.close();
  await h?.close();
});

describe('JobInformer on the KV store', () => {
  it('answers every lookup by index exactly as a filter over every job would', async () => {
    const { store } = h!;
    const org = uniq('org');
    const made: ProwJob[] = [];
    for (let i = 0; i < 24; i++) {
      const pj =
        i % 6 === 5
          ? periodic(uniq('p'), i % 2 ? 'ci-a' : 'ci-b')
          : presubmit(uniq('j'), {
              org,
              repo: i % 2 ? 'r1' : 'r2',
              pull: 1 + (i % 4),
              job: i % 3 ? 'pull-a' : 'pull-b',
            });
      made.push(await store.create(pj));
    }
    // Some progress: pending, and complete ones.
    await setState(store, made[0]!.metadata.name, 'pending');
    await setState(store, made[1]!.metadata.name, 'success', true);
    await setState(store, made[2]!.metadata.name, 'failure', true);
    await setState(store, made[7]!.metadata.name, 'pending');

    const all = await store.list({}, { fresh: true });
    const selectors: Selector[] = [
      { [Labels.org]: org },
      { [Labels.org]: org, [Labels.repo]: 'r1' },
      { [Labels.org]: org, [Labels.repo]: 'r2', [Labels.pull]: '2' },
      { [Labels.type]: 'periodic' },
      { [Labels.type]: 'presubmit', [Labels.org]: org },
      { [Labels.job]: 'pull-b', [Labels.org]: org },
      { [Labels.job]: 'ci-a' },
      { [Labels.baseRef]: 'main', [Labels.org]: org }, // a label without an index
      { [Labels.org]: org, [Labels.pull]: '99' }, // no such value
      { [Labels.org]: 'nobody' },
    ];
    for (const sel of selectors) {
      const expected = all.filter((j) => matchesSelector(j, sel));
      expect(names(await store.list(sel)), JSON.stringify(sel)).toEqual(names(expected));
      expect(names(await store.list(sel, { incomplete: true }))).toEqual(
        names(expected.filter((j) => !j.status.completionTime)),
      );
      expect(names(await store.list(sel, { states: ['pending'] }))).toEqual(
        names(expected.filter((j) => j.status.state === 'pending')),
      );
      expect(names(await store.list(sel, { states: ['success', 'failure'] }))).toEqual(
        names(expected.filter((j) => j.status.state === 'success' || j.status.state === 'failure')),
      );
    }
    expect(names(await store.list({ [Labels.org]: org }, { states: ['pending'] }))).toEqual(
      names([made[0]!, made[7]!]),
    );
    expect(names(await store.list({ [Labels.org]: org }, { incomplete: true }))).not.toContain(
      made[1]!.metadata.name,
    );
  });

  it('returns copies: changing an answer does not change the cache', async () => {
    const { store } = h!;
    const name = uniq('copy');
    await store.create(presubmit(name, { org: 'copy-org' }));
    const [first] = await store.list({ [Labels.org]: 'copy-org' });
    first!.status.state = 'error';
    first!.metadata.labels![Labels.org] = 'changed';
    const [again] = await store.list({ [Labels.org]: 'copy-org' });
    expect(again!.status.state).toBe('triggered');
    expect(again!.metadata.resourceVersion).toMatch(/^\d+$/);
  });

  it("sees this process's writes at once and another process's within the watch's delay", async () => {
    const { store } = h!;
    const org = uniq('rw');
    const sel = { [Labels.org]: org };
    // this process: create, update, delete are visible to the very next lookup
    const a = await store.create(presubmit(uniq('a'), { org }));
    expect(names(await store.list(sel))).toEqual([a.metadata.name]);
    await setState(store, a.metadata.name, 'pending');
    expect((await store.list(sel, { states: ['pending'] })).map((j) => j.status.state)).toEqual([
      'pending',
    ]);
    const b = await store.create(presubmit(uniq('b'), { org }));
    await store.delete(a.metadata.name);
    expect(names(await store.list(sel))).toEqual([b.metadata.name]);

    // another process: create, update and delete arrive through the watch
    const c = await other!.store.create(presubmit(uniq('c'), { org }));
    await expect.poll(async () => names(await store.list(sel))).toContain(c.metadata.name);
    await setState(other!.store, c.metadata.name, 'success', true);
    await expect
      .poll(async () => names(await store.list(sel, { incomplete: true })))
      .toEqual([b.metadata.name]);
    await other!.store.delete(b.metadata.name);
    await expect.poll(async () => names(await store.list(sel))).toEqual([c.metadata.name]);
    const [cNow] = await store.list(sel);
    expect(cNow!.status.state).toBe('success');
    expect(cNow!.metadata.resourceVersion).toBe(
      (await store.get(c.metadata.name))!.metadata.resourceVersion,
    );
  });

  it('fresh: sees every write another process completed before the call, without waiting', async () => {
    const { store } = h!;
    const org = uniq('fresh');
    for (let i = 0; i < 20; i++) {
      const made = await other!.store.create(presubmit(uniq('f'), { org, pull: i }));
      const got = await store.list(
        { [Labels.org]: org, [Labels.pull]: String(i) },
        { fresh: true },
      );
      expect(names(got)).toEqual([made.metadata.name]);
      await setState(other!.store, made.metadata.name, 'pending');
      const now = await store.list({ [Labels.org]: org }, { fresh: true, states: ['pending'] });
      expect(names(now)).toContain(made.metadata.name);
    }
  });

  it('read-your-writes holds while the watch lags; an older watch event never replaces a newer write', async () => {
    const { store } = h!;
    const ctl = controllable(store);
    const inf = new JobInformer(ctl.source, { freshWaitMs: 200 });
    try {
      await inf.start();
      const org = uniq('lag');
      const sel = { [Labels.org]: org };
      ctl.hold(); // the watch stops delivering
      const created = await store.create(presubmit(uniq('l'), { org }));
      inf.observe(created); // what KvJobStore does with its own writes
      expect(names(await inf.list(sel))).toEqual([created.metadata.name]);
      const updated = await store.update({
        ...created,
        status: { ...created.status, state: 'pending' },
      });
      inf.observe(updated);
      // A write by someone else that the lagging watch has not delivered: fresh reads the store.
      const theirs = await other!.store.create(presubmit(uniq('t'), { org }));
      expect(names(await inf.list(sel))).toEqual([created.metadata.name]);
      expect(names(await inf.list(sel, { fresh: true }))).toEqual(
        [created.metadata.name, theirs.metadata.name].sort(),
      );
      // The held events (the create, then the update) arrive late: the newer state stays.
      ctl.release();
      await expect.poll(async () => names(await inf.list(sel))).toHaveLength(2);
      const mine = (await inf.list(sel)).find((j) => j.metadata.name === created.metadata.name);
      expect(mine?.status.state).toBe('pending');
      expect(mine?.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);

      // A local delete is not undone by a late event of the deleted version.
      ctl.hold();
      const gone = await store.create(presubmit(uniq('g'), { org }));
      inf.observe(gone);
      await store.delete(gone.metadata.name);
      inf.forget(gone.metadata.name, gone.metadata.resourceVersion);
      expect(names(await inf.list(sel))).not.toContain(gone.metadata.name);
      ctl.release(); // delivers the put of `gone`, then its delete
      await new Promise((r) => setTimeout(r, 100));
      expect(names(await inf.list(sel))).not.toContain(gone.metadata.name);
      expect(names(await inf.list(sel, { fresh: true }))).toEqual(
        [created.metadata.name, theirs.metadata.name].sort(),
      );
    } finally {
      inf.stop();
    }
  });

  it('a watch that ends is restarted with a relist: changes made meanwhile, deletes included, are applied', async () => {
    const { store } = h!;
    const ctl = controllable(store);
    const inf = new JobInformer(ctl.source);
    try {
      const org = uniq('restart');
      const sel = { [Labels.org]: org };
      const [keep, change, remove, purge] = await Promise.all(
        ['k', 'c', 'd', 'p'].map((p) => store.create(presubmit(uniq(p), { org }))),
      );
      await inf.start();
      expect(names(await inf.list(sel))).toHaveLength(4);
      expect(inf.synced()).toBe(true);

      const open = ctl.blockNextWatch();
      ctl.watches[0]!.stop(); // the feed ends (as when its connection is lost)
      await expect.poll(() => inf.synced()).toBe(false);
      // Meanwhile: an update, a delete, a key purged without a trace, a new job.
      await setState(store, change!.metadata.name, 'pending');
      await store.delete(remove!.metadata.name);
      await h!.bus.jsm.streams.purge(KV_STREAM, {
        filter: `$KV.prowjobs.${purge!.metadata.name}`,
      });
      const added = await store.create(presubmit(uniq('n'), { org }));
      open();

      // A lookup waits for the relist, then answers from it.
      const after = await inf.list(sel);
      expect(inf.restarts).toBe(1);
      expect(inf.synced()).toBe(true);
      expect(names(after)).toEqual(
        [keep!.metadata.name, change!.metadata.name, added.metadata.name].sort(),
      );
      expect(after.find((j) => j.metadata.name === change!.metadata.name)?.status.state).toBe(
        'pending',
      );
      // and the new watch follows the store
      const later = await store.create(presubmit(uniq('z'), { org }));
      await expect.poll(async () => names(await inf.list(sel))).toContain(later.metadata.name);
      expect(ctl.watches).toHaveLength(2);
    } finally {
      inf.stop();
    }
  });

  it('many jobs: one replay, index lookups right at thousands of jobs', async () => {
    const org = uniq('many');
    const N = 3000;
    for (let i = 0; i < N; i += 250) {
      await Promise.all(
        Array.from({ length: Math.min(250, N - i) }, (_, k) =>
          other!.store.create(presubmit(`${org}-${i + k}`, { org, pull: (i + k) % 100 })),
        ),
      );
    }
    // A new process's cache: one list of everything, then lookups from memory.
    const bus = await connectBus(h!.nats.url, 'informer-many');
    const fresh = await KvJobStore.open(bus.js);
    try {
      // This process's cache has one watch; the other process only wrote, so it has none (the
      // cache starts with the first lookup); the watches stopped above were deleted.
      await expect.poll(() => consumers()).toBe(1);
      const got = await fresh.list({ [Labels.org]: org, [Labels.pull]: '42' });
      expect(got).toHaveLength(N / 100);
      expect(got.every((j) => j.metadata.labels?.[Labels.pull] === '42')).toBe(true);
      expect(fresh.informer.size).toBeGreaterThanOrEqual(N);
      expect(await fresh.list({ [Labels.org]: org })).toHaveLength(N);
      expect(await fresh.list({ [Labels.org]: org }, { states: ['pending'] })).toHaveLength(0);
      expect(await consumers()).toBe(2); // and the new cache's one watch
    } finally {
      fresh.close();
      await bus.close();
    }
  });

  it('lookups leave no consumer behind on KV_prowjobs (one watch per store)', async () => {
    const { store } = h!;
    await store.list(); // the cache's watch exists
    await expect.poll(() => consumers()).toBe(1); // this process's cache
    const before = await consumers();
    for (let i = 0; i < 30; i++) {
      await store.list({ [Labels.pull]: String(i) });
      await store.list({ [Labels.type]: 'presubmit' }, { incomplete: true, fresh: true });
    }
    expect(await consumers()).toBe(before);
    // A lookup that falls back to a direct read (the cache stopped) removes its consumer too.
    const bus = await connectBus(h!.nats.url, 'informer-direct');
    const direct = await KvJobStore.open(bus.js);
    try {
      direct.close();
      const n = (await direct.list({ [Labels.type]: 'presubmit' })).length;
      expect(n).toBeGreaterThan(0);
      await expect.poll(() => consumers()).toBe(before);
    } finally {
      await bus.close();
    }
  });
});

describe('a cache that cannot sync', () => {
  it('never holds a lookup up: it is answered by a direct read until the watch syncs', async () => {
    const job = presubmit('stuck-1', { pull: 7 });
    let direct = 0;
    let release!: () => void;
    const synced = new Promise<void>((r) => (release = r));
    const source: InformerSource = {
      // The watch is being re-created (a bucket leader moved): it has not replayed yet.
      watch: async (onChange) => ({
        synced: synced.then(() =>
          onChange({
            type: 'put',
            name: job.metadata.name,
            resourceVersion: '1',
            isUpdate: false,
            job,
          }),
        ),
        stop() {},
      }),
      list: async () => {
        direct++;
        return [job];
      },
    };
    const informer = new JobInformer(source, { syncWaitMs: 100 });
    const t0 = Date.now();
    const got = await informer.list({ [Labels.pull]: '7' });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(got.map((j) => j.metadata.name)).toEqual(['stuck-1']);
    expect(direct).toBe(1);
    expect(informer.synced()).toBe(false);
    // Once the watch syncs, lookups are served from the cache again.
    release();
    await expect.poll(() => informer.synced(), { timeout: 2000 }).toBe(true);
    expect((await informer.list({ [Labels.pull]: '7' })).map((j) => j.metadata.name)).toEqual([
      'stuck-1',
    ]);
    expect(direct).toBe(1);
    informer.stop();
  });
});
