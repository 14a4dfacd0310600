// encoding/json's output for data described by a Go type table: struct fields in declaration
// order, map keys sorted, MarshalJSON types (Duration) in their Go form. Data is in its JSON
// shape already (see values.ts); this only restores the byte order Go would write, so a string
// Prow's tools compare or hash (JOB_SPEC, the pod utilities' *_OPTIONS) is the one Prow writes.
import { zeroData, type GoType } from './values.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `data` re-keyed as Go would marshal a value of type `t`; keys `t` does not list are kept, last. */
export function goJsonOrder(t: GoType, data: unknown): unknown {
  if (data === undefined || data === null) return data;
  if (t.marshalJSON) return t.marshalJSON(data);
  switch (t.kind) {
    case 'ptr':
      return goJsonOrder(t.elem!, data);
    case 'slice':
      return Array.isArray(data) ? data.map((d) => goJsonOrder(t.elem!, d)) : data;
    case 'map': {
      if (!isPlainObject(data)) return data;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(data).sort()) out[k] = goJsonOrder(t.elem!, data[k]);
      return out;
    }
    case 'struct': {
      if (!isPlainObject(data) || t.opaque || !t.fields) return data;
      const out: Record<string, unknown> = {};
      for (const field of t.fields()) {
        const key = field.json ?? field.name;
        if (data[key] !== undefined) out[key] = goJsonOrder(field.type, data[key]);
        else if (field.always) out[key] = zeroData(field.type) ?? null;
      }
      for (const [k, v] of Object.entries(data)) if (!(k in out)) out[k] = v;
      return out;
    }
    default:
      return data;
  }
}

/**
 * JSON.stringify with encoding/json's escaping: `<`, `>`, `&`, U+2028 and U+2029 as \uXXXX
 * (Go's default HTML-safe output). Those characters only occur inside strings, so replacing them
 * in the whole text is exact.
 */
export function goJsonStringify(data: unknown): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** json.Marshal of `data` as a value of type `t`. */
export function goJsonMarshal(t: GoType, data: unknown): string {
  return goJsonStringify(goJsonOrder(t, data));
}
