// Evaluating pipelines, commands, field chains, function and method calls (text/template's
// eval* functions), with Go's argument checks and error texts.
import { builtins, CallError, type Builtin, type Param } from './funcs.js';
import type { Arg, CommandNode, Node, PipeNode, VariableNode } from './nodes.js';
import { nodeString } from './nodes.js';
import { at, errorf, MISSING, setVar, varValue, type Final, type State } from './exec-state.js';
import {
  T,
  assignable,
  bool,
  findMethod,
  fromData,
  indirect,
  int,
  isTrue,
  str,
  structField,
  val,
  type GoMethod,
  type GoType,
  type GoValue,
  type Value,
} from './values.js';

export function evalPipeline(s: State, dot: Value, pipe: PipeNode): Value {
  at(s, pipe);
  let value: Final = MISSING;
  for (const cmd of pipe.cmds) value = evalCommand(s, dot, cmd, value);
  const result = value === MISSING ? null : value;
  for (const v of pipe.decl) {
    if (pipe.isAssign) setVar(s, v.ident[0]!, result);
    else s.vars.push({ name: v.ident[0]!, value: result });
  }
  return result;
}

function notAFunction(s: State, args: Arg[], final: Final): void {
  if (args.length > 1 || final !== MISSING) {
    errorf(s, `can't give argument to non-function ${nodeString(args[0]!)}`);
  }
}

function evalCommand(s: State, dot: Value, cmd: CommandNode, final: Final): Value {
  const first = cmd.args[0]!;
  switch (first.type) {
    case 'field':
      return evalFieldNode(s, dot, first, cmd.args, final);
    case 'chain':
      return evalChainNode(s, dot, first, cmd.args, final);
    case 'identifier':
      return evalFunction(s, dot, first, cmd, cmd.args, final);
    case 'pipe':
      notAFunction(s, cmd.args, final);
      return evalPipeline(s, dot, first);
    case 'variable':
      return evalVariableNode(s, dot, first, cmd.args, final);
  }
  at(s, first);
  notAFunction(s, cmd.args, final);
  switch (first.type) {
    case 'bool':
      return bool(first.value);
    case 'dot':
      return dot;
    case 'nil':
      errorf(s, 'nil is not a command');
    // eslint-disable-next-line no-fallthrough
    case 'number':
      return idealConstant(s, first);
    case 'string':
      return str(first.text);
  }
  errorf(s, `can't evaluate command ${JSON.stringify(nodeString(first))}`);
}

function idealConstant(s: State, n: Extract<Arg, { type: 'number' }>): Value {
  at(s, n);
  const c = n.value;
  const isHex = /^[+-]?0[xX]/.test(c.text) && !/[pP]/.test(c.text);
  if (c.isFloat && !isHex && !c.text.startsWith("'") && /[.eEpP]/.test(c.text)) {
    return val(T.float64, c.float);
  }
  if (c.isInt) return int(c.int);
  if (c.isUint) errorf(s, `${c.text} overflows int`);
  return null;
}

function evalFieldNode(
  s: State,
  dot: Value,
  field: Extract<Arg, { type: 'field' }>,
  args: Arg[] | undefined,
  final: Final,
): Value {
  at(s, field);
  return evalFieldChain(s, dot, dot, field, field.ident, args, final);
}

function evalChainNode(
  s: State,
  dot: Value,
  chain: Extract<Arg, { type: 'chain' }>,
  args: Arg[] | undefined,
  final: Final,
): Value {
  at(s, chain);
  if (chain.node.type === 'nil')
    errorf(s, `indirection through explicit nil in ${nodeString(chain)}`);
  const pipe = evalArg(s, dot, 'value', chain.node);
  return evalFieldChain(s, dot, pipe, chain, chain.field, args, final);
}

function evalVariableNode(
  s: State,
  dot: Value,
  variable: VariableNode,
  args: Arg[] | undefined,
  final: Final,
): Value {
  at(s, variable);
  const value = varValue(s, variable.ident[0]!);
  if (variable.ident.length === 1) {
    notAFunction(s, args ?? [variable], final);
    return value;
  }
  return evalFieldChain(s, dot, value, variable, variable.ident.slice(1), args, final);
}

