// Renders a kustomization with the real kubectl (`kubectl kustomize`, kustomize built in) and
// parses the stream of documents. `KUBECTL` picks the binary (e.g. Debian's kubectl 1.20 with
// kustomize v2.0.3, to check the manifests against the oldest kustomize they support).
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export class RenderError extends Error {
  override readonly name = 'RenderError';
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `$KUBECTL`, else the first `kubectl` on PATH, else undefined. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.KUBECTL) return env.KUBECTL;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((d) => join(d, 'kubectl')).find(executable);
}

export function kubectlVersion(kubectl: string): string {
  return execFileSync(kubectl, ['version', '--client'], { encoding: 'utf8' }).trim();
}

export function parseDocuments(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new RenderError(`${source}: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const o = value as Partial<K8sObject>;
    if (!o.apiVersion || !o.kind || !o.metadata?.name) {
      throw new RenderError(`${source}: a document without apiVersion, kind or metadata.name`);
    }
    objects.push(o as K8sObject);
  }
  return objects;
}

export function render(kubectl: string, dir: string): K8sObject[] {
  let out: string;
  try {
    out = execFileSync(kubectl, ['kustomize', dir], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (cause) {
    const stderr = String((cause as { stderr?: unknown }).stderr ?? '').trim();
    throw new RenderError(`kubectl kustomize ${dir} failed: ${stderr}`, { cause });
  }
  return parseDocuments(out, dir);
}

export function objectId(o: K8sObject): string {
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}
