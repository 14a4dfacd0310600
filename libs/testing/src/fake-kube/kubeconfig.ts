// How clients reach the fake apiserver: a client-node KubeConfig, or a kubeconfig file for
// processes (`--kubeconfig`) and kubectl. Plain http needs insecure-skip-tls-verify (client-node
// refuses http otherwise). client-node is loaded only when a KubeConfig is built, so importing
// @jetprow/testing (for NATS or the fake GitHub) does not pay for it.
import { writeFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeconfigTarget {
  url: string;
  token: string;
  /** The context's namespace. Default `default`. */
  namespace?: string;
}

/** The kubeconfig document (JSON, which is YAML), one context `fake` as the current one. */
export function kubeconfigDocument(t: KubeconfigTarget): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster: { server: t.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'fake', user: { token: t.token } }],
    contexts: [
      {
        name: 'fake',
        context: { cluster: 'fake', user: 'fake', namespace: t.namespace ?? 'default' },
      },
    ],
    'current-context': 'fake',
  };
}

type KubeConfigClass = new () => KubeConfig;

/** A client-node KubeConfig for the target, given client-node's KubeConfig class. */
export function buildKubeConfig(Class: KubeConfigClass, t: KubeconfigTarget): KubeConfig {
  const kc = new Class();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: t.url, skipTLSVerify: true }],
    users: [{ name: 'fake', token: t.token }],
    contexts: [
      { name: 'fake', cluster: 'fake', user: 'fake', namespace: t.namespace ?? 'default' },
    ],
    currentContext: 'fake',
  });
  return kc;
}

/** The same, loading client-node on first use (it is not loaded with @jetprow/testing). */
export async function fakeKubeConfig(t: KubeconfigTarget): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  return buildKubeConfig(KubeConfig, t);
}

export function writeKubeconfig(path: string, t: KubeconfigTarget): string {
  writeFileSync(path, `${JSON.stringify(kubeconfigDocument(t), null, 2)}\n`, { mode: 0o600 });
  return path;
}
