// Values of the wrong type, anywhere in a file, found as Prow's yaml.Unmarshal finds them
// (sigs.k8s.io/yaml, then encoding/json: `cannot unmarshal string into Go value of type bool`).
// Prow's components refuse such a file; so does jetprow's loader, for every section, including
// those it keeps as written. A scalar where a string is wanted is fine (sigs.k8s.io/yaml turns it
// into one); an integral number is an integer; unknown keys are the unknown-fields warning's
// business, not this one's.
import { ConfigError } from '../errors.js';
import { formatPath } from '../schema-decode.js';
import { locate } from '../yaml-file.js';
import { ROOTS } from './fields.generated.js';
import { fieldFor, resolve, type Node, type RootType } from './unknown-fields.js';

type Path = (string | number)[];

export interface TypeProblem {
  path: Path;
  message: string;
}

const jsonType = (v: unknown) =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'boolean' ? 'bool' : typeof v;
const SCALAR_GO_TYPES: Record<number, string> = { 0: 'string', 2: 'bool', 3: 'int', 4: 'float64' };

function walk(value: unknown, node: Node, path: Path, out: TypeProblem[]): void {
  if (value === null || value === undefined) return;
  const n = resolve(node);
  const bad = (goType: string, what = jsonType(value)): void => {
    out.push({ path, message: `cannot unmarshal ${what} into Go value of type ${goType}` });
  };
  const scalar = typeof value !== 'object';
  if (typeof n === 'number') {
    if (n === 1) return;
    if (n === 5) return scalar ? undefined : bad('string');
    if (n === 0) return scalar ? undefined : bad('string');
    if (n === 2) return typeof value === 'boolean' ? undefined : bad('bool');
    if (typeof value !== 'number') return bad(SCALAR_GO_TYPES[n] ?? 'number');
    if (n === 3 && !Number.isInteger(value)) return bad('int', `number ${value}`);
    return;
  }
  if (typeof n === 'string') return;
  if (n.l !== undefined) {
    if (!Array.isArray(value)) return bad('slice');
    value.forEach((v, i) => walk(v, n.l as Node, [...path, i], out));
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value))
    return bad(n.m !== undefined ? 'map' : 'struct');
  const obj = value as Record<string, unknown>;
  if (n.m !== undefined) {
    for (const [k, v] of Object.entries(obj)) walk(v, n.m, [...path, k], out);
    return;
  }
  const fields = n.f ?? {};
  for (const [k, v] of Object.entries(obj)) {
    const field = fieldFor(fields, k);
    if (field !== undefined) walk(v, fields[field] as Node, [...path, k], out);
  }
}

/** The type problems of a parsed YAML document read as `root` (see unknownFields). */
export function typeProblems(doc: unknown, root: RootType): TypeProblem[] {
  const out: TypeProblem[] = [];
  walk(doc, ROOTS[root], [], out);
  return out;
}

/** Where a path points inside a job list: the job's name and the path within the job. */
function jobOf(doc: unknown, path: Path): { job: string; rest: Path } | undefined {
  const d = (doc ?? {}) as Record<string, unknown>;
  const [kind, a, b] = path;
  let job: unknown;
  let rest: Path;
  if ((kind === 'presubmits' || kind === 'postsubmits') && typeof b === 'number') {
    job = ((d[kind] as Record<string, unknown[]> | undefined)?.[a as string] ?? [])[b];
    rest = path.slice(3);
  } else if (kind === 'periodics' && typeof a === 'number') {
    job = ((d.periodics as unknown[] | undefined) ?? [])[a];
    rest = path.slice(2);
  } else return undefined;
  const name = (job as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? { job: name, rest } : undefined;
}

/**
 * The type problems of `doc` (read from `file`) as ConfigErrors, job problems named by job and
 * field within the job, leaving out those `known` already reports (same job and field).
 */
export function typeErrors(
  doc: unknown,
  root: RootType,
  file: string,
  known: readonly ConfigError[],
): ConfigError[] {
  const seen = new Set(known.map((e) => `${e.job ?? ''}\x00${e.field ?? ''}`));
  const out: ConfigError[] = [];
  for (const p of typeProblems(doc, root)) {
    const j = jobOf(doc, p.path);
    const field = formatPath(j ? j.rest : p.path);
    if (seen.has(`${j?.job ?? ''}\x00${field}`)) continue;
    const pos = locate(file, p.path);
    out.push(
      new ConfigError({
        file,
        job: j?.job,
        field: field === '' ? undefined : field,
        message: p.message,
        line: pos?.line,
        column: pos?.column,
      }),
    );
  }
  return out;
}
