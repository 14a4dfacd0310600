// The state of one execution (text/template's `state`): where it is, for error messages, and
// the variable stack.
import type { Node } from './nodes.js';
import { nodeString } from './nodes.js';
import type { TreeSet } from './parser.js';
import type { Value } from './values.js';

export class GoTemplateExecError extends Error {
  override readonly name = 'GoTemplateExecError';
}

export const MISSING = Symbol('missing');
export type Final = Value | typeof MISSING;

export interface Variable {
  name: string;
  value: Value;
}

export interface State {
  parseName: string;
  tmplName: string;
  text: string;
  trees: TreeSet;
  out: string[];
  node: Node | undefined;
  vars: Variable[];
  depth: number;
}

export function errorf(s: State, msg: string): never {
  if (!s.node) throw new GoTemplateExecError(`template: ${s.tmplName}: ${msg}`);
  const pos = s.node.pos;
  const before = s.text.slice(0, pos);
  const nl = before.lastIndexOf('\n');
  const col = nl < 0 ? pos : pos - (nl + 1);
  const line = 1 + (before.match(/\n/g)?.length ?? 0);
  const where = `${s.parseName}:${line}:${col}`;
  const ctx = nodeString(s.node);
  throw new GoTemplateExecError(
    `template: ${where}: executing ${JSON.stringify(s.tmplName)} at <${ctx}>: ${msg}`,
  );
}

export const at = (s: State, n: Node): void => {
  s.node = n;
};

export function varValue(s: State, name: string): Value {
  for (let i = s.vars.length - 1; i >= 0; i--)
    if (s.vars[i]!.name === name) return s.vars[i]!.value;
  errorf(s, `undefined variable: ${name}`);
}

export function setVar(s: State, name: string, value: Value): void {
  for (let i = s.vars.length - 1; i >= 0; i--) {
    if (s.vars[i]!.name === name) {
      s.vars[i]!.value = value;
      return;
    }
  }
  errorf(s, `undefined variable: ${name}`);
}
