// Helpers shared by the config.yaml section parsers (tide, deck, components): one way to report a
// problem at a YAML path, and one way to read a Go duration with its default.
import { checkDuration, compileGoTemplate } from '@jetprow/core';
import { formatPath } from './schema-decode.js';

export type Path = (string | number)[];
/** Reports a problem at `path` (keys and indexes from the document root). */
export type Report = (path: Path, message: string) => void;

export const fieldOf = (path: Path): string => formatPath(path);

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A metav1.Duration as written (or `def`) and in ms; NaN (and a report) when it does not parse. */
export function durationAt(
  report: Report,
  path: Path,
  value: string | undefined,
  def: string,
): { text: string; ms: number } {
  const text = value ?? def;
  const d = checkDuration(text);
  if ('error' in d && value !== undefined) report(path, d.error);
  return { text, ms: 'ms' in d ? d.ms : NaN };
}

/** Go's `fmt.Sprintf("%v", []string{...})`: `[a b c]`. */
export const goList = (items: readonly string[]): string => `[${items.join(' ')}]`;

/** Elements of `list` that also appear in `other`, sorted (sets.List of an intersection). */
export function intersect(list: readonly string[], other: readonly string[]): string[] {
  const o = new Set(other);
  return [...new Set(list.filter((x) => o.has(x)))].sort();
}

/** Go's template.New(name).Parse(src) error message, or undefined when it parses. */
export function templateError(src: string, name: string): string | undefined {
  try {
    compileGoTemplate(src, name);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
