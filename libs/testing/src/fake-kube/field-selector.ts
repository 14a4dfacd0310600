// Field selectors as the apiserver applies them: `metadata.name=x,status.phase!=Running` (`=`,
// `==`, `!=`, joined by commas). The fake accepts any field path; the apiserver only a few per kind.
import { badRequest } from './status.js';

type Json = Record<string, unknown>;

function fieldValue(o: Json, path: string): string | undefined {
  let v: unknown = o;
  for (const p of path.split('.')) v = (v as Json | undefined)?.[p];
  return v === undefined ? undefined : String(v);
}

/** A field selector (`metadata.name=x,status.phase!=Running`) as a predicate. */
export function fieldMatcher(raw: string | null | undefined): (o: Json) => boolean {
  if (!raw) return () => true;
  const terms = raw.split(',').map((t) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(t.trim());
    if (!m) throw badRequest(`invalid field selector: ${t}`);
    return { path: m[1]!.trim(), neg: m[2] === '!=', value: m[3]!.trim() };
  });
  return (o) => terms.every((t) => (fieldValue(o, t.path) === t.value) !== t.neg);
}
