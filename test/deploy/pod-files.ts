// What a Deployment's container would see, laid out on this machine: its ConfigMap and Secret
// volumes written the way kubelet writes them (the files under `..<timestamp>/`, reached through
// the `..data` symlink and one symlink per key), emptyDirs as empty directories, `$(VAR)` in args
// expanded from its env, and every absolute path in a `--flag=/path` moved under `root`. So the
// real flag parser and config loader can be run on exactly the command line the pod would run.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { K8sObject } from './render.js';

interface KeyRef {
  name: string;
  key: string;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef };
}
interface Container {
  name: string;
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: object;
}
export interface PodSpec {
  serviceAccountName?: string;
  containers: Container[];
  volumes?: Volume[];
}

export interface PodView {
  args: string[];
  /** References to objects or keys the rendered output lacks. */
  problems: string[];
}

export function podSpec(workload: K8sObject): PodSpec {
  return (workload as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
}

function dataOf(objects: K8sObject[], kind: 'ConfigMap' | 'Secret', name: string, ns?: string) {
  const o = objects.find(
    (x) => x.kind === kind && x.metadata.name === name && x.metadata.namespace === ns,
  ) as { data?: Record<string, string> } | undefined;
  if (!o) return undefined;
  const data = o.data ?? {};
  if (kind === 'ConfigMap') return data;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

function writeVolume(dir: string, files: Record<string, string>): void {
  const stamp = '..2026_01_01_00_00_00.000000001';
  mkdirSync(join(dir, stamp), { recursive: true });
  for (const [key, text] of Object.entries(files)) writeFileSync(join(dir, stamp, key), text);
  symlinkSync(stamp, join(dir, '..data'));
  for (const key of Object.keys(files)) symlinkSync(join('..data', key), join(dir, key));
}

export function layOutPod(objects: K8sObject[], workload: K8sObject, root: string): PodView {
  const ns = workload.metadata.namespace;
  const spec = podSpec(workload);
  const container = spec.containers[0]!;
  const problems: string[] = [];
  const lookup = (kind: 'ConfigMap' | 'Secret', name: string) => {
    const data = dataOf(objects, kind, name, ns);
    if (!data) problems.push(`${kind} ${ns}/${name} is referenced but not rendered`);
    return data ?? {};
  };

  for (const mount of container.volumeMounts ?? []) {
    const volume = spec.volumes?.find((v) => v.name === mount.name);
    const dir = join(root, mount.mountPath);
    if (volume?.configMap) writeVolume(dir, lookup('ConfigMap', volume.configMap.name));
    else if (volume?.secret) writeVolume(dir, lookup('Secret', volume.secret.secretName));
    else if (volume?.emptyDir) mkdirSync(dir, { recursive: true });
    else problems.push(`volumeMount ${mount.name} has no configMap, secret or emptyDir volume`);
  }

  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const cm = e.valueFrom?.configMapKeyRef;
    const secret = e.valueFrom?.secretKeyRef;
    const ref = cm ?? secret;
    if (ref) {
      const value = lookup(cm ? 'ConfigMap' : 'Secret', ref.name)[ref.key];
      if (value === undefined) problems.push(`env ${e.name}: no key ${ref.key} in ${ref.name}`);
      env[e.name] = value ?? '';
    } else {
      env[e.name] = e.value ?? '';
    }
  }

  const args = (container.args ?? []).map((arg) =>
    arg
      .replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole)
      .replace(/^(--[\w-]+=)(\/.*)$/, (_, flag: string, path: string) => flag + join(root, path)),
  );
  return { args, problems };
}
