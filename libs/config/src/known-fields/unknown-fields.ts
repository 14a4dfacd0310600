// Unknown fields: keys Prow's types do not have, found as Prow's checkconfig finds them
// (`yaml.Unmarshal(b, &cfg, yaml.DisallowUnknownFields)`), but every one of them at once, each
// with its path and, for a near miss (`alwyas_run`), the field that was probably meant.
//
// The trees (fields.generated.ts) encode each type as a node: a scalar (0 string, 2 bool,
// 3 integer, 4 number, 5 any scalar), 1 anything (custom unmarshalers, which Prow decodes
// without DisallowUnknownFields, and types not read), a string naming another entry of DEFS,
// {f: fields} a struct, {m: node} a map, {l: node} a list. Struct keys match
// case-insensitively when no key matches exactly, as in encoding/json.
import { DEFS, ROOTS } from './fields.generated.js';

export type Node = number | string | { f?: Record<string, Node>; m?: Node; l?: Node };
type Path = (string | number)[];

export interface UnknownField {
  /** Keys and indexes from the document root to the unknown key (included). */
  path: Path;
  key: string;
  /** The known field the key most probably meant, if one is close. */
  suggestion?: string;
}

export type RootType = keyof typeof ROOTS;

export function resolve(node: Node): Node {
  let n = node;
  for (let i = 0; typeof n === 'string' && i < 20; i++) n = (DEFS[n] as Node | undefined) ?? 1;
  return n;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let v = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The field of struct `fields` that key `k` sets (exact, else case-insensitive, as encoding/json). */
export function fieldFor(fields: Record<string, Node>, k: string): string | undefined {
  if (k in fields) return k;
  const lower = k.toLowerCase();
  return Object.keys(fields).find((name) => name.toLowerCase() === lower);
}

/** The closest of `known` to `key`, if close enough to be a typo (or a different spelling). */
export function suggest(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    if (norm(k) === norm(key)) return k; // `always-run` → `always_run`, `pathAlias` → `path_alias`
    const dist = editDistance(key.toLowerCase(), k.toLowerCase());
    if (dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

function walk(value: unknown, node: Node, path: Path, out: UnknownField[]): void {
  const n = resolve(node);
  if (typeof n !== 'object' || value === null || value === undefined) return;
  if (n.l !== undefined) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, n.l as Node, [...path, i], out));
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  if (n.m !== undefined) {
    for (const [k, v] of Object.entries(obj)) walk(v, n.m, [...path, k], out);
    return;
  }
  const fields = n.f ?? {};
  if ('*' in fields) return;
  const names = Object.keys(fields);
  for (const [k, v] of Object.entries(obj)) {
    const field = fieldFor(fields, k);
    if (field === undefined) {
      const s = suggest(k, names);
      out.push({ path: [...path, k], key: k, ...(s !== undefined && { suggestion: s }) });
      continue;
    }
    walk(v, fields[field] as Node, [...path, k], out);
  }
}

/**
 * The unknown fields of a parsed YAML document read as `root`: `config` (config.yaml, Prow's
 * Config: its own keys and the job config keys), `jobConfig` (a job config file) or `plugins`
 * (plugins.yaml).
 */
export function unknownFields(doc: unknown, root: RootType): UnknownField[] {
  const out: UnknownField[] = [];
  walk(doc, ROOTS[root], [], out);
  return out;
}
