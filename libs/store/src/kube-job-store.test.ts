// KubeJobStore against the fake kube-apiserver (real client-node on the wire; every ProwJob the
// store writes is checked against Prow's CRD by the fake).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newProwJob, presubmitSpec } from '@jetprow/core';
import type { ProwJob } from '@jetprow/schemas';
import { startFakeKube, type FakeKube } from '@jetprow/testing';
import {
  AlreadyExistsError,
  ConflictError,
  NotFoundError,
  updateWithRetry,
  type JobChange,
  type JobWatch,
} from './job-store.js';
import { KubeJobStore } from './kube-job-store.js';

let kube: FakeKube;
let store: KubeJobStore;
const watches: JobWatch[] = [];
let seq = 0;
const NS = 'prow-jobs';

function job(name: string, pull = 1): ProwJob {
  const spec = presubmitSpec(
    { name: 'pull-unit', spec: { containers: [{ image: 'alpine', command: ['true'] }] } },
    {
      org: 'o',
      repo: 'r',
      base_ref: 'main',
      base_sha: 'b',
      pulls: [{ number: pull, author: 'a', sha: 's' }],
    },
  );
  return newProwJob(spec, { name, now: new Date('2026-01-01T00:00:00Z'), namespace: 'elsewhere' });
}
const uniq = (p: string) => `${p}-${++seq}`;
/** A job as another client writes it straight into the apiserver's storage. */
const raw = (name: string, namespace = NS) => {
  const j = job(name);
  j.metadata.namespace = namespace;
  return j as unknown as Record<string, unknown>;
};

/** Records changes as `init|upd:put|delete:name` (`:state` for puts). */
async function record(s: KubeJobStore = store): Promise<{ seen: string[]; w: JobWatch }> {
  const seen: string[] = [];
  const w = await s.watch((c: JobChange) => {
    seen.push(
      `${c.isUpdate ? 'upd' : 'init'}:${c.type}:${c.name}${c.job ? `:${c.job.status.state}` : ''}`,
    );
  });
  watches.push(w);
  await w.synced;
  return { seen, w };
}

const listRequests = () =>
  kube.requests.filter((r) =>
    /^GET \/apis\/prow\.k8s\.io\/v1\/namespaces\/[^/]+\/prowjobs\?(?!.*watch=true)/.test(r),
  ).length;

beforeAll(async () => {
  kube = await startFakeKube({ bookmarkIntervalMs: 150 });
  store = await KubeJobStore.open({
    kubeConfig: kube.kubeConfig(),
    namespace: NS,
    pageSize: 2,
    watch: { retry: { minMs: 50, maxMs: 200 } },
  });
});
afterEach(() => {
  while (watches.length) watches.pop()!.stop();
});
afterAll(async () => {
  await kube.close();
  expect(kube.state.rejections).toEqual([]);
  expect(kube.state.warnings).toEqual([]);
});

