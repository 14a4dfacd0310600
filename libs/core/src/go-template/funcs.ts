// text/template/funcs.go: the builtin functions, with Go's argument rules and error texts.
// A function's error surfaces as "error calling <name>: <message>".
import { formatV, sprint, sprintln } from './fmt.js';
import { sprintf } from './sprintf.js';
import { isPrint } from './quote.js';
import {
  T,
  bool,
  fromData,
  indirect,
  int,
  isNilValue,
  isTrue,
  length,
  str,
  val,
  type GoType,
  type GoValue,
  type Value,
} from './values.js';

export class CallError extends Error {
  override readonly name = 'CallError';
}

/** How a parameter receives its argument: as reflect.Value, as interface{}, or as a Go type. */
export type Param = 'value' | 'any' | GoType;

export interface Builtin {
  params: Param[];
  variadic?: Param;
  call(args: Value[]): Value;
}

const fail = (msg: string): never => {
  throw new CallError(msg);
};

function indexArg(index: Value, cap: number): number {
  if (index === null) fail('cannot index slice/array with nil');
  const i = index as GoValue;
  if (i.t.kind !== 'int' && i.t.kind !== 'uint')
    fail(`cannot index slice/array with type ${i.t.name}`);
  const x = i.v as number;
  if (x < 0 || x > cap) fail(`index out of range: ${x}`);
  return x;
}

const UINT8: GoType = { kind: 'uint', name: 'uint8' };

function index(args: Value[]): Value {
  let item = args[0] ?? null;
  if (item === null) fail('index of untyped nil');
  for (const idx of args.slice(1)) {
    const ind = indirect(item as GoValue);
    if (ind.isNil) fail('index of nil pointer');
    const it = ind.v;
    switch (it.t.kind) {
      case 'slice': {
        const arr = (it.v as unknown[] | undefined) ?? [];
        const x = indexArg(idx, arr.length);
        if (x >= arr.length) fail('reflect: slice index out of range');
        item = fromData(it.t.elem!, arr[x]);
        break;
      }
      case 'string': {
        const bytes = Buffer.from(it.v as string);
        const x = indexArg(idx, bytes.length);
        if (x >= bytes.length) fail('reflect: string index out of range');
        item = val(UINT8, bytes[x]);
        break;
      }
      case 'map': {
        const keyType = it.t.key!;
        if (idx === null) fail(`value is nil; should be of type ${keyType.name}`);
        const k = idx as GoValue;
        if (k.t.name !== keyType.name)
          fail(`value has type ${k.t.name}; should be ${keyType.name}`);
        const obj = (it.v as Record<string, unknown> | undefined) ?? {};
        const key = String(k.v);
        item = Object.hasOwn(obj, key)
          ? fromData(it.t.elem!, obj[key])
          : fromData(it.t.elem!, undefined);
        break;
      }
      default:
        fail(`can't index item of type ${it.t.name}`);
    }
    if (item === null) return null;
  }
  return item;
}

function slice(args: Value[]): Value {
  const item = args[0] ?? null;
  if (item === null) fail('slice of untyped nil');
  const it = item as GoValue;
  const idx = args.slice(1);
  if (idx.length > 3) fail(`too many slice indexes: ${idx.length}`);
  if (it.t.kind !== 'string' && it.t.kind !== 'slice')
    fail(`can't slice item of type ${it.t.name}`);
  if (it.t.kind === 'string' && idx.length === 3) fail('cannot 3-index slice a string');
  const whole =
    it.t.kind === 'string' ? Buffer.from(it.v as string) : ((it.v as unknown[] | undefined) ?? []);
  const cap = whole.length;
  const bounds = [0, cap];
  idx.forEach((x, i) => (bounds[i] = indexArg(x, cap)));
  if (bounds[0]! > bounds[1]!) fail(`invalid slice index: ${bounds[0]} > ${bounds[1]}`);
  if (idx.length === 3 && bounds[1]! > bounds[2]!)
    fail(`invalid slice index: ${bounds[1]} > ${bounds[2]}`);
  const part = whole.slice(bounds[0], bounds[1]);
  return val(it.t, Buffer.isBuffer(part) ? part.toString() : part);
}

function len(args: Value[]): Value {
  const item = args[0] ?? null;
  if (item === null) fail('reflect: call of reflect.Value.Type on zero Value');
  const { v, isNil } = indirect(item as GoValue);
  if (isNil) fail('len of nil pointer');
  if (v.t.kind === 'slice' || v.t.kind === 'map' || v.t.kind === 'string') return int(length(v));
  return fail(`len of type ${v.t.name}`);
}

// --- comparison (eq, ne, lt, le, gt, ge) ---

type BasicKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'invalid';
function basicKind(v: Value): BasicKind {
  if (v === null) return 'invalid';
  const k = v.t.kind;
  return k === 'bool' || k === 'int' || k === 'uint' || k === 'float' || k === 'string'
    ? k
    : 'invalid';
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function eq(args: Value[]): Value {
  const a = args[0] ?? null;
  const rest = args.slice(1);
  if (rest.length === 0) fail('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) {
        truth = (a!.v as number) === (b!.v as number) && (a!.v as number) >= 0;
      } else if (a !== null && b !== null) {
        fail(`incompatible types for comparison: ${a.t.name} and ${b.t.name}`);
      }
    } else if (k1 !== 'invalid') {
      truth = a!.v === b!.v;
    } else {
      if (a !== null && b !== null && a.t.kind !== b.t.kind) {
        fail(`non-comparable types ${formatV(a)}: ${a.t.name}, ${b.t.name}: ${formatV(b)}`);
      }
      const an = a === null || isNilValue(a);
      const bn = b === null || isNilValue(b);
      if (an || bn) truth = an === bn;
      else {
        if (b!.t.kind === 'slice' || b!.t.kind === 'map')
          fail(`non-comparable type ${formatV(b)}: ${b!.t.name}`);
        truth = b!.t.kind === 'ptr' ? a!.v === b!.v : deepEqual(a!.v, b!.v);
      }
    }
    if (truth) return bool(true);
  }
  return bool(false);
}

function lt(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid') fail('invalid type for comparison');
  const k2 = basicKind(b);
  if (k2 === 'invalid') fail('invalid type for comparison');
  const x = a!.v as number | string | boolean;
  const y = b!.v as number | string | boolean;
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return (x as number) < 0 || (x as number) < (y as number);
    if (k1 === 'uint' && k2 === 'int') return (y as number) >= 0 && (x as number) < (y as number);
    fail(`incompatible types for comparison: ${a!.t.name} and ${b!.t.name}`);
  }
  if (k1 === 'bool') fail('invalid type for comparison');
  return x < y;
}

const isEq = (a: Value, b: Value): boolean => eq([a, b])!.v === true;

// --- escaping ---

/** evalArgs: fmt.Sprint of the arguments, each printed the way an action prints it. */
function evalArgs(args: Value[]): string {
  if (args.length === 1 && args[0] !== null && args[0]!.t.kind === 'string')
    return args[0]!.v as string;
  const printable = args.map((a): Value => {
    if (a === null) return str('<no value>');
    return a.t.kind === 'ptr' ? indirect(a).v : a;
  });
  return sprint(printable);
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === '\0'
      ? '\uFFFD'
      : { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' }[c]!,
  );
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      case '<':
        out += '\\u003C';
        break;
      case '>':
        out += '\\u003E';
        break;
      case '&':
        out += '\\u0026';
        break;
      case '=':
        out += '\\u003D';
        break;
      default:
        if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
        else if (cp < 0x80 || isPrint(ch)) out += ch;
        else out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const builtins: Record<string, Builtin> = {
  and: { params: ['value'], variadic: 'value', call: () => fail('unreachable') },
  or: { params: ['value'], variadic: 'value', call: () => fail('unreachable') },
  not: { params: ['value'], call: ([a]) => bool(!isTrue(a ?? null).truth) },
  call: {
    params: ['value'],
    variadic: 'value',
    call: ([fn]) =>
      fail(fn === null || fn === undefined ? 'call of nil' : `non-function of type ${fn.t.name}`),
  },
  html: { params: [], variadic: 'any', call: (a) => str(htmlEscape(evalArgs(a))) },
  js: { params: [], variadic: 'any', call: (a) => str(jsEscape(evalArgs(a))) },
  urlquery: { params: [], variadic: 'any', call: (a) => str(queryEscape(evalArgs(a))) },
  index: { params: ['value'], variadic: 'value', call: index },
  slice: { params: ['value'], variadic: 'value', call: slice },
  len: { params: ['value'], call: len },
  print: { params: [], variadic: 'any', call: (a) => str(sprint(a)) },
  printf: {
    params: [T.string],
    variadic: 'any',
    call: ([f, ...a]) => str(sprintf(f!.v as string, a)),
  },
  println: { params: [], variadic: 'any', call: (a) => str(sprintln(a)) },
  eq: { params: ['value'], variadic: 'value', call: eq },
  ne: { params: ['value', 'value'], call: ([a, b]) => bool(!isEq(a ?? null, b ?? null)) },
  lt: { params: ['value', 'value'], call: ([a, b]) => bool(lt(a ?? null, b ?? null)) },
  le: {
    params: ['value', 'value'],
    call: ([a, b]) => bool(lt(a ?? null, b ?? null) || isEq(a ?? null, b ?? null)),
  },
  gt: {
    params: ['value', 'value'],
    call: ([a, b]) => bool(!(lt(a ?? null, b ?? null) || isEq(a ?? null, b ?? null))),
  },
  ge: { params: ['value', 'value'], call: ([a, b]) => bool(!lt(a ?? null, b ?? null)) },
};

export const builtinNames: ReadonlySet<string> = new Set(Object.keys(builtins));
