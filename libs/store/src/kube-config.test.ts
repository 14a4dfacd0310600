import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from '@jetprow/testing';
import { usesKubernetes } from './kube-backend.js';
import { KubeConfigError, loadKubeConfig } from './kube-config.js';

const dir = mkdtempSync(join(tmpdir(), 'kube-config-'));
const good = writeKubeconfig(join(dir, 'kubeconfig'), {
  url: 'https://10.0.0.1:6443',
  token: 't',
  namespace: 'prow',
});
writeFileSync(join(dir, 'broken'), 'clusters: [:\n');
writeFileSync(
  join(dir, 'no-context'),
  JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] }),
);

afterEach(() => vi.unstubAllEnvs());

describe('usesKubernetes (the embedded default stays unless a cluster is named)', () => {
  const cases = [
    { name: 'no flags: embedded default', opts: {}, want: false },
    { name: '--kubeconfig', opts: { kubeconfig: good }, want: true },
    { name: '--in-cluster', opts: { inCluster: true }, want: true },
  ];
  for (const tc of cases) it(tc.name, () => expect(usesKubernetes(tc.opts)).toBe(tc.want));
});

describe('loadKubeConfig', () => {
  it("--kubeconfig: the file's current context (cluster, token, namespace)", () => {
    const kc = loadKubeConfig({ kubeconfig: good });
    expect(kc.getCurrentCluster()?.server).toBe('https://10.0.0.1:6443');
    expect(kc.getCurrentUser()?.token).toBe('t');
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('prow');
  });

  it('--in-cluster: the service account of the Pod and KUBERNETES_SERVICE_HOST/PORT', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.96.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
    const root = join(dir, 'sa');
    mkdirSync(join(root, 'var/run/secrets/kubernetes.io/serviceaccount'), { recursive: true });
    writeFileSync(join(root, 'var/run/secrets/kubernetes.io/serviceaccount/namespace'), 'prow');
    const kc = loadKubeConfig({ inCluster: true }, root);
    expect(kc.getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
    expect(kc.getCurrentUser()?.authProvider?.config?.tokenFile).toBe(
      join(root, 'var/run/secrets/kubernetes.io/serviceaccount/token'),
    );
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('prow');
  });

  const bad = [
    {
      name: 'a missing file names the flag and the path',
      opts: { kubeconfig: join(dir, 'nope') },
      msg: `--kubeconfig: cannot load ${join(dir, 'nope')}`,
    },
    {
      name: 'unparsable YAML',
      opts: { kubeconfig: join(dir, 'broken') },
      msg: '--kubeconfig: cannot load',
    },
    {
      name: 'no current context',
      opts: { kubeconfig: join(dir, 'no-context') },
      msg: 'names no cluster',
    },
    { name: 'both flags', opts: { kubeconfig: good, inCluster: true }, msg: 'mutually exclusive' },
    {
      name: '--in-cluster outside a Pod',
      opts: { inCluster: true },
      msg: 'KUBERNETES_SERVICE_HOST',
    },
  ];
  for (const tc of bad) {
    it(tc.name, () => {
      vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
      expect(() => loadKubeConfig(tc.opts)).toThrow(KubeConfigError);
      expect(() => loadKubeConfig(tc.opts)).toThrow(tc.msg);
    });
  }
});
