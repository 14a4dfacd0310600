// Kubernetes label selectors as the apiserver parses them (k8s.io/apimachinery/pkg/labels):
// `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x)`, joined by commas (AND).
export type Requirement =
  | { key: string; op: 'in'; values: string[] }
  | { key: string; op: 'notin'; values: string[] }
  | { key: string; op: 'exists' }
  | { key: string; op: '!exists' };

export type Selector = (labels: Readonly<Record<string, string>> | undefined) => boolean;

export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

/** Splits on commas that are not inside a `( … )` value set. */
function splitTerms(raw: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(raw.slice(start));
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

function key(raw: string, term: string): string {
  const k = raw.trim();
  if (!KEY.test(k))
    throw new SelectorError(`unable to parse requirement: invalid label key "${k}" in "${term}"`);
  return k;
}

function parseTerm(term: string): Requirement {
  const set = /^(.+?)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (set) {
    const values = set[3]!.split(',').map((v) => v.trim());
    return { key: key(set[1]!, term), op: set[2] as 'in' | 'notin', values };
  }
  const cmp = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
  if (cmp) {
    const op = cmp[2] === '!=' ? 'notin' : 'in';
    return { key: key(cmp[1]!, term), op, values: [cmp[3]!.trim()] };
  }
  if (term.startsWith('!')) return { key: key(term.slice(1), term), op: '!exists' };
  return { key: key(term, term), op: 'exists' };
}

export function parseSelector(raw: string | null | undefined): Requirement[] {
  return raw ? splitTerms(raw).map(parseTerm) : [];
}

export function matches(
  reqs: readonly Requirement[],
  labels: Readonly<Record<string, string>> = {},
): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key]!);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]!);
    }
  });
}

/** Parses once; the result tests a label map. Throws SelectorError for a malformed selector. */
export function compileSelector(raw: string | null | undefined): Selector {
  const reqs = parseSelector(raw);
  return (labels) => matches(reqs, labels ?? {});
}
