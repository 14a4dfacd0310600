// parse.NumberNode: how a number literal is typed (strconv.ParseInt/ParseUint/ParseFloat, base 0).
import type { NumberValue } from './nodes.js';
import { unquoteChar } from './quote.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt/ParseUint with base 0: the value, or undefined when the syntax is not an integer. */
function parseIntBase0(text: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(
    text,
  );
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  let body = m[2]!;
  const prefixed = /^0[xXoObB]/.test(body);
  if (body.includes('_')) {
    // Underscores only between digits (or after a base prefix), as in Go literals.
    if (!/^(0[xXoObB]_?|0_?|)([0-9a-fA-F]+_)*[0-9a-fA-F]+$/.test(body)) return undefined;
  }
  body = body.replaceAll('_', '');
  let n: bigint;
  if (prefixed) n = BigInt(body.slice(0, 2).toLowerCase() + body.slice(2));
  else if (body.length > 1 && body.startsWith('0')) n = BigInt(`0o${body.slice(1)}`);
  else n = BigInt(body);
  return sign * n;
}

function parseFloatGo(text: string): number | undefined {
  const t = text.replaceAll('_', '');
  if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(t)) return Number(t);
  return undefined;
}

export function parseNumber(text: string, isChar: boolean): NumberValue | { error: string } {
  if (isChar) {
    const r = unquoteChar(text.slice(1), text[0]!);
    if (!r) return { error: 'invalid syntax' };
    if (r.tail !== "'") return { error: `malformed character constant: ${text}` };
    const cp = r.ch.codePointAt(0)!;
    return { isInt: true, isUint: true, isFloat: true, int: cp, float: cp, text };
  }
  if (text.endsWith('i')) return { error: `complex number ${text} is not supported` };
  const n: NumberValue = { isInt: false, isUint: false, isFloat: false, int: 0, float: 0, text };
  const big = parseIntBase0(text);
  if (big !== undefined) {
    if (!text.startsWith('-') && !text.startsWith('+') && big <= UINT64_MAX) n.isUint = true;
    if (big >= INT64_MIN && big <= INT64_MAX) n.isInt = true;
    if (big === 0n) n.isUint = true;
    n.int = Number(big);
    if (n.isInt || n.isUint) {
      n.isFloat = true;
      n.float = Number(big);
    }
  }
  if (!n.isInt && !n.isUint) {
    const f = parseFloatGo(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) return { error: `integer overflow: ${JSON.stringify(text)}` };
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int = f;
        if (f >= 0) n.isUint = true;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat)
    return { error: `illegal number syntax: ${JSON.stringify(text)}` };
  return n;
}
