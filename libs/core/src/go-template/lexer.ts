// text/template/parse/lex.go: the same states, tokens, trim markers and error texts.
import { KEYWORDS, Tok, type Item, type TokType } from './tokens.js';

const LEFT = '{{';
const RIGHT = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const TRIM = 2; // "- " / " -"

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string | undefined): boolean =>
  c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);
const hasLeftTrimMarker = (s: string): boolean => s.length >= 2 && s[0] === '-' && isSpace(s[1]);
const hasRightTrimMarker = (s: string): boolean => s.length >= 2 && isSpace(s[0]) && s[1] === '-';
const trimLeftLen = (s: string): number => s.length - s.replace(/^[ \t\r\n]+/, '').length;
const trimRightLen = (s: string): number => s.length - s.replace(/[ \t\r\n]+$/, '').length;

function describeRune(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} '${c}'`;
}

/** Scans the whole input (Go's lexer runs as a goroutine; the result is the same item list). */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let parenDepth = 0;
  const newlines: number[] = [];
  for (let i = input.indexOf('\n'); i >= 0; i = input.indexOf('\n', i + 1)) newlines.push(i);
  /** 1 + the number of newlines before `p`: the line an item starting at `p` is on. */
  const lineAt = (p: number): number => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };

  const emit = (typ: TokType): void => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: lineAt(start) });
    start = pos;
  };
  const ignore = (): void => {
    start = pos;
  };
  const errorf = (msg: string): null => {
    items.push({ typ: Tok.error, pos: start, val: msg, line: lineAt(start) });
    return null;
  };
  const advance = (n: number): void => {
    pos += n;
  };
  const next = (): string | undefined => {
    if (pos >= input.length) return undefined;
    const c = String.fromCodePoint(input.codePointAt(pos)!);
    pos += c.length;
    return c;
  };
  const backup = (c: string | undefined): void => {
    if (c !== undefined) pos -= c.length;
  };
  const peek = (): string | undefined => {
    const c = next();
    backup(c);
    return c;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    const rest = input.slice(pos);
    if (rest.startsWith(RIGHT)) return { delim: true, trim: false };
    if (hasRightTrimMarker(rest) && rest.slice(TRIM).startsWith(RIGHT))
      return { delim: true, trim: true };
    return { delim: false, trim: false };
  };
  const atTerminator = (): boolean => {
    const r = peek();
    if (r === undefined || isSpace(r)) return true;
    if ('.,|:)('.includes(r)) return true;
    return input.slice(pos).startsWith(RIGHT);
  };

  type State = (() => State) | null;

  const lexText = (): State => {
    const x = input.indexOf(LEFT, pos);
    if (x >= 0) {
      advance(x - pos);
      let trimLength = 0;
      if (hasLeftTrimMarker(input.slice(pos + LEFT.length)))
        trimLength = trimRightLen(input.slice(start, pos));
      pos -= trimLength;
      if (pos > start) emit(Tok.text);
      pos += trimLength;
      ignore();
      return lexLeftDelim;
    }
    advance(input.length - pos);
    if (pos > start) emit(Tok.text);
    emit(Tok.eof);
    return null;
  };

  const lexLeftDelim = (): State => {
    advance(LEFT.length);
    const trimSpace = hasLeftTrimMarker(input.slice(pos));
    const afterMarker = trimSpace ? TRIM : 0;
    if (input.slice(pos + afterMarker).startsWith(LEFT_COMMENT)) {
      advance(afterMarker);
      ignore();
      return lexComment;
    }
    emit(Tok.leftDelim);
    advance(afterMarker);
    ignore();
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment = (): State => {
    advance(LEFT_COMMENT.length);
    const i = input.indexOf(RIGHT_COMMENT, pos);
    if (i < 0) return errorf('unclosed comment');
    advance(i - pos + RIGHT_COMMENT.length);
    const { delim, trim } = atRightDelim();
    if (!delim) return errorf('comment ends before closing delimiter');
    if (trim) advance(TRIM);
    advance(RIGHT.length);
    if (trim) advance(trimLeftLen(input.slice(pos)));
    ignore();
    return lexText;
  };

  const lexRightDelim = (): State => {
    const { trim } = atRightDelim();
    if (trim) {
      advance(TRIM);
      ignore();
    }
    advance(RIGHT.length);
    emit(Tok.rightDelim);
    if (trim) {
      advance(trimLeftLen(input.slice(pos)));
      ignore();
    }
    return lexText;
  };

  const lexInsideAction = (): State => {
    if (atRightDelim().delim) {
      if (parenDepth === 0) return lexRightDelim;
      return errorf('unclosed left paren');
    }
    const r = next();
    if (r === undefined) return errorf('unclosed action');
    if (isSpace(r)) {
      backup(r);
      return lexSpace;
    }
    switch (r) {
      case '=':
        emit(Tok.assign);
        return lexInsideAction;
      case ':':
        if (next() !== '=') return errorf('expected :=');
        emit(Tok.declare);
        return lexInsideAction;
      case '|':
        emit(Tok.pipe);
        return lexInsideAction;
      case '"':
        return lexQuote;
      case '`':
        return lexRawQuote;
      case '$':
        return lexVariable;
      case "'":
        return lexChar;
      case '(':
        emit(Tok.leftParen);
        parenDepth++;
        return lexInsideAction;
      case ')':
        emit(Tok.rightParen);
        parenDepth--;
        if (parenDepth < 0) return errorf(`unexpected right paren ${describeRune(r)}`);
        return lexInsideAction;
    }
    if (r === '.') {
      const c = input[pos];
      if (c === undefined || c < '0' || c > '9') return lexField;
    }
    if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      backup(r);
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      backup(r);
      return lexIdentifier;
    }
    const cp = r.codePointAt(0)!;
    if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) {
      emit(Tok.char);
      return lexInsideAction;
    }
    return errorf(`unrecognized character in action: ${describeRune(r)}`);
  };

  const lexSpace = (): State => {
    let numSpaces = 0;
    while (isSpace(peek())) {
      next();
      numSpaces++;
    }
    // A trim-marked closing delimiter has a minus after a space.
    if (hasRightTrimMarker(input.slice(pos - 1)) && input.slice(pos - 1 + TRIM).startsWith(RIGHT)) {
      backup(input[pos - 1]);
      if (numSpaces === 1) return lexRightDelim;
    }
    emit(Tok.space);
    return lexInsideAction;
  };

  const lexIdentifier = (): State => {
    for (;;) {
      const r = next();
      if (isAlphaNumeric(r)) continue;
      backup(r);
      const word = input.slice(start, pos);
      if (!atTerminator()) return errorf(`bad character ${describeRune(r ?? '')}`);
      const kw = KEYWORDS[word];
      if (kw !== undefined && kw !== Tok.dot) emit(kw);
      else if (word === 'true' || word === 'false') emit(Tok.bool);
      else emit(Tok.identifier);
      return lexInsideAction;
    }
  };

  const lexFieldOrVariable = (typ: TokType): State => {
    if (atTerminator()) {
      emit(typ === Tok.variable ? Tok.variable : Tok.dot);
      return lexInsideAction;
    }
    let r: string | undefined;
    for (;;) {
      r = next();
      if (!isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    if (!atTerminator()) return errorf(`bad character ${describeRune(r ?? '')}`);
    emit(typ);
    return lexInsideAction;
  };
  const lexField = (): State => lexFieldOrVariable(Tok.field);
  const lexVariable = (): State => {
    if (atTerminator()) {
      emit(Tok.variable);
      return lexInsideAction;
    }
    return lexFieldOrVariable(Tok.variable);
  };

  const lexChar = (): State => {
    for (;;) {
      const r = next();
      if (r === '\\') {
        const e = next();
        if (e !== undefined && e !== '\n') continue;
      }
      if (r === undefined || r === '\n' || r === '\\')
        return errorf('unterminated character constant');
      if (r === "'") break;
    }
    emit(Tok.charConstant);
    return lexInsideAction;
  };

  const scanNumber = (): boolean => {
    const accept = (valid: string): boolean => {
      const r = next();
      if (r !== undefined && valid.includes(r)) return true;
      backup(r);
      return false;
    };
    const acceptRun = (valid: string): void => {
      for (;;) {
        const r = next();
        if (r === undefined || !valid.includes(r)) {
          backup(r);
          return;
        }
      }
    };
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 10 + 1 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 22 + 1 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  const lexNumber = (): State => {
    if (!scanNumber())
      return errorf(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
    const sign = peek();
    if (sign === '+' || sign === '-') {
      if (!scanNumber() || input[pos - 1] !== 'i') {
        return errorf(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
      }
    }
    emit(Tok.number);
    return lexInsideAction;
  };

  const lexQuote = (): State => {
    for (;;) {
      const r = next();
      if (r === '\\') {
        const e = next();
        if (e !== undefined && e !== '\n') continue;
        return errorf('unterminated quoted string');
      }
      if (r === undefined || r === '\n') return errorf('unterminated quoted string');
      if (r === '"') break;
    }
    emit(Tok.string);
    return lexInsideAction;
  };

  const lexRawQuote = (): State => {
    for (;;) {
      const r = next();
      if (r === undefined) return errorf('unterminated raw quoted string');
      if (r === '`') break;
    }
    emit(Tok.rawString);
    return lexInsideAction;
  };

  let state: State = lexText;
  while (state) state = state();
  return items;
}
