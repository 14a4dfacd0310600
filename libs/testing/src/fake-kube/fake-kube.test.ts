// The fake apiserver driven by the real @kubernetes/client-node 1.4: each case is a behaviour of
// the real apiserver that jetprow's Kubernetes backends rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './index.js';
import { runningStatus, terminatedStatus } from './kubelet.js';

let kube: FakeKube;
let custom: k8s.CustomObjectsApi;
let core: k8s.CoreV1Api;
let seq = 0;
const pjApi = { group: 'prow.k8s.io', version: 'v1', namespace: 'default', plural: 'prowjobs' };
const PJ_PATH = '/apis/prow.k8s.io/v1/namespaces/default/prowjobs';
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

function prowJob(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'prow.k8s.io/v1',
    kind: 'ProwJob',
    metadata: { name, labels: { 'created-by-prow': 'true', ...labels } },
    spec: {
      type: 'periodic',
      job: 'ci-periodic',
      agent: 'kubernetes',
      pod_spec: { containers: [{ name: '', image: 'alpine' }] },
    },
    status: { startTime: '2026-01-01T00:00:00Z', state: 'triggered' },
  };
}
const pod = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels: { 'created-by-prow': 'true', ...labels } },
  spec: {
    restartPolicy: 'Never',
    containers: [{ name: 'test', image: 'alpine:3', command: ['true'] }],
  },
});
const uniq = (p: string) => `${p}-${++seq}`;

interface ApiErr {
  code: number;
  reason: string;
  message: string;
}
async function apiError(p: Promise<unknown>): Promise<ApiErr> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(k8s.ApiException);
  const e = err as k8s.ApiException<string>;
  const body = JSON.parse(e.body) as { reason: string; message: string };
  return { code: e.code, reason: body.reason, message: body.message };
}

type Seen = { type: string; name: string; rv: string };
async function watch(path: string, query: Record<string, string | number | boolean | undefined>) {
  const seen: Seen[] = [];
  let done: unknown = 'open';
  const ctl = await new k8s.Watch(kube.kubeConfig()).watch(
    path,
    query,
    (type, obj: { metadata?: { name?: string; resourceVersion?: string }; code?: number }) =>
      seen.push({
        type,
        name: obj.metadata?.name ?? String(obj.code ?? ''),
        rv: obj.metadata?.resourceVersion ?? '',
      }),
    (err) => (done = err ?? null),
  );
  return { seen, ctl, done: () => done };
}

beforeAll(async () => {
  kube = await startFakeKube({ bookmarkIntervalMs: 200 });
  custom = kube.kubeConfig().makeApiClient(k8s.CustomObjectsApi);
  core = kube.kubeConfig().makeApiClient(k8s.CoreV1Api);
});
afterAll(async () => {
  await kube.close();
});

