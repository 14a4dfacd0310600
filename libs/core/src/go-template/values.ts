// Go values as text/template sees them through reflect: a type (kind + Go name) and the data.
// Data is kept in its JSON shape: a struct is its JSON object (fields read through their json
// tags), a pointer is its target (null/undefined = nil), a slice an array, a map an object.
// `null` as a Value is Go's invalid reflect.Value (a missing map key, an untyped nil).

export type GoKind =
  'bool' | 'int' | 'uint' | 'float' | 'string' | 'struct' | 'ptr' | 'slice' | 'map' | 'interface';

export interface GoMethod {
  /** Parameter types; the method is called with that many arguments. */
  params?: GoType[];
  call(receiver: GoValue, args: GoValue[]): GoValue;
}

export interface StructField {
  /** Go field name. */
  name: string;
  type: GoType;
  /** JSON key (the json tag); `inline` reads the field from the struct's own object. */
  json?: string;
  inline?: boolean;
  /** An embedded field: its fields and methods are promoted. */
  embedded?: boolean;
  /** The json tag lacks omitempty: json.Marshal writes the zero value when the data has none. */
  always?: boolean;
}

export interface GoType {
  kind: GoKind;
  /** Go's name for the type, as reflect prints it: `v1.ProwJobSpec`, `*v1.Refs`, `[]string`. */
  name: string;
  /** Named types (`v1.ProwJobType`) are not assignable to `string`; unnamed ones are. */
  named?: boolean;
  elem?: GoType;
  key?: GoType;
  fields?: () => StructField[];
  /** A struct whose fields are not listed: fields are read by their k8s JSON name, untyped. */
  opaque?: boolean;
  /** The data of the zero value, for types whose JSON is not an object (metav1.Time: ''). */
  zero?: () => unknown;
  /** Methods callable on the value or on a pointer to it (templates see addressable values). */
  methods?: () => Record<string, GoMethod>;
  /** The type's MarshalJSON, for types whose JSON is not their data's shape (Duration). */
  marshalJSON?: (data: unknown) => unknown;
}

export interface GoValue {
  t: GoType;
  v: unknown;
}

/** reflect's invalid Value. */
export type Value = GoValue | null;

const basic = (kind: GoKind, name: string): GoType => ({ kind, name });
export const T = {
  bool: basic('bool', 'bool'),
  int: basic('int', 'int'),
  int64: basic('int', 'int64'),
  uint: basic('uint', 'uint'),
  float64: basic('float', 'float64'),
  string: basic('string', 'string'),
  any: basic('interface', 'interface {}'),
} as const;

export const ptrTo = (elem: GoType): GoType => ({ kind: 'ptr', name: `*${elem.name}`, elem });
export const sliceOf = (elem: GoType): GoType => ({ kind: 'slice', name: `[]${elem.name}`, elem });
export const mapOf = (key: GoType, elem: GoType): GoType => ({
  kind: 'map',
  name: `map[${key.name}]${elem.name}`,
  key,
  elem,
});
export const namedString = (name: string): GoType => ({ kind: 'string', name, named: true });

export const ANY_SLICE = sliceOf(T.any);
export const ANY_MAP = mapOf(T.string, T.any);

export const val = (t: GoType, v: unknown): GoValue => ({ t, v });
export const str = (s: string): GoValue => val(T.string, s);
export const int = (n: number): GoValue => val(T.int, n);
export const bool = (b: boolean): GoValue => val(T.bool, b);

/** The Go value of untyped JS data, as if it came from decoding JSON into interface{}. */
export function fromJs(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (isGoValue(x)) return x;
  switch (typeof x) {
    case 'string':
      return str(x);
    case 'boolean':
      return bool(x);
    case 'number':
      return Number.isInteger(x) ? int(x) : val(T.float64, x);
    case 'bigint':
      return val(T.int64, Number(x));
    default:
      return val(Array.isArray(x) ? ANY_SLICE : ANY_MAP, x);
  }
}

const GO_VALUE = Symbol.for('jetprow.goValue');
export function typed(t: GoType, v: unknown): GoValue {
  return Object.assign(val(t, v), { [GO_VALUE]: true });
}
function isGoValue(x: unknown): x is GoValue {
  return typeof x === 'object' && x !== null && GO_VALUE in x;
}

