// text/template/parse/node.go: the parse tree, and each node's String() as error messages show it.

export interface NumberValue {
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  int: number;
  float: number;
  text: string;
}

export type Node =
  | { type: 'text'; pos: number; text: string }
  | { type: 'comment'; pos: number; text: string }
  | { type: 'action'; pos: number; line: number; pipe: PipeNode }
  | ControlNode
  | TemplateNode
  | { type: 'break' | 'continue'; pos: number; line: number }
  | { type: 'end' | 'else'; pos: number; line: number }
  | ListNode
  | PipeNode
  | Arg;

/** {{if}}, {{with}} and {{range}}. */
export interface ControlNode {
  type: 'if' | 'with' | 'range';
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList?: ListNode;
}

export interface TemplateNode {
  type: 'template';
  pos: number;
  line: number;
  name: string;
  pipe?: PipeNode;
}

export interface ListNode {
  type: 'list';
  pos: number;
  nodes: Node[];
}

export interface VariableNode {
  type: 'variable';
  pos: number;
  ident: string[];
}

export interface PipeNode {
  type: 'pipe';
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}

export interface CommandNode {
  type: 'command';
  pos: number;
  args: Arg[];
}

/** Operands of a command. */
export type Arg =
  | { type: 'identifier'; pos: number; ident: string }
  | VariableNode
  | { type: 'field'; pos: number; ident: string[] }
  | { type: 'chain'; pos: number; node: Arg; field: string[] }
  | { type: 'dot'; pos: number }
  | { type: 'nil'; pos: number }
  | { type: 'bool'; pos: number; value: boolean }
  | { type: 'number'; pos: number; value: NumberValue }
  | { type: 'string'; pos: number; quoted: string; text: string }
  | PipeNode
  | CommandNode;

export function nodeString(n: Node): string {
  switch (n.type) {
    case 'text':
      return n.text;
    case 'comment':
      return `{{${n.text}}}`;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'if':
    case 'with':
    case 'range': {
      const els = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${els}{{end}}`;
    }
    case 'template':
      return n.pipe
        ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}`
        : `{{template ${JSON.stringify(n.name)}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    case 'end':
      return '{{end}}';
    case 'else':
      return '{{else}}';
    case 'list':
      return n.nodes.map(nodeString).join('');
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) {
        s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      }
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args
        .map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a)))
        .join(' ');
    case 'identifier':
      return n.ident;
    case 'variable':
      return n.ident.join('.');
    case 'field':
      return n.ident.map((f) => `.${f}`).join('');
    case 'chain': {
      const base = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return base + n.field.map((f) => `.${f}`).join('');
    }
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'number':
      return n.value.text;
    case 'string':
      return n.quoted;
  }
}