describe('fake kube-apiserver: objects', () => {
  it('create gives resourceVersion, uid and creationTimestamp; a second create is 409 AlreadyExists', async () => {
    const name = uniq('pj');
    const created = await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(name) });
    expect(created.metadata).toMatchObject({
      name,
      namespace: 'default',
      resourceVersion: expect.stringMatching(/^\d+$/),
      uid: expect.any(String),
    });
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(
      await apiError(custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(name) })),
    ).toEqual({
      code: 409,
      reason: 'AlreadyExists',
      message: `prowjobs.prow.k8s.io "${name}" already exists`,
    });
  });

  it('replace with a stale resourceVersion is 409 Conflict; with the current one it bumps the version', async () => {
    const name = uniq('pj');
    const created = await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(name) });
    const next = { ...created, status: { ...created.status, state: 'pending' } };
    const replaced = await custom.replaceNamespacedCustomObject({ ...pjApi, name, body: next });
    expect(Number(replaced.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    expect(replaced.status.state).toBe('pending');
    const stale = await apiError(
      custom.replaceNamespacedCustomObject({ ...pjApi, name, body: created }),
    );
    expect(stale).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(stale.message).toContain('the object has been modified');
  });

  it('a custom resource replaced without resourceVersion is 422 (no unconditional update for CRs)', async () => {
    const name = uniq('pj');
    await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(name) });
    const err = await apiError(
      custom.replaceNamespacedCustomObject({ ...pjApi, name, body: prowJob(name) }),
    );
    expect(err).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(err.message).toContain('metadata.resourceVersion');
  });

  it("a ProwJob that breaks Prow's CRD is 422 Invalid naming the field", async () => {
    const body = prowJob(uniq('pj'));
    (body.spec as Record<string, unknown>).type = 'nightly';
    const err = await apiError(custom.createNamespacedCustomObject({ ...pjApi, body }));
    expect(err).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(err.message).toContain('spec.type: Unsupported value');
  });

  it('fields the CRD does not declare are pruned with a warning, or refused with fieldValidation=Strict', async () => {
    const name = uniq('pj');
    const body = prowJob(name);
    (body.spec as Record<string, unknown>).flavour = 'extra';
    const before = kube.state.warnings.length;
    const created = await custom.createNamespacedCustomObject({ ...pjApi, body });
    expect(created.spec.flavour).toBeUndefined();
    expect(kube.state.warnings.slice(before)).toEqual([
      `create prowjobs default/${name}: unknown field "spec.flavour"`,
    ]);
    const strict = await apiError(
      custom.createNamespacedCustomObject({
        ...pjApi,
        body: { ...body, metadata: { name: uniq('pj') } },
        fieldValidation: 'Strict',
      }),
    );
    expect(strict).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'strict decoding error: unknown field "spec.flavour"',
    });
  });

  it('a Pod that breaks the Kubernetes Pod schema is 422 Invalid', async () => {
    const body = {
      metadata: { name: uniq('bad') },
      spec: { restartPolicy: 'Sometimes', containers: [{ name: 'test' }] },
    };
    const err = await apiError(
      core.createNamespacedPod({ namespace: 'default', body: body as k8s.V1Pod }),
    );
    expect(err).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(err.message).toContain('spec.restartPolicy');
  });

  it('an invalid object name is 422 Invalid', async () => {
    const err = await apiError(
      custom.createNamespacedCustomObject({ ...pjApi, body: prowJob('Not_A_DNS_Name') }),
    );
    expect(err).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(err.message).toContain('metadata.name');
  });

  it('a missing object is 404 NotFound', async () => {
    expect(
      await apiError(custom.getNamespacedCustomObject({ ...pjApi, name: 'nope' })),
    ).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'prowjobs.prow.k8s.io "nope" not found',
    });
  });

  it('list by label selector (equality and set-based), paged with limit/continue', async () => {
    const batch = uniq('batch');
    for (const n of ['a', 'b', 'c']) {
      await custom.createNamespacedCustomObject({
        ...pjApi,
        body: prowJob(`${batch}-${n}`, { batch, pick: n === 'b' ? 'no' : 'yes' }),
      });
    }
    const picked = await custom.listNamespacedCustomObject({
      ...pjApi,
      labelSelector: `batch=${batch},pick!=no`,
    });
    expect(picked.kind).toBe('ProwJobList');
    expect(picked.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual([
      `${batch}-a`,
      `${batch}-c`,
    ]);
    const setBased = await custom.listNamespacedCustomObject({
      ...pjApi,
      labelSelector: `batch in (${batch}),pick in (no)`,
    });
    expect(setBased.items).toHaveLength(1);
    const first = await custom.listNamespacedCustomObject({
      ...pjApi,
      labelSelector: `batch=${batch}`,
      limit: 2,
    });
    expect(first.items).toHaveLength(2);
    expect(first.metadata.continue).toBeTruthy();
    const rest = await custom.listNamespacedCustomObject({
      ...pjApi,
      labelSelector: `batch=${batch}`,
      limit: 2,
      _continue: first.metadata.continue,
    });
    expect(rest.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual([
      `${batch}-c`,
    ]);
    expect(rest.metadata.continue).toBeUndefined();
  });

  it('merge patch applies; JSON patch (the client default) is 415 in this fake', async () => {
    const name = uniq('pj');
    await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(name) });
    const patched = await custom.patchNamespacedCustomObject(
      { ...pjApi, name, body: { status: { description: 'patched' } } },
      merge,
    );
    expect(patched.status).toMatchObject({ state: 'triggered', description: 'patched' });
    const err = await apiError(
      custom.patchNamespacedCustomObject({
        ...pjApi,
        name,
        body: [{ op: 'replace', path: '/status/state', value: 'pending' }],
      }),
    );
    expect(err.code).toBe(415);
  });

  it('delete with a stale resourceVersion precondition is 409; without one it deletes', async () => {
    const name = uniq('pj');
    const created = await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(name) });
    await custom.patchNamespacedCustomObject(
      { ...pjApi, name, body: { status: { description: 'x' } } },
      merge,
    );
    const stale = { preconditions: { resourceVersion: created.metadata.resourceVersion } };
    expect(
      await apiError(custom.deleteNamespacedCustomObject({ ...pjApi, name, body: stale })),
    ).toMatchObject({ code: 409, reason: 'Conflict' });
    await custom.deleteNamespacedCustomObject({ ...pjApi, name });
    expect(kube.state.prowJob('default', name)).toBeUndefined();
  });

  it('client-node sends the bearer token; a wrong token is 401', async () => {
    await custom.listNamespacedCustomObject({ ...pjApi });
    expect(kube.requests.filter((r) => r.endsWith('(anonymous)'))).toEqual([]);
    const res = await fetch(`${kube.url}${PJ_PATH}`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(res.status).toBe(401);
  });

  it('an injected failure answers the next matching request', async () => {
    kube.state.failNext({ verb: 'create', resource: 'pods', code: 500, reason: 'InternalError' });
    expect(
      await apiError(core.createNamespacedPod({ namespace: 'default', body: pod(uniq('p')) })),
    ).toMatchObject({ code: 500, reason: 'InternalError' });
    await core.createNamespacedPod({ namespace: 'default', body: pod(uniq('p')) });
  });
});

