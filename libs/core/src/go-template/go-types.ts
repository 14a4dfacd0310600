// Small builders for describing Go struct types (field name, json tag, type) and Prow's
// Duration types, shared by the ProwJob type tables.
import { formatGoDuration, parseGoDuration } from './duration.js';
import { str, val, type GoMethod, type GoType, type StructField } from './values.js';

export const f = (name: string, json: string, type: GoType): StructField => ({ name, json, type });
/** A field whose json tag has no omitempty (see go-json.ts). */
export const always = (field: StructField): StructField => ({ ...field, always: true });
export const struct = (
  name: string,
  fields: () => StructField[],
  methods?: () => Record<string, GoMethod>,
): GoType => ({ kind: 'struct', name, fields, methods });
export const opaque = (name: string): GoType => ({ kind: 'struct', name, opaque: true });
export const obj = (v: unknown): Record<string, unknown> => (v ?? {}) as Record<string, unknown>;
export const getter = (type: GoType, key: string): GoMethod => ({
  call: (r) => val(type, obj(r.v)[key] ?? (type.kind === 'string' ? '' : undefined)),
});

/** prowapi.Duration / metav1.Duration: JSON is a Go duration string (or nanoseconds). */
export const durationType = (name: string): GoType => ({
  kind: 'struct',
  name,
  zero: () => 0,
  fields: () => [],
  methods: () => ({
    String: { call: (r) => str(formatGoDuration(parseGoDuration(r.v as string | number))) },
  }),
  marshalJSON: (d) => formatGoDuration(parseGoDuration(d as string | number)),
});
export const ProwDuration = durationType('v1.Duration');
export const MetaDuration = durationType('v1.Duration');
