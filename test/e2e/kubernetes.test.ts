// The life of a job on the Kubernetes backends, end to end: hook, trigger, plank and reporter as
// separate processes with --kubeconfig pointing at the fake kube-apiserver (ProwJobs are
// prow.k8s.io/v1 custom resources there, builds are Pods), a real nats-server and the fake
// GitHub. The test plays scheduler and kubelet: it moves each Pod Pending → Running →
// Succeeded / Failed (restarting the apiserver, without its watch history, in between), and GitHub
// shows pending, then success / failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@jetprow/bus';
import {
  fakeSha,
  prCommentPayload,
  runningStatus,
  scheduledStatus,
  sendWebhook,
  startFakeGitHub,
  startFakeKube,
  startNats,
  terminatedStatus,
  type FakeGitHub,
  type FakeKube,
  type NatsHarness,
} from '@jetprow/testing';
import { Services, hookFlags, serviceFlags, writeConfigDir } from '../support/e2e-env.js';

const SECRET = 'k8s-e2e-secret';
const ORG = 'acme';
const REPO = 'gadgets';
const HEAD = fakeSha('k8s-head');
const PJ_NS = 'prow';
const POD_NS = 'test-pods';

let nats: NatsHarness;
let gh: FakeGitHub;
let kube: FakeKube;
let dir: string;
let hookPort: number;
let services: Services;

const JOBS = `
presubmits:
  ${ORG}/${REPO}:
  - name: pull-gadgets-unit
    always_run: true
    spec:
      containers:
      - image: golang:1.23
        command: [go, test, ./...]
  - name: pull-gadgets-lint
    always_run: true
    decorate: true
    spec:
      containers:
      - image: golangci/golangci-lint:v1.60
        command: [golangci-lint, run]
        resources:
          requests:
            cpu: 1.5
            memory: 2Gi
`;

// Decoration defaults as Prow users write them (Kubernetes' own config has the same shape).
const PLANK = `plank:
  default_decoration_config_entries:
  - config:
      timeout: 2h
      grace_period: 15s
      utility_images:
        clonerefs: gcr.io/k8s-prow/clonerefs:v20240801
        initupload: gcr.io/k8s-prow/initupload:v20240801
        entrypoint: gcr.io/k8s-prow/entrypoint:v20240801
        sidecar: gcr.io/k8s-prow/sidecar:v20240801
      gcs_configuration:
        bucket: acme-prow-logs
        path_strategy: explicit
      gcs_credentials_secret: gcs-credentials
`;

type Obj = Record<string, unknown> & {
  metadata: { name: string; labels?: Record<string, string> };
};
const prowJobs = () => kube.state.prowJobs(PJ_NS) as Obj[];
const pods = () => kube.state.pods(POD_NS) as Obj[];
const jobOf = (o: Obj) => o.metadata.labels?.['prow.k8s.io/job'] ?? '';
const stateOf = (o: Obj) => (o.status as { state?: string }).state;
const statuses = () => gh.state.statuses(gh.state.repo(ORG, REPO)!, HEAD);

const poll = <T>(what: () => T | Promise<T>, want: T, timeout = 60_000): Promise<void> =>
  services.explain(() => expect.poll(what, { timeout, interval: 200 }).toEqual(want));

beforeAll(async () => {
  [nats, gh, kube] = await Promise.all([startNats(), startFakeGitHub(), startFakeKube()]);
  gh.state.addOrgMember(ORG, 'alice');
  gh.state.setBranch(ORG, REPO, 'main', fakeSha('k8s-main'));
  gh.state.addPullRequest({
    owner: ORG,
    repo: REPO,
    number: 7,
    user: 'alice',
    head: { sha: HEAD, ref: 'feature' },
    base: { ref: 'main' },
  });

  dir = mkdtempSync(join(tmpdir(), 'jetprow-k8s-e2e-'));
  const paths = writeConfigDir(dir, {
    config: `prowjob_namespace: ${PJ_NS}\npod_namespace: ${POD_NS}\n${PLANK}`,
    jobs: JOBS,
    org: ORG,
    hmac: SECRET,
    token: 'k8s-e2e-token\n',
  });
  const kubeconfig = kube.writeKubeconfig(join(dir, 'kubeconfig'));
  hookPort = await freePort();
  services = new Services(
    [...serviceFlags(paths, nats.url, gh.url), `--kubeconfig=${kubeconfig}`],
    90_000, // four processes starting at once on two busy cores
  );
  await Promise.all([
    services.start('hook', hookFlags(paths, hookPort)),
    services.start('trigger'),
    services.start('plank'),
    services.start('reporter'),
  ]);
}, 180_000);