describe('fake kube-apiserver: Pods', () => {
  it('a new Pod is Pending with defaults; its status is written only through /status', async () => {
    const name = uniq('p');
    const created = await core.createNamespacedPod({
      namespace: 'default',
      body: { ...pod(name), status: { phase: 'Running' } },
    });
    expect(created.status?.phase).toBe('Pending');
    expect(created.spec?.dnsPolicy).toBe('ClusterFirst');
    const running = kube.state.setPodStatus('default', name, (p) => runningStatus(p));
    expect((running.status as { phase: string }).phase).toBe('Running');
    const current = await core.readNamespacedPod({ name, namespace: 'default' });
    const replaced = await core.replaceNamespacedPod({
      name,
      namespace: 'default',
      body: { ...current, status: { phase: 'Failed' } },
    });
    expect(replaced.status?.phase).toBe('Running'); // the main resource does not write status
    const viaStatus = await core.replaceNamespacedPodStatus({
      name,
      namespace: 'default',
      body: { ...replaced, status: { ...replaced.status, phase: 'Succeeded' } },
    });
    expect(viaStatus.status?.phase).toBe('Succeeded');
  });

  it("a Pod's spec is immutable apart from images", async () => {
    const name = uniq('p');
    const created = await core.createNamespacedPod({ namespace: 'default', body: pod(name) });
    const changed = { ...created, spec: { ...created.spec!, restartPolicy: 'Always' } };
    expect(
      await apiError(core.replaceNamespacedPod({ name, namespace: 'default', body: changed })),
    ).toMatchObject({ code: 422 });
  });

  it('graceful deletion: deletionTimestamp first, gone when the kubelet is done', async () => {
    kube.state.gracefulPodDeletion = true;
    try {
      const name = uniq('p');
      await core.createNamespacedPod({ namespace: 'default', body: pod(name) });
      kube.state.bindPod('default', name);
      await core.deleteNamespacedPod({ name, namespace: 'default' });
      expect(
        (kube.state.pod('default', name)?.metadata as { deletionTimestamp?: string })
          .deletionTimestamp,
      ).toBeTruthy();
      kube.state.removePod('default', name);
      expect(kube.state.pod('default', name)).toBeUndefined();
    } finally {
      kube.state.gracefulPodDeletion = false;
    }
  });

  it('pod logs: 400 while the container is waiting, the text once it ran', async () => {
    const name = uniq('p');
    await core.createNamespacedPod({ namespace: 'default', body: pod(name) });
    expect((await apiError(core.readNamespacedPodLog({ name, namespace: 'default' }))).code).toBe(
      400,
    );
    kube.state.setPodStatus('default', name, (p) => terminatedStatus(p, { exitCode: 0 }));
    kube.state.setPodLog('default', name, 'hello\n');
    expect(await core.readNamespacedPodLog({ name, namespace: 'default', container: 'test' })).toBe(
      'hello\n',
    );
  });
});

