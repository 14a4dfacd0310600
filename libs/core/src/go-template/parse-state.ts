// The parser's token stream and error reporting (text/template/parse/parse.go's Tree fields,
// next/peek/backup, errorf and unexpected).
import type { ListNode } from './nodes.js';
import { unquote } from './quote.js';
import { itemString, Tok, type Item, type TokType } from './tokens.js';

export class GoTemplateParseError extends Error {
  override readonly name = 'GoTemplateParseError';
}

/** Template name → root list; the top-level template is under its own name. */
export type TreeSet = Map<string, ListNode>;

export class Abort {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

export interface ParseState {
  items: Item[];
  i: number;
  /** The furthest token read, whose line parse errors report (Go's token[0]). */
  last: Item;
  furthest: number;
  vars: string[];
  rangeDepth: number;
  actionLine: number;
}

export function errorf(s: ParseState, msg: string): never {
  throw new Abort(`template: %NAME%:${s.last.line}: ${msg}`);
}

export function at(s: ParseState, i: number): Item {
  const idx = Math.min(i, s.items.length - 1);
  const it = s.items[idx]!;
  if (idx >= s.furthest) {
    s.furthest = idx;
    s.last = it;
  }
  return it;
}
export function next(s: ParseState): Item {
  const it = at(s, s.i);
  s.i++;
  return it;
}
export function backup(s: ParseState, n = 1): void {
  s.i -= n;
}
export function peek(s: ParseState): Item {
  return at(s, s.i);
}
export function nextNonSpace(s: ParseState): Item {
  let t: Item;
  do t = next(s);
  while (t.typ === Tok.space);
  return t;
}
/** Go's peekNonSpace: consumes the spaces, then peeks. */
export function peekNonSpace(s: ParseState): Item {
  const t = nextNonSpace(s);
  backup(s);
  return t;
}

export function unexpected(s: ParseState, token: Item, context: string): never {
  if (token.typ === Tok.error) {
    let extra = '';
    if (s.actionLine !== 0 && s.actionLine !== token.line) {
      extra = ` in action started at %NAME%:${s.actionLine}`;
      if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
    }
    errorf(s, `${itemString(token)}${extra}`);
  }
  errorf(s, `unexpected ${itemString(token)} in ${context}`);
}

export function expect(s: ParseState, typ: TokType, context: string): Item {
  const t = nextNonSpace(s);
  if (t.typ !== typ) unexpected(s, t, context);
  return t;
}

export function unquoteOrFail(s: ParseState, quoted: string): string {
  const r = unquote(quoted);
  if ('error' in r) errorf(s, r.error);
  return r.value;
}
