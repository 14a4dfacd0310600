// The fake kube-apiserver: state + HTTP server, started on a free loopback port.
//   await using kube = await startFakeKube();
//   const kc = kube.kubeConfig();            // the real @kubernetes/client-node talks to it
//   kube.state.setPodStatus('default', name, (p) => runningStatus(p));
import type { KubeConfig } from '@kubernetes/client-node';
import { buildKubeConfig, writeKubeconfig } from './kubeconfig.js';
import { createFakeKubeServer, type FakeKubeOptions } from './server.js';
import { FakeKubeState } from './state.js';
import { loadPodSchema } from './validation.js';

export interface FakeKube extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly state: FakeKubeState;
  /** Every request as `METHOD /path?query`, in order (` (anonymous)` without credentials). */
  readonly requests: string[];
  /** A client-node KubeConfig for the fake (another token: a client that gets 401). */
  kubeConfig(opts?: { namespace?: string; token?: string }): KubeConfig;
  /** Writes a kubeconfig file for processes and kubectl; returns the path. */
  writeKubeconfig(path: string, namespace?: string): string;
  /** Ends every open watch, as a watch timeout or an apiserver rollout does. */
  dropWatches(): void;
  openWatches(): number;
  /** Stops the server and starts it again on the same port with the same state (etcd survives). */
  restart(): Promise<void>;
  /** Stops serving (the state stays readable). */
  stop(): Promise<void>;
  /** Serves again after stop(), on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeKube(opts: FakeKubeOptions = {}): Promise<FakeKube> {
  // Loaded here, not with @jetprow/testing: most suites import it only for NATS or the fake GitHub.
  const [{ KubeConfig }] = await Promise.all([import('@kubernetes/client-node'), loadPodSchema()]);
  const state = opts.state ?? new FakeKubeState();
  const token = opts.token ?? 'fake-kube-token';
  const server = createFakeKubeServer(state, { ...opts, token });
  await server.listen();
  const url = `http://127.0.0.1:${server.port}`;
  const kube: FakeKube = {
    url,
    port: server.port,
    token,
    state,
    requests: server.requests,
    kubeConfig: (o = {}) => buildKubeConfig(KubeConfig, { url, token, ...o }),
    writeKubeconfig: (path, namespace) =>
      writeKubeconfig(path, { url, token, ...(namespace ? { namespace } : {}) }),
    dropWatches: () => server.dropWatches(),
    openWatches: () => server.openWatches(),
    async restart() {
      await server.close();
      await server.listen();
    },
    stop: () => server.close(),
    start: () => server.listen(),
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
  return kube;
}

export { FakeKubeState } from './state.js';
export { mergePatch } from './merge-patch.js';
export type { Fault, StoredEvent, Verb, WriteOptions, ListOptions } from './state.js';
export type { FakeKubeOptions } from './server.js';
export { StatusError } from './status.js';
export type { KubeStatus } from './status.js';
export {
  kubeTime,
  scheduledStatus,
  runningStatus,
  terminatedStatus,
  evictedStatus,
  oomKilledStatus,
  nodeLostStatus,
  unknownStatus,
} from './kubelet.js';
export type { Termination } from './kubelet.js';
export {
  kubeconfigDocument,
  buildKubeConfig,
  fakeKubeConfig,
  writeKubeconfig,
} from './kubeconfig.js';
export type { KubeconfigTarget } from './kubeconfig.js';
export { compileSelector, parseSelector, SelectorError } from './label-selector.js';
export { CRD_PATH } from './resources.js';
export { podProblems } from './validation.js';