afterAll(async () => {
  await services?.stop();
  await Promise.all([gh?.close(), kube?.close(), nats?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('life of a job on Kubernetes (fake apiserver)', { timeout: 150_000 }, () => {
  it('comment → ProwJob CRs → Pods → the test moves the Pods through their phases → statuses on GitHub', async () => {
    const comment = prCommentPayload({
      org: ORG,
      repo: REPO,
      number: 7,
      prAuthor: 'alice',
      commenter: 'alice',
      body: '/test all',
    });
    expect(
      (await sendWebhook(`http://127.0.0.1:${hookPort}/hook`, SECRET, 'issue_comment', comment))
        .status,
    ).toBe(200);

    // trigger created the ProwJobs as custom resources in prowjob_namespace; plank made one Pod each
    await poll(() => prowJobs().map(jobOf).sort(), ['pull-gadgets-lint', 'pull-gadgets-unit']);
    await poll(() => pods().map(jobOf).sort(), ['pull-gadgets-lint', 'pull-gadgets-unit']);
    await poll(() => prowJobs().map(stateOf), ['pending', 'pending']);
    const byJob = new Map(pods().map((p) => [jobOf(p), p]));
    const unit = byJob.get('pull-gadgets-unit')!;
    const lint = byJob.get('pull-gadgets-lint')!;
    const unitJob = prowJobs().find((j) => jobOf(j) === 'pull-gadgets-unit')!;
    expect(unit.metadata.name).toBe(unitJob.metadata.name);
    const spec = unit.spec as {
      restartPolicy: string;
      containers: { name: string; env: { name: string; value: string }[] }[];
    };
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.containers[0]!.name).toBe('test');
    const env = Object.fromEntries(spec.containers[0]!.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      JOB_NAME: 'pull-gadgets-unit',
      PULL_NUMBER: '7',
      PULL_PULL_SHA: HEAD,
      PROW_JOB_ID: unit.metadata.name,
      REPO_OWNER: ORG,
    });
    expect(env.BUILD_ID).toBe((unitJob.status as { build_id: string }).build_id);
    // pull-gadgets-lint is `decorate: true`: the pod utilities around its command.
    const lintSpec = lint.spec as {
      initContainers?: { name: string }[];
      containers: { name: string; command: string[]; workingDir?: string }[];
    };
    expect(lintSpec.initContainers?.map((c) => c.name)).toEqual([
      'clonerefs',
      'initupload',
      'place-entrypoint',
    ]);
    expect(lintSpec.containers.map((c) => c.name)).toEqual(['test', 'sidecar']);
    expect(lintSpec.containers[0]!.command).toEqual(['/tools/entrypoint']);
    // clonerefs checks out to src/<repo_link without scheme>: here the fake GitHub's host.
    const lintJob = prowJobs().find((j) => jobOf(j) === 'pull-gadgets-lint')!;
    const link = (lintJob.spec as { refs: { repo_link: string } }).refs.repo_link;
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${ORG}/${REPO}$`));
    expect(lintSpec.containers[0]!.workingDir).toBe(`/home/prow/go/src/${link.split('://')[1]}`);
    expect(spec.containers.map((c) => c.name)).toEqual(['test']);

    // GitHub shows pending for both contexts
    // (triggered and pending both map to GitHub's "pending": one or two such statuses per context,
    // depending on whether plank moved the job on before reporter wrote)
    await poll(
      () =>
        [
          ...new Set(
            statuses()
              .filter((s) => s.state === 'pending')
              .map((s) => s.context),
          ),
        ].sort(),
      ['pull-gadgets-lint', 'pull-gadgets-unit'],
    );

    // scheduler and kubelet: Pending (scheduled) → Running → Succeeded / Failed
    for (const p of [unit, lint]) {
      kube.state.bindPod(POD_NS, p.metadata.name);
      kube.state.setPodStatus(POD_NS, p.metadata.name, (pod) => scheduledStatus(pod));
      kube.state.setPodStatus(POD_NS, p.metadata.name, (pod) => runningStatus(pod));
    }
    // the apiserver restarts and its watch history is gone: plank's watches resume (410 → relist)
    await kube.stop();
    kube.state.compact();
    await kube.start();
    kube.state.setPodLog(POD_NS, unit.metadata.name, 'ok  \tacme/gadgets\t0.42s\n');
    kube.state.setPodStatus(POD_NS, unit.metadata.name, (pod) =>
      terminatedStatus(pod, { exitCode: 0 }),
    );
    kube.state.setPodStatus(POD_NS, lint.metadata.name, (pod) =>
      terminatedStatus(pod, { exitCode: 1 }),
    );

    await poll(
      () =>
        prowJobs()
          .map((j) => `${jobOf(j)}:${stateOf(j)}`)
          .sort(),
      ['pull-gadgets-lint:failure', 'pull-gadgets-unit:success'],
    );
    await poll(
      () =>
        statuses()
          .filter((s) => s.state !== 'pending')
          .map((s) => `${s.context}:${s.state}`)
          .sort(),
      ['pull-gadgets-lint:failure', 'pull-gadgets-unit:success'],
    );
    const done = statuses().find(
      (s) => s.context === 'pull-gadgets-unit' && s.state === 'success',
    )!;
    expect(done.description).toMatch(/^Job succeeded\./);

    // the job page plank serves shows the Pod's log
    const url = (
      prowJobs().find((j) => jobOf(j) === 'pull-gadgets-unit')!.status as { url: string }
    ).url;
    expect(await (await fetch(url)).text()).toContain('acme/gadgets');

    // one Pod per ProwJob, ever; every ProwJob and Pod written was valid for Prow's CRD / the Pod schema
    const creates = kube.state.log.filter((l) => l.startsWith(`create pods ${POD_NS}/`));
    expect(creates.sort()).toEqual(
      [unit, lint].map((p) => `create pods ${POD_NS}/${p.metadata.name}`).sort(),
    );
    expect(kube.state.rejections).toEqual([]);
    expect(kube.state.warnings).toEqual([]);
    // and the KV bucket, the embedded default, was not used for ProwJobs
    const res = await fetch(`${nats.monitorUrl}/jsz?streams=true`);
    const streams =
      ((await res.json()) as { account_details?: { stream_detail?: { name: string }[] }[] })
        .account_details?.[0]?.stream_detail ?? [];
    expect(streams.map((s) => s.name)).toContain('PROW_EVENTS');
    expect(streams.map((s) => s.name)).not.toContain('KV_prowjobs');
  });
});
