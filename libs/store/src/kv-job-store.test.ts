import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newProwJob, presubmitSpec } from '@jetprow/core';
import type { ProwJob } from '@jetprow/schemas';
import { AlreadyExistsError, ConflictError, updateWithRetry } from './job-store.js';
import type { KvJobStore } from './kv-job-store.js';
import { startStoreHarness, type StoreHarness } from '../testing/index.js';

let h: StoreHarness | undefined;
let store: KvJobStore;

function job(name: string, pull = 1): ProwJob {
  const spec = presubmitSpec(
    { name: 'pull-unit', spec: { containers: [{ command: ['true'] }] } },
    {
      org: 'o',
      repo: 'r',
      base_ref: 'main',
      base_sha: 'b',
      pulls: [{ number: pull, author: 'a', sha: 's' }],
    },
  );
  return newProwJob(spec, { name, now: new Date('2026-01-01T00:00:00Z') });
}

beforeAll(async () => {
  h = await startStoreHarness('store-test');
  ({ store } = h);
});
afterAll(async () => {
  await h?.close();
});

describe('KvJobStore', () => {
  it('creates once: a second create of the same name is AlreadyExists', async () => {
    const created = await store.create(job('a1'));
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    await expect(store.create(job('a1'))).rejects.toBeInstanceOf(AlreadyExistsError);
    expect((await store.get('a1'))?.spec.job).toBe('pull-unit');
  });

  it('update is compare-and-swap on resourceVersion', async () => {
    const created = await store.create(job('a2'));
    const first = { ...created, status: { ...created.status, state: 'pending' as const } };
    const updated = await store.update(first);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    await expect(store.update({ ...created })).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get('a2'))?.status.state).toBe('pending');
    // The stored value carries no resourceVersion (the KV revision is the version).
    const stored = (await store.kv.get('a2'))?.json<ProwJob>();
    expect(stored?.metadata).not.toHaveProperty('resourceVersion');
    expect(stored?.status.state).toBe('pending');
  });

  it('updateWithRetry re-reads on conflict', async () => {
    await store.create(job('a3'));
    let interfered = false;
    let attempts = 0;
    // A store whose first read is made stale by a concurrent writer.
    const racy = Object.create(store) as KvJobStore;
    racy.get = async (name: string) => {
      const read = await store.get(name);
      if (read && !interfered) {
        interfered = true;
        await store.update({ ...read, status: { ...read.status, description: 'other writer' } });
      }
      return read;
    };
    const res = await updateWithRetry(racy, 'a3', (pj) => {
      attempts++;
      pj.status.state = 'success';
    });
    expect(attempts).toBe(2);
    expect(res?.status.state).toBe('success');
    expect(res?.status.description).toBe('other writer');
  });

  it('lists by label selector and deletes', async () => {
    await store.create(job('b1', 7));
    await store.create(job('b2', 7));
    await store.create(job('b3', 8));
    const sel = { 'prow.k8s.io/refs.pull': '7' };
    expect((await store.list(sel)).map((j) => j.metadata.name).sort()).toEqual(['b1', 'b2']);
    await store.delete('b1');
    expect((await store.list(sel)).map((j) => j.metadata.name)).toEqual(['b2']);
    expect(await store.get('b1')).toBeUndefined();
    await store.delete('b1'); // deleting a missing job is fine
  });

  it('watch replays current state, then streams changes', async () => {
    const seen: string[] = [];
    const w = await store.watch((c) => {
      seen.push(`${c.isUpdate ? 'upd' : 'init'}:${c.type}:${c.name}`);
    });
    await w.synced;
    expect(seen).toContain('init:put:b2');
    await store.create(job('c1'));
    await store.delete('b2');
    await expect.poll(() => seen).toEqual(expect.arrayContaining(['upd:put:c1', 'upd:delete:b2']));
    w.stop();
  });
});
