// Validates rendered objects against Kubernetes' own schemas, as the API server would:
// - the JSON schema of the object's apiVersion/kind (kubernetes-models 4.x: Kubernetes 1.27's
//   OpenAPI, compiled with ajv): types, required fields, quantity and int-or-string formats;
//   CustomResourceDefinitions against the apiextensions.k8s.io/v1 schema;
// - unknown fields, which that schema allows but `kubectl apply` rejects (field validation
//   Strict, the default since kubectl 1.27): checked against the field lists of
//   @kubernetes/client-node's models (generated from Kubernetes 1.34's OpenAPI);
// - object names (DNS-1123), which no OpenAPI schema expresses.
import * as clientNode from '@kubernetes/client-node';
import type { K8sObject } from './render.js';

interface Attribute {
  baseName: string;
  type: string;
}
type ModelClass = { getAttributeTypeMap?: () => Attribute[] };
type Validatable = new (data: unknown) => { validate(): void };
interface AjvError {
  instancePath: string;
  message?: string;
}

const models = clientNode as unknown as Record<string, ModelClass | undefined>;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `apps/v1` + `Deployment` → `V1Deployment` (client-node's model names). */
export function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop()!;
  return `${version[0]!.toUpperCase()}${version.slice(1)}${kind}`;
}

/** Paths of fields the model of `type` does not declare, recursively. */
export function unknownFields(value: unknown, type: string, path = ''): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return [];
    return value.flatMap((v, i) => unknownFields(v, array[1]!, `${path}[${i}]`));
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (!isObject(value)) return [];
    return Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1]!, `${path}.${k}`));
  }
  const attributes = models[type]?.getAttributeTypeMap?.();
  if (!attributes || !isObject(value)) return []; // string, number, IntOrString, any, …
  return Object.entries(value).flatMap(([k, v]) => {
    const a = attributes.find((x) => x.baseName === k);
    return a ? unknownFields(v, a.type, `${path}.${k}`) : [`${path}.${k}: unknown field`];
  });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// Kinds whose names must be DNS-1123 labels (no dots, ≤ 63); the rest take subdomains.
const LABEL_NAMED = new Set(['Namespace', 'Service', 'StatefulSet']);

export function nameErrors(o: K8sObject): string[] {
  const name = o.metadata.name;
  const label = LABEL_NAMED.has(o.kind);
  const ok = label
    ? name.length <= 63 && DNS_LABEL.test(name)
    : name.length <= 253 && name.split('.').every((part) => DNS_LABEL.test(part));
  return ok ? [] : [`.metadata.name: "${name}" is not a DNS-1123 ${label ? 'label' : 'subdomain'}`];
}

async function schemaClass(apiVersion: string, kind: string): Promise<Validatable | undefined> {
  try {
    const specifier = `kubernetes-models/${apiVersion}`;
    const mod = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
    return mod[kind] as Validatable | undefined;
  } catch {
    return undefined;
  }
}

/** Every problem found in `o`, as `<path>: <message>`; empty when the API server would take it. */
export async function validateObject(o: K8sObject): Promise<string[]> {
  const Model = await schemaClass(o.apiVersion, o.kind);
  const model = models[modelName(o.apiVersion, o.kind)];
  if (!Model || !model) return [`no Kubernetes schema for ${o.apiVersion} ${o.kind}`];
  const errors: string[] = [];
  try {
    new Model(o).validate();
  } catch (err) {
    const list = (err as { errors?: AjvError[] }).errors;
    if (!list) throw err;
    errors.push(
      ...list.map((e) => `${e.instancePath.replaceAll('/', '.')}: ${e.message ?? 'invalid'}`),
    );
  }
  errors.push(...unknownFields(o, modelName(o.apiVersion, o.kind)), ...nameErrors(o));
  return errors;
}
