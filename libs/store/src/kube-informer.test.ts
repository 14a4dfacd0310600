// The ProwJob cache on KubeJobStore against the fake kube-apiserver: lookups are served from one
// list+watch (no LIST per lookup), the store's writes are visible at once, other clients' writes
// through the watch, a fresh lookup is one label-selected LIST, and a 410 relist is applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newProwJob, presubmitSpec } from '@jetprow/core';
import { Labels, type ProwJob } from '@jetprow/schemas';
import { startFakeKube, type FakeKube } from '@jetprow/testing';
import { updateWithRetry } from './job-store.js';
import { KubeJobStore } from './kube-job-store.js';

let kube: FakeKube;
let store: KubeJobStore;
const NS = 'prow-jobs';
let seq = 0;
const uniq = (p: string) => `${p}-${++seq}`;

function job(name: string, o: { org?: string; pull?: number } = {}): ProwJob {
  const spec = presubmitSpec(
    { name: 'pull-unit', spec: { containers: [{ image: 'alpine', command: ['true'] }] } },
    {
      org: o.org ?? 'o',
      repo: 'r',
      base_ref: 'main',
      base_sha: 'b',
      pulls: [{ number: o.pull ?? 1, author: 'a', sha: 's' }],
    },
  );
  return newProwJob(spec, { name, now: new Date('2026-01-01T00:00:00Z'), namespace: NS });
}
/** A job as another client writes it straight into the apiserver's storage. */
const raw = (name: string, org: string) => job(name, { org }) as unknown as Record<string, unknown>;
const names = (jobs: ProwJob[]) => jobs.map((j) => j.metadata.name).sort();
const lists = () =>
  kube.requests.filter((r) =>
    /^GET \/apis\/prow\.k8s\.io\/v1\/namespaces\/[^/]+\/prowjobs\?(?!.*watch=true)/.test(r),
  );

beforeAll(async () => {
  kube = await startFakeKube({ bookmarkIntervalMs: 150 });
  store = await KubeJobStore.open({
    kubeConfig: kube.kubeConfig(),
    namespace: NS,
    pageSize: 3,
    watch: { retry: { minMs: 50, maxMs: 200 } },
  });
});
afterAll(async () => {
  store.close();
  await kube.close();
  expect(kube.state.rejections).toEqual([]);
});

describe('KubeJobStore: the ProwJob cache', () => {
  it('serves lookups from one list+watch: no LIST per lookup, answers right', async () => {
    const org = uniq('org');
    for (let i = 0; i < 7; i++) await store.create(job(uniq('a'), { org, pull: i % 3 }));
    expect(store.synced()).toBe(false); // nothing looked up yet: no watch
    const first = await store.list({ [Labels.org]: org });
    expect(first).toHaveLength(7);
    expect(store.synced()).toBe(true);
    const listed = lists().length;
    for (let pull = 0; pull < 3; pull++) {
      const got = await store.list({ [Labels.org]: org, [Labels.pull]: String(pull) });
      expect(got.map((j) => j.metadata.labels?.[Labels.pull])).toEqual(
        Array(pull === 0 ? 3 : 2).fill(String(pull)),
      );
    }
    expect(await store.list({ [Labels.org]: org }, { incomplete: true })).toHaveLength(7);
    expect(await store.list({ [Labels.org]: org }, { states: ['pending'] })).toHaveLength(0);
    expect(lists().length).toBe(listed);
    await expect.poll(() => kube.openWatches()).toBe(1);
  });

  it("sees the store's own writes at once, and other clients' through the watch", async () => {
    const org = uniq('rw');
    const sel = { [Labels.org]: org };
    const a = await store.create(job(uniq('a'), { org }));
    expect(names(await store.list(sel))).toEqual([a.metadata.name]);
    await updateWithRetry(store, a.metadata.name, (pj) => {
      pj.status.state = 'pending';
    });
    expect((await store.list(sel, { states: ['pending'] })).map((j) => j.metadata.name)).toEqual([
      a.metadata.name,
    ]);
    await store.delete(a.metadata.name);
    expect(await store.list(sel)).toEqual([]);

    const pjs = kube.state.def('prowjobs');
    const b = uniq('b');
    const written = raw(b, org);
    const managedFields = [
      { manager: 'kubectl', operation: 'Update', apiVersion: 'prow.k8s.io/v1' },
    ];
    (written.metadata as Record<string, unknown>).managedFields = managedFields;
    kube.state.create(pjs, NS, written);
    await expect.poll(async () => names(await store.list(sel))).toEqual([b]);
    // The cache keeps no managedFields (a direct read has them).
    expect((await store.list(sel))[0]?.metadata).not.toHaveProperty('managedFields');
    expect((await store.get(b))?.metadata).toHaveProperty('managedFields', managedFields);
    kube.state.patch(pjs, NS, b, {
      status: { state: 'success', completionTime: '2026-01-01T00:01:00Z' },
    });
    await expect.poll(async () => store.list(sel, { incomplete: true })).toEqual([]);
    expect((await store.list(sel))[0]?.status.state).toBe('success');
    kube.state.delete(pjs, NS, b);
    await expect.poll(async () => store.list(sel)).toEqual([]);
  });

  it("fresh: one label-selected LIST (the apiserver's answer, not the cache's)", async () => {
    const org = uniq('fresh');
    const name = uniq('f');
    const before = lists().length;
    kube.state.create(kube.state.def('prowjobs'), NS, raw(name, org));
    const got = await store.list({ [Labels.org]: org }, { fresh: true });
    expect(names(got)).toEqual([name]);
    const made = lists().slice(before);
    expect(made).toHaveLength(1);
    expect(decodeURIComponent(made[0]!)).toContain(`labelSelector=${Labels.org}=${org}`);
  });

  it('410 Expired: the relist is applied to the cache (changed and vanished jobs)', async () => {
    const org = uniq('gone');
    const sel = { [Labels.org]: org };
    const [keep, change, remove] = [uniq('k'), uniq('c'), uniq('d')];
    for (const n of [keep, change, remove]) await store.create(job(n, { org }));
    // A write of this process that the watch never delivered, and that is gone by the relist.
    const ghost = { ...job(uniq('g'), { org }) };
    ghost.metadata.resourceVersion = '1';
    store.informer.observe(ghost);
    expect(names(await store.list(sel))).toEqual(
      [keep, change, remove, ghost.metadata.name].sort(),
    );
    const added = uniq('n');
    await kube.stop();
    try {
      const pjs = kube.state.def('prowjobs');
      kube.state.patch(pjs, NS, change, { status: { state: 'pending' } });
      kube.state.delete(pjs, NS, remove);
      kube.state.create(pjs, NS, raw(added, org));
      kube.state.compact();
    } finally {
      await kube.start();
    }
    await expect
      .poll(async () => names(await store.list(sel)), { timeout: 10_000 })
      .toEqual([keep, change, added].sort());
    expect((await store.list(sel, { states: ['pending'] })).map((j) => j.metadata.name)).toEqual([
      change,
    ]);
    expect(store.synced()).toBe(true);
  });

  it('close(): the watch is closed and later lookups read the apiserver', async () => {
    const org = uniq('closed');
    await store.create(job(uniq('x'), { org }));
    store.close();
    await expect.poll(() => kube.openWatches(), { timeout: 5000 }).toBe(0);
    expect(store.synced()).toBe(false);
    const before = lists().length;
    expect(await store.list({ [Labels.org]: org })).toHaveLength(1);
    expect(lists().length).toBe(before + 1);
  });
});
