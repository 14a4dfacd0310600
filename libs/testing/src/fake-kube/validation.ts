// What the fake apiserver checks on every write, as the real one would:
//   - ObjectMeta: name (DNS subdomain), label keys/values, annotation keys;
//   - ProwJobs: Prow's CRD `openAPIV3Schema` (fixtures/prow). Fields the structural schema does
//     not declare are pruned, as the apiserver prunes them, and reported as warnings (the
//     apiserver's default `fieldValidation=Warn`); `fieldValidation=Strict` makes them an error;
//   - Pods: the Kubernetes Pod schema (kubernetes-models, generated from Kubernetes' OpenAPI; a
//     devDependency, loaded by loadPodSchema(), which startFakeKube() awaits).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { prowJobCrdVersion, type ResourceDef } from './resources.js';

type Json = Record<string, unknown>;

export interface Cause {
  reason:
    'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueTypeInvalid';
  message: string;
  field: string;
}

export interface ValidationResult {
  causes: Cause[];
  /** Unknown fields (pruned unless strict), e.g. `spec.foo`. */
  unknown: string[];
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function keyProblems(key: string): string | undefined {
  const parts = key.split('/');
  const name = parts.at(-1)!;
  if (parts.length > 2) return 'a qualified name must have at most one "/"';
  if (parts.length === 2 && (parts[0]!.length > 253 || !DNS_SUBDOMAIN.test(parts[0]!))) {
    return 'prefix part must be a lowercase RFC 1123 subdomain';
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63)";
  }
  return undefined;
}

export function metadataCauses(meta: Json | undefined): Cause[] {
  const causes: Cause[] = [];
  const name = meta?.name;
  if (typeof name !== 'string' || name === '') {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
      field: 'metadata.name',
    });
  } else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      field: 'metadata.name',
    });
  }
  for (const [k, v] of Object.entries((meta?.labels ?? {}) as Record<string, unknown>)) {
    const keyErr = keyProblems(k);
    if (keyErr)
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${k}": ${keyErr}`,
        field: 'metadata.labels',
      });
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(v)}: a valid label value must be 63 characters or less`,
        field: `metadata.labels`,
      });
    }
  }
  for (const k of Object.keys((meta?.annotations ?? {}) as Record<string, unknown>)) {
    const keyErr = keyProblems(k);
    if (keyErr)
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${k}": ${keyErr}`,
        field: 'metadata.annotations',
      });
  }
  return causes;
}

/**
 * The apiserver's pruning: removes, in place, every field a structural schema does not declare
 * (except under `x-kubernetes-preserve-unknown-fields`). Returns the removed fields' paths.
 */
export function prune(schema: Json, data: unknown, path = ''): string[] {
  if (Array.isArray(data)) {
    const items = schema.items as Json | undefined;
    return items ? data.flatMap((d, i) => prune(items, d, `${path}[${i}]`)) : [];
  }
  if (!data || typeof data !== 'object') return [];
  const obj = data as Json;
  const props = schema.properties as Record<string, Json> | undefined;
  const extra = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const removed: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const at = path ? `${path}.${k}` : k;
    const sub = props?.[k] ?? (extra && typeof extra === 'object' ? (extra as Json) : undefined);
    if (sub) removed.push(...prune(sub, v, at));
    else if (props && !preserve && extra !== true) {
      delete obj[k];
      removed.push(at);
    }
  }
  return removed;
}

const toField = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');

function ajvCause(e: ErrorObject): Cause {
  const field = toField(e.instancePath);
  if (e.keyword === 'required') {
    const f = field
      ? `${field}.${String(e.params.missingProperty)}`
      : String(e.params.missingProperty);
    return { reason: 'FieldValueRequired', message: 'Required value', field: f };
  }
  if (e.keyword === 'enum') {
    return {
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: supported values: ${JSON.stringify(e.params.allowedValues)}`,
      field,
    };
  }
  if (e.keyword === 'type') {
    return {
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: must be of type ${String(e.params.type)}`,
      field,
    };
  }
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${e.message ?? e.keyword}`,
    field,
  };
}

let prowJobValidator: ValidateFunction | undefined;
const prowJobSchema = (): Json => prowJobCrdVersion().schema.openAPIV3Schema;

function validateProwJob(obj: Json): ValidationResult {
  prowJobValidator ??= new Ajv({ strict: false, allErrors: true, logger: false }).compile(
    prowJobSchema(),
  );
  const unknown = prune(prowJobSchema(), structuredClone(obj));
  if (prowJobValidator(obj)) return { causes: [], unknown };
  return { causes: (prowJobValidator.errors ?? []).map(ajvCause), unknown };
}

/** Removes the fields Prow's CRD does not declare (the apiserver's pruning). */
export function pruneProwJob(obj: Json): void {
  prune(prowJobSchema(), obj);
}

type PodModel = typeof import('kubernetes-models/v1/Pod').Pod;
let PodClass: PodModel | undefined;

/** Loads the Kubernetes Pod schema (once). */
export async function loadPodSchema(): Promise<void> {
  PodClass ??= (await import('kubernetes-models/v1/Pod')).Pod;
}

function validatePod(obj: Json): ValidationResult {
  if (!PodClass) throw new Error('the Pod schema is not loaded: await loadPodSchema() first');
  try {
    new PodClass(obj as ConstructorParameters<PodModel>[0]).validate();
    return { causes: [], unknown: [] };
  } catch (err) {
    const errors = (err as { errors?: ErrorObject[] }).errors;
    if (!errors) throw err;
    return { causes: errors.map(ajvCause), unknown: [] };
  }
}

/** Checks an object about to be stored (metadata already completed by the server). */
export function validateObject(def: ResourceDef, obj: Json): ValidationResult {
  const meta = metadataCauses(obj.metadata as Json | undefined);
  const body = def.kind === 'Pod' ? validatePod(obj) : validateProwJob(obj);
  return { causes: [...meta, ...body.causes], unknown: body.unknown };
}

/** Why the apiserver would refuse this Pod (ObjectMeta rules and the Kubernetes Pod schema). */
export async function podProblems(pod: Json): Promise<string[]> {
  await loadPodSchema();
  const { causes } = validatePod(pod);
  return [...metadataCauses(pod.metadata as Json | undefined), ...causes].map(
    (c) => `${c.field}: ${c.message}`,
  );
}