describe('fake kube-apiserver: watch', () => {
  it('from a list resourceVersion: ADDED, MODIFIED, DELETED in order, filtered by label selector', async () => {
    const run = uniq('run');
    const list = await custom.listNamespacedCustomObject({ ...pjApi, labelSelector: `run=${run}` });
    const w = await watch(PJ_PATH, {
      resourceVersion: list.metadata.resourceVersion,
      labelSelector: `run=${run}`,
    });
    const name = `${run}-x`;
    await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(name, { run }) });
    await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(`${run}-other`) });
    await custom.patchNamespacedCustomObject(
      { ...pjApi, name, body: { status: { state: 'pending' } } },
      merge,
    );
    await custom.deleteNamespacedCustomObject({ ...pjApi, name });
    await expect
      .poll(() => w.seen.map((s) => `${s.type}:${s.name}`))
      .toEqual([`ADDED:${name}`, `MODIFIED:${name}`, `DELETED:${name}`]);
    const rvs = w.seen.map((s) => Number(s.rv));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    w.ctl.abort();
  });

  it('an object that stops matching the selector is DELETED for that watch; one that starts matching is ADDED', async () => {
    const run = uniq('sel');
    const name = `${run}-x`;
    const list = await custom.listNamespacedCustomObject({ ...pjApi });
    const w = await watch(PJ_PATH, {
      resourceVersion: list.metadata.resourceVersion,
      labelSelector: `sel=${run}`,
    });
    await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(name) });
    await custom.patchNamespacedCustomObject(
      { ...pjApi, name, body: { metadata: { labels: { sel: run } } } },
      merge,
    );
    await custom.patchNamespacedCustomObject(
      { ...pjApi, name, body: { metadata: { labels: { sel: null } } } },
      merge,
    );
    await expect.poll(() => w.seen.map((s) => s.type)).toEqual(['ADDED', 'DELETED']);
    w.ctl.abort();
  });

  it('without a resourceVersion the current objects come first as ADDED', async () => {
    const run = uniq('init');
    await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(`${run}-a`, { run }) });
    const w = await watch(PJ_PATH, { labelSelector: `run=${run}` });
    await expect.poll(() => w.seen.map((s) => `${s.type}:${s.name}`)).toEqual([`ADDED:${run}-a`]);
    w.ctl.abort();
  });

  it('a resourceVersion older than the kept history is 410 Expired (an ERROR event), then the end', async () => {
    const before = kube.state.resourceVersion();
    await custom.createNamespacedCustomObject({ ...pjApi, body: prowJob(uniq('pj')) });
    kube.state.compact();
    const w = await watch(PJ_PATH, { resourceVersion: String(before) });
    await expect.poll(() => w.done()).toBe(null);
    expect(w.seen).toEqual([{ type: 'ERROR', name: '410', rv: '' }]);
  });

  it('bookmarks carry the current resourceVersion; timeoutSeconds ends the watch', async () => {
    const rv = String(kube.state.resourceVersion());
    const w = await watch(PJ_PATH, {
      resourceVersion: rv,
      allowWatchBookmarks: true,
      timeoutSeconds: 1,
    });
    await expect.poll(() => w.seen.some((s) => s.type === 'BOOKMARK')).toBe(true);
    expect(w.seen.find((s) => s.type === 'BOOKMARK')!.rv).toBe(
      String(kube.state.resourceVersion()),
    );
    await expect.poll(() => w.done(), { timeout: 5000 }).toBe(null);
  });

  it('dropWatches ends every open watch', async () => {
    const w = await watch(PJ_PATH, {});
    await expect.poll(() => kube.openWatches()).toBeGreaterThan(0);
    kube.dropWatches();
    await expect.poll(() => w.done()).toBe(null);
  });
});

describe('fake kube-apiserver: a watch refused with an HTTP 410', () => {
  it('client-node reports it to done() with statusCode 410', async () => {
    const gone = await startFakeKube({ goneAs: 'status' });
    try {
      const api = gone.kubeConfig().makeApiClient(k8s.CustomObjectsApi);
      await api.createNamespacedCustomObject({ ...pjApi, body: prowJob('x') });
      gone.state.compact();
      let done: unknown;
      await new k8s.Watch(gone.kubeConfig()).watch(
        PJ_PATH,
        { resourceVersion: '1' },
        () => {},
        (err) => (done = err),
      );
      await expect.poll(() => (done as { statusCode?: number } | undefined)?.statusCode).toBe(410);
    } finally {
      await gone.close();
    }
  });
});
