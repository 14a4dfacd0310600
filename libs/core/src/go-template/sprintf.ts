// fmt.Sprintf with the verbs templates use (%v %s %d %q %t %x %X %o %b %c %U %f %e %g %T %%),
// flags, width and precision, and fmt's in-band errors (%!d(string=x), %!s(MISSING), %!(EXTRA …)).
import { formatFloatG, formatV, stringer, typeName } from './fmt.js';
import { goQuote } from './quote.js';
import { fromData, isNilValue, T, val, type GoValue, type Value } from './values.js';

function formatFloatVerb(f: number, verb: string, prec: number | undefined): string {
  if (!Number.isFinite(f)) return formatFloatG(f);
  switch (verb) {
    case 'f':
    case 'F':
      return f.toFixed(prec ?? 6);
    case 'e':
    case 'E': {
      const s = f.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return verb === 'E' ? s.toUpperCase() : s;
    }
    default: {
      if (prec === undefined) return verb === 'G' ? formatFloatG(f).toUpperCase() : formatFloatG(f);
      const p = prec === 0 ? 1 : prec;
      const exp = Math.floor(Math.log10(Math.abs(f)));
      let s: string;
      if (exp < -4 || exp >= p) {
        s = f
          .toExponential(p - 1)
          .replace(/\.?0+e/, 'e')
          .replace(/e([+-])(\d)$/, 'e$10$2');
      } else s = String(Number(f.toPrecision(p)));
      return verb === 'G' ? s.toUpperCase() : s;
    }
  }
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || [...s].length >= spec.width) return s;
  const n = spec.width - [...s].length;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function badVerb(verb: string, v: Value): string {
  if (v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v)})`;
}

function fmtInt(n: number, verb: string, spec: Spec): string | undefined {
  const neg = n < 0;
  const abs = Math.abs(n);
  let body: string;
  switch (verb) {
    case 'v':
    case 'd':
      body = String(abs);
      break;
    case 'x':
      body = (spec.sharp ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      body = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    case 'o':
      body = (spec.sharp ? '0' : '') + abs.toString(8);
      break;
    case 'b':
      body = abs.toString(2);
      break;
    case 'c':
      return String.fromCodePoint(n);
    case 'q':
      return `'${String.fromCodePoint(n)}'`;
    case 'U':
      return `U+${n.toString(16).toUpperCase().padStart(4, '0')}`;
    default:
      return undefined;
  }
  if (spec.prec !== undefined) body = body.padStart(spec.prec, '0');
  return (neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '') + body;
}

function hexString(s: string, upper: boolean, sharp: boolean, space: boolean): string {
  const bytes = [...Buffer.from(s)].map((b) => b.toString(16).padStart(2, '0'));
  const hex = bytes.map((b) => (sharp ? `0x${b}` : b)).join(space ? ' ' : '');
  return upper ? hex.toUpperCase() : hex;
}

/** One verb applied to one argument. */
function formatArg(v: Value, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(typeName(v), spec, false);
  if (v === null) return verb === 'v' ? pad('<nil>', spec, false) : badVerb(verb, v);
  if (v.t.kind === 'interface')
    return isNilValue(v) ? formatArg(null, verb, spec) : formatArg(v.v as GoValue, verb, spec);
  if (verb === 'v' && spec.plus === false && spec.sharp === false)
    return pad(formatV(v), spec, false);
  const s = ['s', 'q', 'v', 'x', 'X'].includes(verb) ? stringer(v) : undefined;
  if (s !== undefined) return formatArg(val(T.string, s), verb, spec);
  switch (v.t.kind) {
    case 'bool':
      return verb === 't' || verb === 'v' ? pad(String(v.v), spec, false) : badVerb(verb, v);
    case 'int':
    case 'uint': {
      const out = fmtInt(v.v as number, verb, spec);
      return out === undefined ? badVerb(verb, v) : pad(out, spec, true);
    }
    case 'float': {
      if (!'eEfFgGv'.includes(verb)) return badVerb(verb, v);
      let out = formatFloatVerb(v.v as number, verb === 'v' ? 'g' : verb, spec.prec);
      if (spec.plus && !out.startsWith('-')) out = `+${out}`;
      return pad(out, spec, true);
    }
    case 'string': {
      let str = v.v as string;
      switch (verb) {
        case 'v':
        case 's':
          if (spec.prec !== undefined) str = [...str].slice(0, spec.prec).join('');
          return pad(str, spec, false);
        case 'q':
          return pad(spec.sharp && !str.includes('`') ? `\`${str}\`` : goQuote(str), spec, false);
        case 'x':
        case 'X':
          return pad(hexString(str, verb === 'X', spec.sharp, spec.space), spec, false);
        default:
          return badVerb(verb, v);
      }
    }
    case 'slice': {
      const items = (v.v as unknown[] | undefined) ?? [];
      return `[${items.map((x) => formatArg(fromData(v.t.elem!, x), verb, spec)).join(' ')}]`;
    }
    default:
      return verb === 'v' || verb === 's' ? pad(formatV(v), spec, false) : badVerb(verb, v);
  }
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: Value[]): string {
  let out = '';
  let argNum = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        return a && a.t.kind === 'int' ? (a.v as number) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = num();
    if (format[i] === '.') {
      i++;
      spec.prec = num() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argNum++]!, verb, spec);
  }
  if (argNum < args.length) {
    const extra = args
      .slice(argNum)
      .map((a) => (a === null ? '<nil>' : `${typeName(a)}=${formatV(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
