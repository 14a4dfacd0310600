// text/template/parse/parse.go: the same grammar, checks and error texts
// ("template: NAME:LINE: message").
import { lex } from './lexer.js';
import type { ListNode, Node, PipeNode } from './nodes.js';
import { nodeString } from './nodes.js';
import { pipeline } from './parse-pipeline.js';
import {
  Abort,
  backup,
  errorf,
  expect,
  GoTemplateParseError,
  next,
  nextNonSpace,
  peek,
  peekNonSpace,
  unexpected,
  unquoteOrFail,
  type ParseState,
  type TreeSet,
} from './parse-state.js';
import { Tok, type Item } from './tokens.js';

export { GoTemplateParseError };
export type { TreeSet };

export function parseTemplate(name: string, text: string, funcs: ReadonlySet<string>): TreeSet {
  const trees: TreeSet = new Map();
  const items = lex(text);
  const s: ParseState = {
    items,
    i: 0,
    last: items[0]!,
    furthest: 0,
    vars: ['$'],
    rangeDepth: 0,
    actionLine: 0,
  };
  try {
    const root = parseTop(s, funcs, trees);
    addTree(s, trees, name, root);
  } catch (err) {
    if (err instanceof Abort) throw new GoTemplateParseError(err.message.replace('%NAME%', name));
    throw err;
  }
  return trees;
}

function isEmptyTree(n: Node | undefined): boolean {
  if (!n) return true;
  if (n.type === 'comment') return true;
  if (n.type === 'list') return n.nodes.every(isEmptyTree);
  if (n.type === 'text') return n.text.trim() === '';
  return false;
}

function addTree(s: ParseState, trees: TreeSet, name: string, root: ListNode): void {
  const existing = trees.get(name);
  if (!existing || isEmptyTree(existing)) {
    trees.set(name, root);
    return;
  }
  if (!isEmptyTree(root))
    errorf(s, `template: multiple definition of template ${JSON.stringify(name)}`);
}

function parseTop(s: ParseState, funcs: ReadonlySet<string>, trees: TreeSet): ListNode {
  const root: ListNode = { type: 'list', pos: peek(s).pos, nodes: [] };
  while (peek(s).typ !== Tok.eof) {
    if (peek(s).typ === Tok.leftDelim) {
      const save = s.i;
      next(s);
      if (nextNonSpace(s).typ === Tok.define) {
        parseDefinition(s, funcs, trees);
        continue;
      }
      s.i = save;
    }
    const n = textOrAction(s, funcs, trees);
    if (n.type === 'end' || n.type === 'else') errorf(s, `unexpected ${nodeString(n)}`);
    root.nodes.push(n);
  }
  return root;
}

/** Go's parseTemplateName: the quoted name after `define`, `block` or `template`. */
function templateName(s: ParseState, token: Item, context: string): string {
  if (token.typ !== Tok.string && token.typ !== Tok.rawString) unexpected(s, token, context);
  return unquoteOrFail(s, token.val);
}

/** A `define` or `block` body up to its {{end}}, in a scope of its own, added as template `name`. */
function definitionBody(
  s: ParseState,
  funcs: ReadonlySet<string>,
  trees: TreeSet,
  name: string,
  context: string,
): void {
  const savedVars = s.vars;
  s.vars = ['$'];
  const { list, end } = itemList(s, funcs, trees);
  s.vars = savedVars;
  if (end.type !== 'end') errorf(s, `unexpected ${nodeString(end)} in ${context}`);
  addTree(s, trees, name, list);
}

function parseDefinition(s: ParseState, funcs: ReadonlySet<string>, trees: TreeSet): void {
  const context = 'define clause';
  const name = templateName(s, nextNonSpace(s), context);
  expect(s, Tok.rightDelim, context);
  definitionBody(s, funcs, trees, name, context);
}

function itemList(
  s: ParseState,
  funcs: ReadonlySet<string>,
  trees: TreeSet,
): { list: ListNode; end: Node } {
  const list: ListNode = { type: 'list', pos: peekNonSpace(s).pos, nodes: [] };
  while (peekNonSpace(s).typ !== Tok.eof) {
    const n = textOrAction(s, funcs, trees);
    if (n.type === 'end' || n.type === 'else') return { list, end: n };
    list.nodes.push(n);
  }
  errorf(s, 'unexpected EOF');
}

