// --kubeconfig and --in-cluster: which cluster, if any, the Kubernetes backends use.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions, UsageError } from './flags.js';

const dir = mkdtempSync(join(tmpdir(), 'kube-flags-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, '{}');

describe('--kubeconfig / --in-cluster', () => {
  beforeEach(() => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.96.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
  });
  afterEach(() => vi.unstubAllEnvs());

  const ok = [
    {
      name: 'neither: the embedded default',
      argv: [],
      want: { kubeconfig: undefined, inCluster: false },
    },
    {
      name: "--kubeconfig FILE (Prow's flag)",
      argv: [`--kubeconfig=${kubeconfig}`],
      want: { kubeconfig, inCluster: false },
    },
    {
      name: '--in-cluster alone means true',
      argv: ['--in-cluster'],
      want: { kubeconfig: undefined, inCluster: true },
    },
    {
      name: '--in-cluster=false',
      argv: ['--in-cluster=false'],
      want: { kubeconfig: undefined, inCluster: false },
    },
  ];
  for (const tc of ok) {
    it(tc.name, () => expect(parseOptions(tc.argv)).toMatchObject(tc.want));
  }

  const bad = [
    {
      name: 'a kubeconfig that cannot be read',
      argv: [`--kubeconfig=${join(dir, 'nope')}`],
      msg: '--kubeconfig: cannot read',
    },
    {
      name: 'both',
      argv: [`--kubeconfig=${kubeconfig}`, '--in-cluster'],
      msg: 'mutually exclusive',
    },
    {
      name: 'a non-boolean --in-cluster',
      argv: ['--in-cluster=maybe'],
      msg: '--in-cluster: expected true or false',
    },
  ];
  it('--in-cluster outside a Pod', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
    expect(() => parseOptions(['--in-cluster'])).toThrow(
      '--in-cluster: KUBERNETES_SERVICE_HOST/PORT are not set',
    );
  });

  for (const tc of bad) {
    it(tc.name, () => {
      expect(() => parseOptions(tc.argv)).toThrow(UsageError);
      expect(() => parseOptions(tc.argv)).toThrow(tc.msg);
    });
  }
});