describe('KubeJobStore: ProwJob custom resources', () => {
  it("creates once in prowjob_namespace: a second create is AlreadyExists; the object passes Prow's CRD", async () => {
    const name = uniq('a');
    const created = await store.create(job(name));
    expect(created.metadata).toMatchObject({
      name,
      namespace: NS,
      resourceVersion: expect.stringMatching(/^\d+$/),
    });
    await expect(store.create(job(name))).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await store.get(name))?.spec.job).toBe('pull-unit');
    expect(kube.state.prowJob(NS, name)).toBeDefined();
  });

  it('get of a missing job is undefined', async () => {
    expect(await store.get('missing')).toBeUndefined();
  });

  it('update is compare-and-swap on resourceVersion: stale is ConflictError, gone is NotFoundError', async () => {
    const name = uniq('b');
    const created = await store.create(job(name));
    const updated = await store.update({
      ...created,
      status: { ...created.status, state: 'pending' },
    });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    await expect(store.update(created)).rejects.toBeInstanceOf(ConflictError);
    await store.delete(name);
    await expect(store.update(updated)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('updateWithRetry re-reads after a 409 Conflict', async () => {
    const name = uniq('c');
    await store.create(job(name));
    let attempts = 0;
    const res = await updateWithRetry(store, name, (pj) => {
      if (attempts++ === 0) {
        // another writer changes the job between our read and our write
        kube.state.patch(kube.state.def('prowjobs'), NS, name, {
          status: { description: 'other writer' },
        });
      }
      pj.status.state = 'pending';
    });
    expect(attempts).toBe(2);
    expect(res?.status).toMatchObject({ state: 'pending', description: 'other writer' });
  });

  it('lists by label selector across pages, and deletes (a missing job is fine; a stale version conflicts)', async () => {
    const pull = 1000 + ++seq;
    const names = [uniq('d'), uniq('d'), uniq('d')];
    for (const n of names) await store.create(job(n, pull));
    await store.create(job(uniq('d'), pull + 1));
    const sel = { 'prow.k8s.io/refs.pull': String(pull) };
    expect((await store.list(sel)).map((j) => j.metadata.name).sort()).toEqual([...names].sort());
    const [first] = await store.list(sel);
    await store.update({ ...first!, status: { ...first!.status, description: 'moved on' } });
    await expect(
      store.delete(first!.metadata.name, first!.metadata.resourceVersion),
    ).rejects.toBeInstanceOf(ConflictError);
    await store.delete(first!.metadata.name);
    await store.delete(first!.metadata.name);
    expect(await store.list(sel)).toHaveLength(2);
  });

  it('open() fails naming the cluster and the answer when ProwJobs cannot be listed', async () => {
    const kc = kube.kubeConfig({ token: 'wrong' });
    await expect(KubeJobStore.open({ kubeConfig: kc, namespace: NS })).rejects.toThrow(
      `cannot list prowjobs.prow.k8s.io in namespace ${NS} at ${kube.url}: 401 Unauthorized`,
    );
  });
});

describe('KubeJobStore.watch: the change feed', () => {
  it('replays the current jobs, is synced, then streams changes in order', async () => {
    const existing = uniq('w');
    await store.create(job(existing));
    const { seen } = await record();
    expect(seen).toContain(`init:put:${existing}:triggered`);
    expect(seen.every((s) => s.startsWith('init:'))).toBe(true);
    const name = uniq('w');
    const created = await store.create(job(name));
    await store.update({ ...created, status: { ...created.status, state: 'pending' } });
    await store.delete(existing);
    await expect
      .poll(() => seen.filter((s) => s.startsWith('upd:')))
      .toEqual([`upd:put:${name}:triggered`, `upd:put:${name}:pending`, `upd:delete:${existing}`]);
  });

  it('a watch that ends resumes from the last resourceVersion without a relist', async () => {
    const { seen } = await record();
    const lists = listRequests();
    kube.dropWatches();
    const name = uniq('r');
    await store.create(job(name));
    await expect.poll(() => seen).toContain(`upd:put:${name}:triggered`);
    expect(listRequests()).toBe(lists);
  });

  it('410 Expired: relists and reports exactly what changed while the watch was down', async () => {
    const keep = uniq('x');
    const change = uniq('x');
    const remove = uniq('x');
    for (const n of [keep, change, remove]) await store.create(job(n));
    const { seen, w } = await record();
    const before = seen.length;
    const added = uniq('x');
    await kube.stop(); // the watch fails and retries against a server that is down
    try {
      const pjs = kube.state.def('prowjobs');
      kube.state.patch(pjs, NS, change, { status: { state: 'pending' } });
      kube.state.delete(pjs, NS, remove);
      kube.state.create(pjs, NS, raw(added));
      kube.state.compact(); // the history the watch would resume from is gone
    } finally {
      await kube.start();
    }
    await expect
      .poll(() => seen.slice(before).sort(), { timeout: 10_000 })
      .toEqual(
        [`upd:delete:${remove}`, `upd:put:${added}:triggered`, `upd:put:${change}:pending`].sort(),
      );
    // and the feed goes on after the relist
    const after = uniq('x');
    await store.create(job(after));
    await expect.poll(() => seen).toContain(`upd:put:${after}:triggered`);
    expect(seen.filter((s) => s.includes(keep))).toEqual([`init:put:${keep}:triggered`]);
    w.stop();
  });

  it('bookmarks keep the resourceVersion fresh: a quiet watch resumes after compaction without a relist', async () => {
    const { seen } = await record();
    // Changes elsewhere move the resourceVersion on; only bookmarks tell this (quiet) watch.
    kube.state.create(kube.state.def('prowjobs'), 'other', raw(uniq('q'), 'other'));
    const moved = kube.state.resourceVersion();
    const lastWatchFrom = () =>
      Number(
        /resourceVersion=(\d+)/.exec(
          kube.requests.filter((r) => r.includes('watch=true')).at(-1) ?? '',
        )?.[1] ?? 0,
      );
    // Each drop makes the store watch again from the newest version it knows.
    await expect
      .poll(
        () => {
          kube.dropWatches();
          return lastWatchFrom();
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(moved);
    const lists = listRequests();
    kube.state.compact(); // without the bookmark, resuming would now be 410 Expired
    kube.dropWatches();
    const name = uniq('q');
    await store.create(job(name));
    await expect.poll(() => seen).toContain(`upd:put:${name}:triggered`);
    expect(listRequests()).toBe(lists);
  });

  it('stop(): no more changes are delivered and the watch connection is closed', async () => {
    // The store's ProwJob cache (started by the lists above) has a watch of its own: close()
    // ends it (later lists read the apiserver directly).
    store.close();
    const { seen, w } = await record();
    w.stop();
    await expect.poll(() => kube.openWatches(), { timeout: 5000 }).toBe(0);
    const count = seen.length;
    await store.create(job(uniq('s')));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(count);
  });
});
