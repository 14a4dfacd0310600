// Go's fmt as templates use it: how a value prints (%v, Stringers, structs, maps, slices) and
// fmt.Sprint / Sprintln. Sprintf is in sprintf.ts.
import {
  findMethod,
  fromData,
  indirect,
  isNilValue,
  T,
  val,
  type GoValue,
  type StructField,
  type Value,
} from './values.js';

/** The String() of a Stringer, if the value's type (or its pointer) has one. */
export function stringer(v: GoValue): string | undefined {
  const base = v.t.kind === 'ptr' ? v.t.elem! : v.t;
  const m = findMethod(base, 'String');
  if (!m || (m.params?.length ?? 0) > 0) return undefined;
  if (v.t.kind === 'ptr') {
    if (isNilValue(v)) return '<nil>';
    return m.call(val(base, v.v), []).v as string;
  }
  return m.call(v, []).v as string;
}

/** strconv.FormatFloat(f, 'g', -1, 64), as %v prints a float64. */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = f.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6)
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

const ADDRESS = '0xc000010000';

/** fmt's %v of a value; `depth` > 0 inside structs, slices and maps. */
export function formatV(v: Value, depth = 0): string {
  if (v === null) return '<nil>';
  if (v.t.kind === 'interface') return isNilValue(v) ? '<nil>' : formatV(v.v as GoValue, depth);
  const s = stringer(v);
  if (s !== undefined) return s;
  switch (v.t.kind) {
    case 'bool':
      return String(v.v === true);
    case 'int':
    case 'uint':
      return String(v.v);
    case 'float':
      return formatFloatG(v.v as number);
    case 'string':
      return v.v as string;
    case 'ptr': {
      if (isNilValue(v)) return '<nil>';
      const target = indirect(v).v;
      if (depth === 0 && ['struct', 'slice', 'map'].includes(target.t.kind))
        return `&${formatV(target, 1)}`;
      return ADDRESS;
    }
    case 'slice': {
      const items = (v.v as unknown[] | undefined) ?? [];
      return `[${items.map((x) => formatV(elemValue(v, x), depth + 1)).join(' ')}]`;
    }
    case 'map': {
      const obj = (v.v as Record<string, unknown> | undefined) ?? {};
      const keys = Object.keys(obj).sort();
      return `map[${keys.map((k) => `${k}:${formatV(elemValue(v, obj[k]), depth + 1)}`).join(' ')}]`;
    }
    case 'struct':
      return `{${structValues(v)
        .map((f) => formatV(f, depth + 1))
        .join(' ')}}`;
  }
}

function elemValue(container: GoValue, x: unknown): Value {
  return fromData(container.t.elem!, x);
}

function structValues(v: GoValue): Value[] {
  if (v.t.opaque) {
    return Object.values((v.v as Record<string, unknown>) ?? {}).map((x) => fromData(T.any, x));
  }
  const obj = (v.v ?? {}) as Record<string, unknown>;
  return (v.t.fields?.() ?? []).map((f: StructField) =>
    fromData(f.type, f.inline ? obj : f.json === undefined ? undefined : obj[f.json]),
  );
}

export function typeName(v: Value): string {
  if (v === null) return '<nil>';
  if (v.t.kind === 'interface') return isNilValue(v) ? '<nil>' : typeName(v.v as GoValue);
  return v.t.name;
}

const isStringArg = (v: Value): boolean => v !== null && v.t.kind === 'string';

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: Value[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isStringArg(a) && !isStringArg(args[i - 1]!)) out += ' ';
    out += formatV(a);
  });
  return out;
}

export function sprintln(args: Value[]): string {
  return `${args.map((a) => formatV(a)).join(' ')}\n`;
}
