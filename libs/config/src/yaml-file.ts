// Reading YAML the way Prow does: sigs.k8s.io/yaml on top of go-yaml v2, i.e. YAML 1.1 scalars
// (`yes`/`on` are booleans, `0400` is octal), timestamps left as strings, duplicate keys allowed
// (last wins), merge keys honoured, only the first document of a stream read, gzip accepted
// (`ReadFileMaybeGZIP`).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isMap, isSeq, LineCounter, parseDocument, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';
import { ConfigError } from './errors.js';

const OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  merge: true,
  // go-yaml v2 hands timestamps and sexagesimal numbers to sigs.k8s.io/yaml as plain strings.
  customTags: (tags) =>
    tags.filter(
      (t) =>
        !(typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:timestamp' || t.format === 'TIME')),
    ),
};
const TO_JS: ToJSOptions = { maxAliasCount: -1 };

export type YamlResult = { ok: true; value: unknown } | { ok: false; error: ConfigError };

function readText(file: string): string {
  const buf = readFileSync(file);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return gunzipSync(buf).toString('utf8');
  return buf.toString('utf8');
}

/** Parses YAML text (first document only). A syntax error names the file, line and column. */
export function parseYaml(text: string, file: string): YamlResult {
  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { ...OPTIONS, lineCounter, prettyErrors: false });
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
    return { ok: false, error: new ConfigError({ file, message: `cannot read: ${(err as Error).message}` }) };
  }
  return parseYaml(text, file);
}

/**
 * Best-effort line/column of the value at `path` (keys and indexes) in a YAML file, for error
 * messages. Re-reads the file, so call it only on the error path.
 */
export function locate(file: string, path: readonly (string | number)[]): { line: number; column: number } | undefined {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(readText(file), { ...OPTIONS, lineCounter });
    let node: unknown = doc.contents;
    let found: Node | undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => {
          const k = p.key as { value?: unknown } | null;
          return String(k && typeof k === 'object' && 'value' in k ? k.value : k) === String(key);
        });
        if (!pair) break;
        node = pair.value;
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
