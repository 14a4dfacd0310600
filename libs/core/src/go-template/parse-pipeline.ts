// Pipelines, commands, operands and terms (text/template/parse/parse.go).
import type { Arg, CommandNode, PipeNode, VariableNode } from './nodes.js';
import { nodeString } from './nodes.js';
import { parseNumber } from './numbers.js';
import {
  backup,
  errorf,
  next,
  nextNonSpace,
  peek,
  peekNonSpace,
  unexpected,
  unquoteOrFail,
  type ParseState,
} from './parse-state.js';
import { Tok, type TokType } from './tokens.js';

export function newVariable(pos: number, ident: string): VariableNode {
  return { type: 'variable', pos, ident: ident.split('.') };
}

export function pipeline(
  s: ParseState,
  funcs: ReadonlySet<string>,
  context: string,
  end: TokType,
): PipeNode {
  const first = peekNonSpace(s);
  const pipe: PipeNode = {
    type: 'pipe',
    pos: first.pos,
    line: first.line,
    isAssign: false,
    decl: [],
    cmds: [],
  };
  for (;;) {
    const v = peekNonSpace(s);
    if (v.typ !== Tok.variable) break;
    const save = s.i;
    nextNonSpace(s);
    const nxt = peekNonSpace(s);
    if (nxt.typ === Tok.assign || nxt.typ === Tok.declare) {
      pipe.isAssign = nxt.typ === Tok.assign;
      nextNonSpace(s);
      pipe.decl.push(newVariable(v.pos, v.val));
      s.vars.push(v.val);
      break;
    }
    if (nxt.typ === Tok.char && nxt.val === ',') {
      nextNonSpace(s);
      pipe.decl.push(newVariable(v.pos, v.val));
      s.vars.push(v.val);
      if (context === 'range' && pipe.decl.length < 2) {
        const p = peekNonSpace(s).typ;
        if (p === Tok.variable || p === Tok.rightDelim || p === Tok.rightParen) continue;
        errorf(s, 'range can only initialize variables');
      }
      errorf(s, `too many declarations in ${context}`);
    }
    s.i = save;
    break;
  }
  for (;;) {
    const token = nextNonSpace(s);
    if (token.typ === end) {
      checkPipeline(s, pipe, context);
      return pipe;
    }
    switch (token.typ) {
      case Tok.bool:
      case Tok.charConstant:
      case Tok.dot:
      case Tok.field:
      case Tok.identifier:
      case Tok.number:
      case Tok.nil:
      case Tok.rawString:
      case Tok.string:
      case Tok.variable:
      case Tok.leftParen:
        backup(s);
        pipe.cmds.push(command(s, funcs));
        break;
      default:
        unexpected(s, token, context);
    }
  }
}

function checkPipeline(s: ParseState, pipe: PipeNode, context: string): void {
  if (pipe.cmds.length === 0) errorf(s, `missing value for ${context}`);
  pipe.cmds.slice(1).forEach((c, i) => {
    const t = c.args[0]?.type;
    if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
      errorf(s, `non executable command in pipeline stage ${i + 2}`);
    }
  });
}

function command(s: ParseState, funcs: ReadonlySet<string>): CommandNode {
  const cmd: CommandNode = { type: 'command', pos: peekNonSpace(s).pos, args: [] };
  for (;;) {
    peekNonSpace(s);
    const op = operand(s, funcs);
    if (op) cmd.args.push(op);
    const token = next(s);
    if (token.typ === Tok.space) continue;
    if (token.typ === Tok.rightDelim || token.typ === Tok.rightParen) backup(s);
    else if (token.typ !== Tok.pipe) unexpected(s, token, 'operand');
    break;
  }
  if (cmd.args.length === 0) errorf(s, 'empty command');
  return cmd;
}

function operand(s: ParseState, funcs: ReadonlySet<string>): Arg | undefined {
  const node = term(s, funcs);
  if (!node) return undefined;
  if (peek(s).typ !== Tok.field) return node;
  const chainPos = peek(s).pos;
  const fields: string[] = [];
  while (peek(s).typ === Tok.field) fields.push(next(s).val.slice(1));
  switch (node.type) {
    case 'field':
      return { type: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
    case 'variable':
      return { type: 'variable', pos: chainPos, ident: [...node.ident, ...fields] };
    case 'bool':
    case 'string':
    case 'number':
    case 'nil':
    case 'dot':
      errorf(s, `unexpected . after term ${JSON.stringify(nodeString(node))}`);
    // eslint-disable-next-line no-fallthrough
    default:
      return { type: 'chain', pos: chainPos, node, field: fields };
  }
}

function term(s: ParseState, funcs: ReadonlySet<string>): Arg | undefined {
  const token = nextNonSpace(s);
  switch (token.typ) {
    case Tok.identifier:
      if (!funcs.has(token.val)) errorf(s, `function ${JSON.stringify(token.val)} not defined`);
      return { type: 'identifier', pos: token.pos, ident: token.val };
    case Tok.dot:
      return { type: 'dot', pos: token.pos };
    case Tok.nil:
      return { type: 'nil', pos: token.pos };
    case Tok.variable: {
      const v = newVariable(token.pos, token.val);
      if (!s.vars.includes(v.ident[0]!))
        errorf(s, `undefined variable ${JSON.stringify(v.ident[0])}`);
      return v;
    }
    case Tok.field:
      return { type: 'field', pos: token.pos, ident: token.val.slice(1).split('.') };
    case Tok.bool:
      return { type: 'bool', pos: token.pos, value: token.val === 'true' };
    case Tok.charConstant:
    case Tok.number: {
      const r = parseNumber(token.val, token.typ === Tok.charConstant);
      if ('error' in r) errorf(s, r.error);
      return { type: 'number', pos: token.pos, value: r };
    }
    case Tok.leftParen:
      return pipeline(s, funcs, 'parenthesized pipeline', Tok.rightParen);
    case Tok.string:
    case Tok.rawString:
      return {
        type: 'string',
        pos: token.pos,
        quoted: token.val,
        text: unquoteOrFail(s, token.val),
      };
  }
  backup(s);
  return undefined;
}
