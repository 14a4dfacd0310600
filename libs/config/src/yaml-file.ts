// Reading YAML the way Prow does: sigs.k8s.io/yaml on top of go-yaml v2, i.e. YAML 1.1 scalars
// (`yes`/`on` are booleans, `0400` is octal), timestamps left as strings, duplicate keys allowed
// (last wins), merge keys honoured, only the first document of a stream read, gzip accepted
// (`ReadFileMaybeGZIP`).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  isMap,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  type Document,
  type DocumentOptions,
  type Node,
  type ParseOptions,
  type SchemaOptions,
  type ToJSOptions,
} from 'yaml';
import { ConfigError } from './errors.js';

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
const OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  merge: true,
  // go-yaml v2 hands timestamps and sexagesimal numbers to sigs.k8s.io/yaml as plain strings.
  customTags: (tags) =>
    tags.filter(
      (t) => !(typeof t === 'object' && (t.tag === TIMESTAMP_TAG || t.format === 'TIME')),
    ),
};
// Aliases are fine, unbounded expansion is not (go-yaml v2 limits it too).
const TO_JS: ToJSOptions = { maxAliasCount: 1000 };

export type YamlResult = { ok: true; value: unknown } | { ok: false; error: ConfigError };

function readText(file: string): string {
  const buf = readFileSync(file);
  const gzipped = buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  return (gzipped ? gunzipSync(buf) : buf).toString('utf8');
}

/** Parses YAML text (first document only). A syntax error names the file, line and column. */
export function parseYaml(text: string, file: string): YamlResult {
  const lineCounter = new LineCounter();
  let doc;
  try {
    // go-yaml v2's Unmarshal decodes the first document of a stream only.
    const docs = parseAllDocuments(text, { ...OPTIONS, lineCounter, prettyErrors: false });
    if ('empty' in docs) {
      // Only comments/directives: an empty document, unless the stream itself is malformed.
      const first = docs.errors[0];
      if (!first) return { ok: true, value: null };
      const pos = lineCounter.linePos(first.pos[0]);
      const message = `invalid YAML: ${first.message}`;
      const error = new ConfigError({ file, line: pos.line, column: pos.col, message });
      return { ok: false, error };
    }
    doc = docs[0];
    if (doc === undefined) return { ok: true, value: null };
  } catch (err) {
    return { ok: false, error: new ConfigError({ file, message: `invalid YAML: ${String(err)}` }) };
  }
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    return {
      ok: false,
      error: new ConfigError({
        file,
        line: pos.line,
        column: pos.col,
        message: `invalid YAML: ${first.message.split('\n')[0] ?? first.code}`,
      }),
    };
  }
  try {
    return { ok: true, value: doc.toJS(TO_JS) };
  } catch (err) {
    return { ok: false, error: new ConfigError({ file, message: `invalid YAML: ${String(err)}` }) };
  }
}

/** Reads and parses a YAML file; never throws. */
export function readYaml(file: string): YamlResult {
  let text: string;
  try {
    text = readText(file);
  } catch (err) {
    const message = `cannot read: ${(err as Error).message}`;
    return { ok: false, error: new ConfigError({ file, message }) };
  }
  return parseYaml(text, file);
}

/**
 * Best-effort line/column of the value at `path` (keys and indexes) in a YAML file, for error
 * messages. Re-reads the file, so call it only on the error path.
 */
let lastLocated:
  { file: string; text: string; doc: Document; lineCounter: LineCounter } | undefined;

export function locate(
  file: string,
  path: readonly (string | number)[],
  options: { key?: boolean } = {},
): { line: number; column: number } | undefined {
  try {
    const text = readText(file);
    if (lastLocated?.file !== file || lastLocated.text !== text) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { ...OPTIONS, lineCounter });
      lastLocated = { file, text, doc, lineCounter };
    }
    const { doc, lineCounter } = lastLocated;
    let node: unknown = doc.contents;
    let found: Node | undefined;
    for (const [i, key] of path.entries()) {
      if (isMap(node)) {
        const pair = node.items.find((p) => {
          const k = p.key as { value?: unknown } | null;
          return String(k && typeof k === 'object' && 'value' in k ? k.value : k) === String(key);
        });
        if (!pair) break;
        // With `key`, the last segment is located at its key (`alwyas_run:`), not its value.
        if (options.key && i === path.length - 1 && pair.key && typeof pair.key === 'object') {
          node = pair.key;
        } else node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
      } else break;
      if (node && typeof node === 'object' && 'range' in node) found = node as Node;
    }
    const offset = found?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  } catch {
    return undefined;
  }
}