/** The zero value of a type: what a field absent from the JSON holds. */
export function zeroData(t: GoType): unknown {
  if (t.zero) return t.zero();
  switch (t.kind) {
    case 'bool':
      return false;
    case 'int':
    case 'uint':
    case 'float':
      return 0;
    case 'string':
      return '';
    case 'struct':
      return {};
    default:
      return undefined;
  }
}

/** A value of type `t` built from JSON data (absent → zero value; interface → its dynamic value). */
export function fromData(t: GoType, data: unknown): Value {
  if (t.kind === 'interface') return fromJs(data);
  return val(t, data === undefined || data === null ? zeroData(t) : data);
}

export function isNilValue(v: GoValue): boolean {
  switch (v.t.kind) {
    case 'ptr':
    case 'slice':
    case 'map':
    case 'interface':
      return v.v === undefined || v.v === null;
    default:
      return false;
  }
}

/** reflect indirect(): through pointers; `isNil` when a nil pointer stops it. */
export function indirect(v: GoValue): { v: GoValue; isNil: boolean } {
  let cur = v;
  while (cur.t.kind === 'ptr') {
    if (isNilValue(cur)) return { v: cur, isNil: true };
    cur = val(cur.t.elem!, cur.v);
  }
  return { v: cur, isNil: false };
}

export function length(v: GoValue): number {
  if (v.v === undefined || v.v === null) return 0;
  switch (v.t.kind) {
    case 'string':
      return Buffer.byteLength(v.v as string);
    case 'slice':
      return (v.v as unknown[]).length;
    case 'map':
      return Object.keys(v.v as object).length;
    default:
      return 0;
  }
}

/** text/template's truth: not the zero value of its type. `ok` is false for values with none. */
export function isTrue(v: Value): { truth: boolean; ok: boolean } {
  if (v === null) return { truth: false, ok: true };
  switch (v.t.kind) {
    case 'slice':
    case 'map':
    case 'string':
      return { truth: length(v) > 0, ok: true };
    case 'bool':
      return { truth: v.v === true, ok: true };
    case 'int':
    case 'uint':
    case 'float':
      return { truth: v.v !== 0, ok: true };
    case 'ptr':
    case 'interface':
      return { truth: !isNilValue(v), ok: true };
    case 'struct':
      return { truth: true, ok: true };
  }
}

/** The fields of a struct type, promoted ones included, by Go name (FieldByName). */
export function structField(
  t: GoType,
  data: unknown,
  name: string,
): { found: true; value: Value } | { found: false } {
  const obj = (data ?? {}) as Record<string, unknown>;
  if (t.opaque) {
    const key = name.charAt(0).toLowerCase() + name.slice(1);
    return { found: true, value: fromJs(obj[key]) };
  }
  const fields = t.fields?.() ?? [];
  const direct = fields.find((f) => f.name === name);
  if (direct) {
    const raw = direct.inline ? obj : direct.json === undefined ? undefined : obj[direct.json];
    return { found: true, value: fromData(direct.type, raw) };
  }
  for (const f of fields.filter((x) => x.embedded)) {
    const inner = f.inline ? obj : f.json === undefined ? undefined : obj[f.json];
    const ft = f.type.kind === 'ptr' ? f.type.elem! : f.type;
    const hit = structField(ft, inner, name);
    if (hit.found) return hit;
  }
  return { found: false };
}

export function findMethod(t: GoType, name: string): GoMethod | undefined {
  const own = t.methods?.()[name];
  if (own) return own;
  if (t.kind !== 'struct') return undefined;
  for (const f of (t.fields?.() ?? []).filter((x) => x.embedded)) {
    const ft = f.type.kind === 'ptr' ? f.type.elem! : f.type;
    const m = findMethod(ft, name);
    if (m) {
      return {
        params: m.params,
        call: (recv, args) => {
          const obj = (recv.v ?? {}) as Record<string, unknown>;
          const inner = f.inline ? obj : f.json === undefined ? undefined : obj[f.json];
          return m.call(val(ft, inner ?? zeroData(ft)), args);
        },
      };
    }
  }
  return undefined;
}

/**
 * Go assignability, enough for template arguments: identical types, or any type to an interface.
 * (`string` is itself a defined type, so `v1.ProwJobType` is not assignable to it.)
 */
export function assignable(from: GoType, to: GoType): boolean {
  return to.kind === 'interface' || from.name === to.name;
}
