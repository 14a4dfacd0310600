// The "parse" step for one YAML object: coerce it the way sigs.k8s.io/yaml + encoding/json would,
// then check it against a TypeBox schema. Coercions Prow applies: a scalar written where a string
// is expected becomes that string (`labels: {a: true}` → "true"), and `null` means "unset".
// Struct field names match case-insensitively when there is no exact match (encoding/json:
// `NAME:` sets `name`; of several spellings the one sorting last wins, as json.Marshal sorts map
// keys). Everything else that does not fit the schema is an error naming the field.
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

interface SchemaShape {
  type?: string | string[];
  properties?: Record<string, SchemaShape>;
  patternProperties?: Record<string, SchemaShape>;
  items?: SchemaShape;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const foldedProps = new WeakMap<object, Map<string, string>>();

function folded(props: Record<string, SchemaShape>): Map<string, string> {
  let m = foldedProps.get(props);
  if (m === undefined) {
    m = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
    foldedProps.set(props, m);
  }
  return m;
}

/** Renames keys that match a struct field only case-insensitively. */
function foldKeys(value: Record<string, unknown>, props: Record<string, SchemaShape>): void {
  let byField: Map<string, string[]> | undefined;
  for (const key of Object.keys(value)) {
    if (key in props) continue;
    const field = folded(props).get(key.toLowerCase());
    if (field === undefined) continue;
    byField ??= new Map();
    byField.set(field, [...(byField.get(field) ?? []), key]);
  }
  if (byField === undefined) return;
  for (const [field, keys] of byField) {
    const all = field in value ? [...keys, field] : keys;
    const winner = all.sort()[all.length - 1] as string;
    const v = value[winner];
    for (const k of keys) delete value[k];
    value[field] = v;
  }
}

/** Mutates `value` in place (it is freshly parsed YAML) and returns it. */
export function coerce(schema: SchemaShape, value: unknown): unknown {
  if (schema.type === 'string') {
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return value;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    if (items && schema.type === 'array') {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        value[i] = item === null ? zeroValue(items) : coerce(items, item);
      }
    }
    return value;
  }
  if (isPlainObject(value) && schema.type === 'object') {
    const props = schema.properties;
    if (props) foldKeys(value, props);
    const patterns = schema.patternProperties;
    const pattern = patterns ? Object.values(patterns)[0] : undefined;
    for (const key of Object.keys(value)) {
      const sub = props?.[key] ?? pattern;
      if (value[key] === null) {
        if (sub || !props) delete value[key];
        continue;
      }
      if (sub) value[key] = coerce(sub, value[key]);
    }
  }
  return value;
}

function zeroValue(schema: SchemaShape): unknown {
  switch (schema.type) {
    case 'string':
      return '';
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return 0;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return null;
  }
}

export interface FieldProblem {
  /** Dotted path such as `spec.containers[0].env[1].value`; empty for the object itself. */
  field: string;
  /** The same path as keys and indexes, for locating the value in the YAML file. */
  path: (string | number)[];
  message: string;
}

function toPath(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

export interface Decoder<T> {
  /** Coerces `value` in place, then returns it typed, or the problems found. */
  decode(value: unknown): { ok: true; value: T } | { ok: false; problems: FieldProblem[] };
}

/** Compiles a schema once (call at module load). */
export function makeDecoder<S extends TSchema>(schema: S): Decoder<import('typebox').Static<S>> {
  const compiled = Compile(schema);
  const shape = schema as unknown as SchemaShape;
  return {
    decode(value) {
      const coerced = coerce(shape, value);
      if (compiled.Check(coerced)) return { ok: true, value: coerced };
      const seen = new Set<string>();
      const problems: FieldProblem[] = [];
      for (const e of compiled.Errors(coerced)) {
        // anyOf reports each branch; keep the first message per location.
        if (seen.has(e.instancePath)) continue;
        seen.add(e.instancePath);
        const path = toPath(e.instancePath);
        const params = e.params as { requiredProperties?: string[] } | undefined;
        if (e.keyword === 'required' && params?.requiredProperties?.length) {
          for (const prop of params.requiredProperties) {
            const p = [...path, prop];
            problems.push({ field: formatPath(p), path: p, message: 'is required' });
          }
          continue;
        }
        problems.push({ field: formatPath(path), path, message: e.message });
      }
      return { ok: false, problems };
    },
  };
}
