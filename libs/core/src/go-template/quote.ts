// strconv.Quote / strconv.Unquote / strconv.UnquoteChar for Go string and character literals.

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

/** strconv.Quote (lower-case hex, \x for control bytes, \u / \U for other non-printables). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (isPrint(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

type Unquoted = { value: string } | { error: string };
const SYNTAX: Unquoted = { error: 'invalid syntax' };

/** strconv.UnquoteChar: one (possibly escaped) character at the start of `s`. */
export function unquoteChar(s: string, quote: string): { ch: string; tail: string } | undefined {
  const first = String.fromCodePoint(s.codePointAt(0) ?? 0);
  if (s.length === 0 || (first === quote && (quote === "'" || quote === '"'))) return undefined;
  if (first !== '\\') return { ch: first, tail: s.slice(first.length) };
  const c = s[1];
  if (c === undefined) return undefined;
  const rest = s.slice(2);
  if (c in SIMPLE_ESCAPES) return { ch: SIMPLE_ESCAPES[c]!, tail: rest };
  if (c === "'" || c === '"') return c === quote ? { ch: c, tail: rest } : undefined;
  const hexLen = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (hexLen > 0) {
    const hex = rest.slice(0, hexLen);
    if (hex.length < hexLen || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
    const cp = parseInt(hex, 16);
    if (c !== 'x' && (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return undefined;
    return { ch: String.fromCodePoint(cp), tail: rest.slice(hexLen) };
  }
  if (c >= '0' && c <= '7') {
    const oct = s.slice(1, 4);
    if (!/^[0-7]{3}$/.test(oct)) return undefined;
    const v = parseInt(oct, 8);
    if (v > 255) return undefined;
    return { ch: String.fromCharCode(v), tail: s.slice(4) };
  }
  return undefined;
}

/** strconv.Unquote for "…", `…` and '…' literals. */
export function unquote(lit: string): Unquoted {
  if (lit.length < 2) return SYNTAX;
  const q = lit[0]!;
  if (q !== lit[lit.length - 1]) return SYNTAX;
  const body = lit.slice(1, -1);
  if (q === '`') return body.includes('`') ? SYNTAX : { value: body.replaceAll('\r', '') };
  if (q !== '"' && q !== "'") return SYNTAX;
  if (body.includes('\n')) return SYNTAX;
  let out = '';
  let rest = body;
  while (rest.length > 0) {
    const r = unquoteChar(rest, q);
    if (!r) return SYNTAX;
    out += r.ch;
    rest = r.tail;
    if (q === "'" && rest.length > 0) return SYNTAX;
  }
  if (q === "'" && out.length === 0) return SYNTAX;
  return { value: out };
}
