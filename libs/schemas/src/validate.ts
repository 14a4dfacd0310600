import type { TSchema, Static } from 'typebox';
import { Compile } from 'typebox/compile';

/** Thrown when data at a boundary does not match its schema. Terminal: retrying cannot fix it. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  readonly what: string;
  readonly problems: string[];
  constructor(what: string, problems: string[]) {
    super(`invalid ${what}: ${problems.slice(0, 5).join('; ')}`);
    this.what = what;
    this.problems = problems;
  }
}

export interface Decoder<T> {
  check(value: unknown): value is T;
  /** Returns the value typed, or throws SchemaError naming every problem found (up to 5 in the message). */
  decode(value: unknown): T;
}

/** Compiles a schema once (call at module load) into a checker for boundary data. */
export function decoder<S extends TSchema>(what: string, schema: S): Decoder<Static<S>> {
  const compiled = Compile(schema);
  return {
    check: (value: unknown): value is Static<S> => compiled.Check(value),
    decode(value: unknown): Static<S> {
      if (compiled.Check(value)) return value as Static<S>;
      const problems = [...compiled.Errors(value)].map(
        (e) => `${e.instancePath || '/'} ${e.message}`,
      );
      throw new SchemaError(what, problems);
    },
  };
}
