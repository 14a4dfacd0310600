// A second real client against the fake apiserver: kubectl (client-go), where it is installed.
// It discovers the API, gets the ProwJob printer columns of Prow's CRD, and sees the apiserver's
// errors as a real cluster would give them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startFakeKube, type FakeKube } from './index.js';

const kubectl = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'kubectl'))
  .find((p) => existsSync(p));

let kube: FakeKube;
let dir: string;
let kubeconfig: string;

interface Run {
  code: number;
  out: string;
  err: string;
}
const run = (...args: string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      kubectl!,
      ['--kubeconfig', kubeconfig, ...args],
      { encoding: 'utf8', timeout: 30_000 },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });

const prowJobYaml = (name: string) => `apiVersion: prow.k8s.io/v1
kind: ProwJob
metadata:
  name: ${name}
  labels:
    created-by-prow: "true"
spec:
  type: presubmit
  job: pull-widgets-unit
  agent: kubernetes
  refs:
    org: acme
    repo: widgets
    base_ref: main
    pulls:
    - number: 12
      author: alice
      sha: 0123456789abcdef0123456789abcdef01234567
status:
  startTime: "2026-01-01T00:00:00Z"
  state: triggered
`;

const title = kubectl
  ? `kubectl (${kubectl}) against the fake apiserver`
  : 'kubectl against the fake apiserver: SKIPPED, no kubectl on PATH';

describe.skipIf(!kubectl)(title, () => {
  beforeAll(async () => {
    kube = await startFakeKube();
    dir = mkdtempSync(join(tmpdir(), 'fake-kube-kubectl-'));
    kubeconfig = kube.writeKubeconfig(join(dir, 'kubeconfig'));
    writeFileSync(join(dir, 'pj.yaml'), prowJobYaml('kubectl-pj'));
  });
  afterAll(async () => {
    await kube?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("create, then get prowjobs with the printer columns of Prow's CRD", async () => {
    const created = await run('create', '--validate=false', '-f', join(dir, 'pj.yaml'));
    expect(created).toMatchObject({ code: 0, out: 'prowjob.prow.k8s.io/kubectl-pj created\n' });
    const got = await run('get', 'prowjobs');
    expect(got.code).toBe(0);
    const [header, row] = got.out
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/));
    expect(header).toEqual([
      'NAME',
      'JOB',
      'BUILDID',
      'TYPE',
      'ORG',
      'REPO',
      'PULLS',
      'STARTTIME',
      'COMPLETIONTIME',
      'STATE',
    ]);
    expect(row).toEqual(
      expect.arrayContaining([
        'kubectl-pj',
        'pull-widgets-unit',
        'presubmit',
        'acme',
        'widgets',
        '12',
        'triggered',
      ]),
    );
  });

  it('a second create is AlreadyExists', async () => {
    const again = await run('create', '--validate=false', '-f', join(dir, 'pj.yaml'));
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('Error from server (AlreadyExists)');
  });

  it('patch --type=merge and -o jsonpath', async () => {
    const patched = await run(
      'patch',
      'prowjob',
      'kubectl-pj',
      '--type=merge',
      '-p',
      '{"status":{"state":"pending"}}',
    );
    expect(patched.code).toBe(0);
    const state = await run('get', 'prowjob', 'kubectl-pj', '-o', 'jsonpath={.status.state}');
    expect(state.out).toBe('pending');
  });

  it('delete, then get is NotFound', async () => {
    expect((await run('delete', 'prowjob', 'kubectl-pj')).code).toBe(0);
    const gone = await run('get', 'prowjob', 'kubectl-pj');
    expect(gone.err).toContain('Error from server (NotFound)');
  });
});