function evalFieldChain(
  s: State,
  dot: Value,
  receiver: Value,
  node: Arg,
  ident: string[],
  args: Arg[] | undefined,
  final: Final,
): Value {
  let r = receiver;
  for (let i = 0; i < ident.length - 1; i++)
    r = evalField(s, dot, ident[i]!, node, undefined, MISSING, r);
  return evalField(s, dot, ident[ident.length - 1]!, node, args, final, r);
}

function hasStructField(t: GoType, name: string): boolean {
  if (t.opaque) return true;
  for (const f of t.fields?.() ?? []) {
    if (f.name === name) return true;
    if (f.embedded && hasStructField(f.type.kind === 'ptr' ? f.type.elem! : f.type, name))
      return true;
  }
  return false;
}

function evalFunction(
  s: State,
  dot: Value,
  node: Extract<Arg, { type: 'identifier' }>,
  cmd: Node,
  args: Arg[] | undefined,
  final: Final,
): Value {
  at(s, node);
  const fn = builtins[node.ident];
  if (!fn) errorf(s, `${JSON.stringify(node.ident)} is not a defined function`);
  return evalCall(s, dot, fn!, true, cmd, node.ident, args, final);
}

function evalField(
  s: State,
  dot: Value,
  fieldName: string,
  node: Arg,
  args: Arg[] | undefined,
  final: Final,
  receiver: Value,
): Value {
  if (receiver === null) return null;
  const typName = receiver.t.name;
  const { v: rcv, isNil } = indirect(receiver);
  const base = rcv.t.kind === 'ptr' ? rcv.t.elem! : rcv.t;
  const method = findMethod(base, fieldName);
  if (method) {
    const bound: Builtin = {
      params: (method.params ?? []).map((p): Param => p),
      call: (a) => {
        if (isNil)
          throw new CallError('runtime error: invalid memory address or nil pointer dereference');
        return callMethod(method, val(base, rcv.v), a);
      },
    };
    return evalCall(s, dot, bound, false, node, fieldName, args, final);
  }
  const hasArgs = (args?.length ?? 0) > 1 || final !== MISSING;
  switch (rcv.t.kind) {
    case 'struct': {
      const r = structField(rcv.t, rcv.v, fieldName);
      if (r.found) {
        if (hasArgs) errorf(s, `${fieldName} has arguments but cannot be invoked as function`);
        return r.value;
      }
      break;
    }
    case 'map':
      if (rcv.t.key!.kind === 'string') {
        if (hasArgs) errorf(s, `${fieldName} is not a method but has arguments`);
        const obj = rcv.v as Record<string, unknown> | undefined;
        if (obj && Object.hasOwn(obj, fieldName)) return fromData(rcv.t.elem!, obj[fieldName]);
        return null;
      }
      break;
    case 'ptr': {
      const etyp = rcv.t.elem!;
      if (etyp.kind === 'struct' && !hasStructField(etyp, fieldName)) break;
      if (isNil) errorf(s, `nil pointer evaluating ${typName}.${fieldName}`);
      break;
    }
  }
  errorf(s, `can't evaluate field ${fieldName} in type ${typName}`);
}

function callMethod(m: GoMethod, receiver: GoValue, args: Value[]): Value {
  return m.call(
    receiver,
    args.map((a) => a ?? val(T.any, undefined)),
  );
}