function textOrAction(s: ParseState, funcs: ReadonlySet<string>, trees: TreeSet): Node {
  const token = nextNonSpace(s);
  switch (token.typ) {
    case Tok.text:
      return { type: 'text', pos: token.pos, text: token.val };
    case Tok.leftDelim: {
      s.actionLine = token.line;
      try {
        return action(s, funcs, trees);
      } finally {
        s.actionLine = 0;
      }
    }
    default:
      unexpected(s, token, 'input');
  }
}

function action(s: ParseState, funcs: ReadonlySet<string>, trees: TreeSet): Node {
  const token = nextNonSpace(s);
  switch (token.typ) {
    case Tok.block:
      return blockControl(s, funcs, trees);
    case Tok.break:
    case Tok.continue: {
      const kw = token.typ;
      const t = nextNonSpace(s);
      if (t.typ !== Tok.rightDelim) unexpected(s, t, `{{${kw}}}`);
      if (s.rangeDepth === 0) errorf(s, `{{${kw}}} outside {{range}}`);
      return { type: kw, pos: token.pos, line: token.line };
    }
    case Tok.else:
      return elseControl(s);
    case Tok.end:
      return { type: 'end', pos: expect(s, Tok.rightDelim, 'end').pos, line: token.line };
    case Tok.if:
    case Tok.range:
    case Tok.with:
      return control(s, funcs, trees, token.typ);
    case Tok.template:
      return templateControl(s, funcs);
  }
  backup(s);
  const t = peek(s);
  return {
    type: 'action',
    pos: t.pos,
    line: t.line,
    pipe: pipeline(s, funcs, 'command', Tok.rightDelim),
  };
}

function elseControl(s: ParseState): Node {
  const p = peekNonSpace(s);
  if (p.typ === Tok.if || p.typ === Tok.with) return { type: 'else', pos: p.pos, line: p.line };
  const t = expect(s, Tok.rightDelim, 'else');
  return { type: 'else', pos: t.pos, line: t.line };
}

function control(
  s: ParseState,
  funcs: ReadonlySet<string>,
  trees: TreeSet,
  kind: 'if' | 'range' | 'with',
): Node {
  const varMark = s.vars.length;
  try {
    const pipe = pipeline(s, funcs, kind, Tok.rightDelim);
    if (kind === 'range') s.rangeDepth++;
    let { list, end } = itemList(s, funcs, trees);
    if (kind === 'range') s.rangeDepth--;
    let elseList: ListNode | undefined;
    if (end.type === 'else') {
      const p = peek(s);
      if ((kind === 'if' && p.typ === Tok.if) || (kind === 'with' && p.typ === Tok.with)) {
        next(s);
        elseList = { type: 'list', pos: end.pos, nodes: [control(s, funcs, trees, kind)] };
      } else {
        ({ list: elseList, end } = itemList(s, funcs, trees));
        if (end.type !== 'end') errorf(s, `expected end; found ${nodeString(end)}`);
      }
    }
    return { type: kind, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
  } finally {
    s.vars.length = varMark;
  }
}

function blockControl(s: ParseState, funcs: ReadonlySet<string>, trees: TreeSet): Node {
  const context = 'block clause';
  const token = nextNonSpace(s);
  const name = templateName(s, token, context);
  const pipe = pipeline(s, funcs, context, Tok.rightDelim);
  definitionBody(s, funcs, trees, name, context);
  return { type: 'template', pos: token.pos, line: token.line, name, pipe };
}

function templateControl(s: ParseState, funcs: ReadonlySet<string>): Node {
  const context = 'template clause';
  const token = nextNonSpace(s);
  const name = templateName(s, token, context);
  let pipe: PipeNode | undefined;
  if (nextNonSpace(s).typ !== Tok.rightDelim) {
    backup(s);
    pipe = pipeline(s, funcs, context, Tok.rightDelim);
  }
  return { type: 'template', pos: token.pos, line: token.line, name, pipe };
}
