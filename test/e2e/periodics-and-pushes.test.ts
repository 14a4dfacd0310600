// Pushes and periodics end to end: hook, TWO trigger replicas and plank as separate processes
// (the CLI users run) on a real nats-server, the fake GitHub as GitHub. A signed push runs the
// repo's postsubmits to success; an `interval: 2s` periodic (horologium tick 1s on the bus timer)
// runs once per interval however many trigger replicas are up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectBus, freePort, type Bus } from '@jetprow/bus';
import type { ProwJob } from '@jetprow/schemas';
import { KvJobStore } from '@jetprow/store';
import {
  example,
  fakeSha,
  sendWebhook,
  startFakeGitHub,
  startNats,
  type FakeGitHub,
  type NatsHarness,
  type ServiceProcess,
} from '@jetprow/testing';
import { Services, hookFlags, serviceFlags, writeConfigDir } from '../support/e2e-env.js';

const SECRET = 'e2e-push-secret';
const ORG = 'acme';
const REPO = 'widgets';
const PUSHED = fakeSha('pushed-1');
const INTERVAL_MS = 2000;
// plank renders status.url from Prow's Go template (Kubernetes' own is in libs/core's tests).
const JOB_URL_TEMPLATE =
  'https://prow.example/view/gs/logs/{{if eq .Spec.Type "periodic"}}logs{{else}}{{.Spec.Refs.Org}}_{{.Spec.Refs.Repo}}{{end}}/{{.Spec.Job}}/{{.Status.BuildID}}/';

const JOBS = `
postsubmits:
  ${ORG}/${REPO}:
  - name: post-widgets-build
    branches: [^main$]
    spec:
      containers:
      - image: alpine
        command: [sh, -c]
        args: ['echo "build $JOB_NAME $PULL_BASE_REF $PULL_BASE_SHA"; test "$JOB_TYPE" = postsubmit']
  - name: post-widgets-docs
    run_if_changed: '^docs/'
    spec:
      containers:
      - image: alpine
        command: [sh, -c, 'echo docs']
periodics:
- name: ci-widgets-every-2s
  interval: 2s
  extra_refs: [{org: ${ORG}, repo: ${REPO}, base_ref: main}]
  spec:
    containers:
    - image: alpine
      command: [sh, -c]
      args: ['test "$JOB_TYPE" = periodic']
`;

let nats: NatsHarness;
let gh: FakeGitHub;
let bus: Bus;
let store: KvJobStore;
let dir: string;
let hookPort: number;
let services: Services;
let plank: ServiceProcess;

beforeAll(async () => {
  nats = await startNats();
  gh = await startFakeGitHub();
  gh.state.addOrgMember(ORG, 'alice');
  gh.state.setBranch(ORG, REPO, 'main', PUSHED);
  dir = mkdtempSync(join(tmpdir(), 'jetprow-e2e-periodics-'));
  const paths = writeConfigDir(dir, {
    config: `prowjob_namespace: default\nhorologium:\n  tick_interval: 1s\nplank:\n  job_url_template: '${JOB_URL_TEMPLATE}'\n`,
    jobs: JOBS,
    org: ORG,
    hmac: SECRET,
    token: 'e2e-token\n',
  });
  hookPort = await freePort();
  services = new Services(serviceFlags(paths, nats.url, gh.url), 60_000);
  await Promise.all([
    services.start('hook', hookFlags(paths, hookPort)),
    services.start('trigger'),
    services.start('trigger'),
    services.start('plank').then((p) => (plank = p)),
  ]);
  bus = await connectBus(nats.url, 'e2e-periodics-observer');
  store = await KvJobStore.open(bus.js);
}, 120_000);

afterAll(async () => {
  await services?.stop();
  await bus?.close();
  await gh?.close();
  await nats?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function pushPayload(): Record<string, unknown> {
  const p = example('push') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  p.ref = 'refs/heads/main';
  p.before = fakeSha('before');
  p.after = PUSHED;
  p.created = false;
  p.deleted = false;
  p.compare = `https://github.com/${ORG}/${REPO}/compare/before...after`;
  p.commits = [{ id: PUSHED, added: ['src/new.go'], removed: [], modified: ['README.md'] }];
  p.repository.name = REPO;
  p.repository.full_name = `${ORG}/${REPO}`;
  p.repository.owner.login = ORG;
  p.repository.owner.name = ORG;
  p.repository.html_url = `https://github.com/${ORG}/${REPO}`;
  p.pusher = { name: 'alice', email: 'alice@example.com' };
  p.sender.login = 'alice';
  return p;
}

const periodicRuns = async (): Promise<ProwJob[]> =>
  (await store.list({ 'prow.k8s.io/job': 'ci-widgets-every-2s' })).sort((a, b) =>
    a.status.startTime.localeCompare(b.status.startTime),
  );

describe('pushes and periodics through the bus', { timeout: 120_000 }, () => {
  it('a signed push runs the matching postsubmits, built by plank to success', async () => {
    const res = await sendWebhook(
      `http://127.0.0.1:${hookPort}/hook`,
      SECRET,
      'push',
      pushPayload(),
    );
    expect(res.status).toBe(200);
    await services.explain(() =>
      expect
        .poll(
          async () =>
            (await store.list({ 'event-GUID': res.delivery })).map(
              (j) => `${j.spec.job}:${j.status.state}`,
            ),
          { timeout: 60_000, interval: 250 },
        )
        .toEqual(['post-widgets-build:success']),
    );
    const [job] = await store.list({ 'event-GUID': res.delivery });
    expect(job!.spec).toMatchObject({
      type: 'postsubmit',
      refs: { org: ORG, repo: REPO, base_ref: 'main', base_sha: PUSHED },
    });
    expect(job!.status.url).toBe(
      `https://prow.example/view/gs/logs/${ORG}_${REPO}/post-widgets-build/${job!.status.build_id}/`,
    );
    const log = await fetch(`http://127.0.0.1:${plank.healthPort}/logs/${job!.metadata.name}`);
    expect(await log.text()).toContain(`build post-widgets-build main ${PUSHED}`);
  });

  it('an interval periodic runs once per interval with two trigger replicas up', async () => {
    await services.explain(() =>
      expect
        .poll(async () => (await periodicRuns()).length, { timeout: 60_000, interval: 500 })
        .toBeGreaterThanOrEqual(4),
    );
    const runs = await periodicRuns();
    const starts = runs.map((r) => Date.parse(r.status.startTime));
    // Never two runs for one slot: each run starts more than an interval after the one before.
    // (Names are KV keys, unique by construction: a slot run twice under two names shows here.)
    for (let i = 1; i < starts.length; i++)
      expect(starts[i]! - starts[i - 1]!).toBeGreaterThan(INTERVAL_MS);
    // And at most one run per interval over the whole window.
    expect(runs.length).toBeLessThanOrEqual(
      Math.floor((starts.at(-1)! - starts[0]!) / INTERVAL_MS) + 1,
    );
    // Plank built them: every run but possibly the newest succeeded.
    await expect
      .poll(
        async () => (await periodicRuns()).slice(0, runs.length - 1).map((r) => r.status.state),
        { timeout: 30_000 },
      )
      .toEqual(runs.slice(0, -1).map(() => 'success'));
    expect(runs[0]!.spec).toMatchObject({
      type: 'periodic',
      extra_refs: [{ org: ORG, repo: REPO, base_ref: 'main' }],
    });
    expect(runs[0]!.status.url).toBe(
      `https://prow.example/view/gs/logs/logs/ci-widgets-every-2s/${runs[0]!.status.build_id}/`,
    );
  });
});