function evalCall(
  s: State,
  dot: Value,
  fn: Builtin,
  isBuiltin: boolean,
  node: Node,
  name: string,
  argNodes: Arg[] | undefined,
  final: Final,
): Value {
  const args = argNodes ? argNodes.slice(1) : [];
  const numIn = args.length + (final !== MISSING ? 1 : 0);
  let numFixed = args.length;
  if (fn.variadic) {
    numFixed = fn.params.length;
    if (numIn < numFixed) {
      errorf(
        s,
        `wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`,
      );
    }
  } else if (numIn !== fn.params.length) {
    errorf(s, `wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
  }

  if (isBuiltin && (name === 'and' || name === 'or')) {
    let v: Value = null;
    for (const a of args) {
      v = evalArg(s, dot, 'value', a);
      if (isTrue(v).truth === (name === 'or')) return v;
    }
    if (final !== MISSING) v = validateType(s, final, 'value');
    return v;
  }

  const argv: Value[] = [];
  let i = 0;
  for (; i < numFixed && i < args.length; i++) argv.push(evalArg(s, dot, fn.params[i]!, args[i]!));
  if (fn.variadic) for (; i < args.length; i++) argv.push(evalArg(s, dot, fn.variadic, args[i]!));
  if (final !== MISSING) {
    let t: Param = fn.params[fn.params.length - 1] ?? 'any';
    if (fn.variadic) t = numIn - 1 < numFixed ? fn.params[numIn - 1]! : fn.variadic;
    argv.push(validateType(s, final, t));
  }
  try {
    return fn.call(argv);
  } catch (err) {
    if (!(err instanceof CallError)) throw err;
    at(s, node);
    errorf(s, `error calling ${name}: ${err.message}`);
  }
}

/** Whether the parameter accepts an untyped nil (reflect.Value and interfaces do). */
const canBeNil = (p: Param): boolean =>
  p === 'value' || p === 'any' || ['ptr', 'slice', 'map', 'interface'].includes(p.kind);

function validateType(s: State, value: Value, p: Param): Value {
  if (value === null) {
    if (canBeNil(p)) return null;
    errorf(s, `invalid value; expected ${(p as GoType).name}`);
  }
  if (p === 'value' || p === 'any') return value;
  if (!assignable(value!.t, p)) {
    if (value!.t.kind === 'ptr' && assignable(value!.t.elem!, p)) {
      const d = indirect(value!);
      if (d.isNil) errorf(s, `dereference of nil pointer of type ${p.name}`);
      return d.v;
    }
    errorf(s, `wrong type for value; expected ${p.name}; got ${value!.t.name}`);
  }
  return value;
}

function evalArg(s: State, dot: Value, p: Param, n: Arg): Value {
  at(s, n);
  switch (n.type) {
    case 'dot':
      return validateType(s, dot, p);
    case 'nil':
      if (canBeNil(p)) return null;
      errorf(s, `cannot assign nil to ${(p as GoType).name}`);
    // eslint-disable-next-line no-fallthrough
    case 'field':
      return validateType(s, evalFieldNode(s, dot, n, [n], MISSING), p);
    case 'variable':
      return validateType(s, evalVariableNode(s, dot, n, undefined, MISSING), p);
    case 'pipe':
      return validateType(s, evalPipeline(s, dot, n), p);
    case 'identifier':
      return validateType(s, evalFunction(s, dot, n, n, undefined, MISSING), p);
    case 'chain':
      return validateType(s, evalChainNode(s, dot, n, undefined, MISSING), p);
  }
  if (p === 'value' || p === 'any') return evalEmptyInterface(s, dot, n);
  switch (p.kind) {
    case 'string':
      if (n.type === 'string') return val(p, n.text);
      errorf(s, `expected string; found ${nodeString(n)}`);
    // eslint-disable-next-line no-fallthrough
    case 'bool':
      if (n.type === 'bool') return val(p, n.value);
      errorf(s, `expected bool; found ${nodeString(n)}`);
    // eslint-disable-next-line no-fallthrough
    case 'int':
      if (n.type === 'number' && n.value.isInt) return val(p, n.value.int);
      errorf(s, `expected integer; found ${nodeString(n)}`);
  }
  errorf(s, `can't handle ${nodeString(n)} for arg of type ${p.name}`);
}

function evalEmptyInterface(s: State, dot: Value, n: Arg): Value {
  at(s, n);
  switch (n.type) {
    case 'bool':
      return bool(n.value);
    case 'dot':
      return dot;
    case 'number':
      return idealConstant(s, n);
    case 'string':
      return str(n.text);
  }
  errorf(s, `can't handle assignment of ${nodeString(n)} to empty interface argument`);
}

/** How an action prints its value (printableValue + fmt.Fprint). */
