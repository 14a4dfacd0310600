// text/template/exec.go: walking the tree with a dot — text, actions, if/with/range (with
// break/continue), templates — and printing values as Go does.
import { formatV } from './fmt.js';
import type { ControlNode, ListNode, Node, PipeNode, TemplateNode } from './nodes.js';
import { nodeString } from './nodes.js';
import type { TreeSet } from './parser.js';
import { evalPipeline } from './eval.js';
import { at, errorf, GoTemplateExecError, setVar, type State } from './exec-state.js';
import { fromData, indirect, int, isTrue, val, type Value } from './values.js';

export { GoTemplateExecError };

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
const MAX_DEPTH = 1000;

export function execute(parseName: string, text: string, trees: TreeSet, data: Value): string {
  const root = trees.get(parseName);
  const s: State = {
    parseName,
    tmplName: parseName,
    text,
    trees,
    out: [],
    node: undefined,
    vars: [{ name: '$', value: data }],
    depth: 0,
  };
  if (!root) errorf(s, `${JSON.stringify(parseName)} is an incomplete or empty template`);
  walk(s, data, root!);
  return s.out.join('');
}

function walk(s: State, dot: Value, node: Node): void {
  at(s, node);
  switch (node.type) {
    case 'action': {
      const v = evalPipeline(s, dot, node.pipe);
      if (node.pipe.decl.length === 0) printValue(s, node, v);
      return;
    }
    case 'break':
      throw BREAK;
    case 'continue':
      throw CONTINUE;
    case 'comment':
      return;
    case 'if':
    case 'with':
      return walkIfOrWith(s, node.type, dot, node.pipe, node.list, node.elseList);
    case 'list':
      for (const n of node.nodes) walk(s, dot, n);
      return;
    case 'range':
      return walkRange(s, dot, node);
    case 'template':
      return walkTemplate(s, dot, node);
    case 'text':
      s.out.push(node.text);
      return;
    default:
      errorf(s, `unknown node: ${nodeString(node)}`);
  }
}

function walkIfOrWith(
  s: State,
  typ: 'if' | 'with',
  dot: Value,
  pipe: PipeNode,
  list: ListNode,
  elseList: ListNode | undefined,
): void {
  const mark = s.vars.length;
  try {
    const v = evalPipeline(s, dot, pipe);
    const { truth, ok } = isTrue(v);
    if (!ok) errorf(s, `if/with can't use ${formatV(v)}`);
    if (truth) walk(s, typ === 'with' ? v : dot, list);
    else if (elseList) walk(s, dot, elseList);
  } finally {
    s.vars.length = mark;
  }
}

function walkRange(s: State, dot: Value, r: ControlNode): void {
  at(s, r);
  const mark = s.vars.length;
  try {
    const piped = evalPipeline(s, dot, r.pipe);
    const v = piped === null ? null : indirect(piped).v;
    const bodyMark = s.vars.length;
    const decl = r.pipe.decl;
    const oneIteration = (index: Value, elem: Value): void => {
      if (decl.length > 0) {
        if (r.pipe.isAssign) setVar(s, decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
        else s.vars[s.vars.length - 1]!.value = elem;
      }
      if (decl.length > 1) {
        if (r.pipe.isAssign) setVar(s, decl[1]!.ident[0]!, elem);
        else s.vars[s.vars.length - 2]!.value = index;
      }
      try {
        walk(s, elem, r.list);
      } catch (e) {
        if (e !== CONTINUE) throw e;
      } finally {
        s.vars.length = bodyMark;
      }
    };
    let ran = false;
    if (v !== null) {
      switch (v.t.kind) {
        case 'slice': {
          const items = (v.v as unknown[] | undefined) ?? [];
          items.forEach((x, i) => oneIteration(int(i), fromData(v.t.elem!, x)));
          ran = items.length > 0;
          break;
        }
        case 'map': {
          const obj = (v.v as Record<string, unknown> | undefined) ?? {};
          const keys = Object.keys(obj).sort();
          for (const k of keys) oneIteration(val(v.t.key!, k), fromData(v.t.elem!, obj[k]));
          ran = keys.length > 0;
          break;
        }
        case 'int':
        case 'uint': {
          if (decl.length > 1)
            errorf(s, `can't use ${formatV(v)} to iterate over more than one variable`);
          const n = v.v as number;
          for (let i = 0; i < n; i++) oneIteration(null, val(v.t, i));
          ran = n > 0;
          break;
        }
        default:
          errorf(s, `range can't iterate over ${formatV(v)}`);
      }
    }
    if (!ran && r.elseList) walk(s, dot, r.elseList);
  } catch (e) {
    if (e !== BREAK) throw e;
  } finally {
    s.vars.length = mark;
  }
}

function walkTemplate(s: State, dot: Value, t: TemplateNode): void {
  at(s, t);
  const tree = s.trees.get(t.name);
  if (!tree) errorf(s, `template ${JSON.stringify(t.name)} not defined`);
  if (s.depth === MAX_DEPTH) errorf(s, `exceeded maximum template depth (${MAX_DEPTH})`);
  const newDot = t.pipe ? evalPipeline(s, dot, t.pipe) : null;
  const inner: State = {
    ...s,
    tmplName: t.name,
    depth: s.depth + 1,
    vars: [{ name: '$', value: newDot }],
  };
  walk(inner, newDot, tree!);
}

function printValue(s: State, n: Node, v: Value): void {
  at(s, n);
  if (v === null) {
    s.out.push('<no value>');
    return;
  }
  const printable = v.t.kind === 'ptr' ? indirect(v).v : v;
  s.out.push(formatV(printable));
}
