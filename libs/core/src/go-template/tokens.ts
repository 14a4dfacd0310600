// The lexer's items (text/template/parse/lex.go itemType), and how parse errors print them.
import { goQuote } from './quote.js';

export const Tok = {
  error: 'error',
  bool: 'bool',
  char: 'char',
  charConstant: 'charConstant',
  assign: 'assign',
  declare: 'declare',
  eof: 'eof',
  field: 'field',
  identifier: 'identifier',
  leftDelim: 'leftDelim',
  leftParen: 'leftParen',
  number: 'number',
  pipe: 'pipe',
  rawString: 'rawString',
  rightDelim: 'rightDelim',
  rightParen: 'rightParen',
  space: 'space',
  string: 'string',
  text: 'text',
  variable: 'variable',
  // keywords
  block: 'block',
  break: 'break',
  continue: 'continue',
  dot: 'dot',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  nil: 'nil',
  range: 'range',
  template: 'template',
  with: 'with',
} as const;
export type TokType = (typeof Tok)[keyof typeof Tok];

export const KEYWORDS: Record<string, TokType> = {
  '.': Tok.dot,
  block: Tok.block,
  break: Tok.break,
  continue: Tok.continue,
  define: Tok.define,
  else: Tok.else,
  end: Tok.end,
  if: Tok.if,
  range: Tok.range,
  nil: Tok.nil,
  template: Tok.template,
  with: Tok.with,
};
const KEYWORD_SET = new Set<TokType>(Object.values(KEYWORDS));

export interface Item {
  typ: TokType;
  pos: number;
  val: string;
  line: number;
}

/** Go's %.10q / %q of an item, as parse errors print it. */
export function itemString(i: Item): string {
  if (i.typ === Tok.eof) return 'EOF';
  if (i.typ === Tok.error) return i.val;
  if (KEYWORD_SET.has(i.typ)) return `<${i.val}>`;
  const chars = [...i.val];
  if (chars.length > 10) return `${goQuote(chars.slice(0, 10).join(''))}...`;
  return goQuote(i.val);
}
