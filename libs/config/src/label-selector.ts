// Kubernetes' label selector syntax (k8s.io/apimachinery/pkg/labels.Parse), checked as Prow checks
// `deck.external_agent_logs[].selector` and `jenkins_operators[].label_selector`:
// `a=b,c!=d,e in (f,g),h notin (i),j,!k,l>3`. Returns the error, or undefined when it parses.
import { labelValueProblems, qualifiedNameProblems } from '@jetprow/core';

const OPS = ['==', '!=', '=', ' notin ', ' in ', '>', '<'];

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function keyError(key: string): string | undefined {
  const p = qualifiedNameProblems(key);
  return p.length > 0 ? `invalid label key "${key}": ${p.join('; ')}` : undefined;
}

function valueError(value: string): string | undefined {
  const p = labelValueProblems(value);
  return p.length > 0 ? `invalid label value: "${value}": ${p.join('; ')}` : undefined;
}

function requirementError(req: string): string | undefined {
  const r = req.trim();
  if (r === '') return "found '', expected: !, identifier, or 'end of string'";
  if (r.startsWith('!')) return keyError(r.slice(1).trim());
  for (const op of OPS) {
    const i = r.indexOf(op);
    if (i < 0) continue;
    const key = r.slice(0, i).trim();
    const rest = r.slice(i + op.length).trim();
    const ke = keyError(key);
    if (ke) return ke;
    if (op.trim() === 'in' || op.trim() === 'notin') {
      if (!rest.startsWith('(') || !rest.endsWith(')')) return `found '${rest}', expected: '('`;
      const values = rest
        .slice(1, -1)
        .split(',')
        .map((v) => v.trim());
      for (const v of values) {
        const ve = valueError(v);
        if (ve) return ve;
      }
      return undefined;
    }
    if (op === '>' || op === '<') {
      return /^-?\d+$/.test(rest)
        ? undefined
        : `for 'Gt', 'Lt' operators, the value must be an integer`;
    }
    return valueError(rest);
  }
  if (/[\s()]/.test(r)) return `found '${r}', expected: identifier`;
  return keyError(r);
}

/** labels.Parse: undefined when `selector` parses (the empty selector matches everything). */
export function labelSelectorError(selector: string): string | undefined {
  if (selector.trim() === '') return undefined;
  for (const req of splitTopLevel(selector)) {
    const e = requirementError(req);
    if (e) return e;
  }
  return undefined;
}
