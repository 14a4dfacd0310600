// Reads `--job-config-path` the way Prow's ReadJobConfig does (pkg/config/config.go): a single
// file, or a directory walked in lexical order where
// - only `*.yaml` / `*.yml` files are read, and names starting with `..` are skipped (Kubernetes
//   ConfigMap mounts keep their real files under `..data`);
// - files matched by a `.prowignore` are skipped (see prowignore.ts);
// - file base names must be unique across the tree (updateconfig keys the ConfigMap by base name);
// - presubmits/postsubmits/periodics/presets from all files are merged in walk order.
// Nothing is defaulted or validated here; see finalize-jobs.ts and validate.ts.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { ConfigError } from './errors.js';
import {
  decodeJobDoc,
  emptyRawJobConfig,
  mergeRawJobConfig,
  type DecodedDoc,
  type RawJobConfig,
} from './job-doc.js';
import type { ParseCache } from './parse-cache.js';
import { ProwIgnore } from './prowignore.js';
import { typeErrors } from './known-fields/type-check.js';
import { readYaml } from './yaml-file.js';

export interface ReadJobsResult {
  config: RawJobConfig;
  /** Job config files read, in walk order. */
  files: string[];
  /** YAML files skipped because a `.prowignore` matched them. */
  ignored: string[];
  errors: ConfigError[];
}

export function parseJobFile(file: string): DecodedDoc {
  const y = readYaml(file);
  if (!y.ok) return { config: emptyRawJobConfig(), errors: [y.error] };
  const doc = decodeJobDoc(y.value, file);
  return { ...doc, errors: [...doc.errors, ...typeErrors(y.value, 'jobConfig', file, doc.errors)] };
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Never throws: unreadable paths and bad files become errors. */
export function readJobConfig(path: string, cache?: ParseCache): ReadJobsResult {
  const result: ReadJobsResult = {
    config: emptyRawJobConfig(),
    files: [],
    ignored: [],
    errors: [],
  };
  const parse = (file: string): DecodedDoc =>
    cache ? cache.get(file, parseJobFile) : parseJobFile(file);
  const add = (file: string) => {
    const doc = parse(file);
    result.files.push(file);
    result.errors.push(...doc.errors);
    mergeRawJobConfig(result.config, doc.config);
  };

  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    const message = `cannot read job config: ${(err as Error).message}`;
    result.errors.push(new ConfigError({ file: path, message }));
    return result;
  }
  if (!isDir) {
    add(path);
    return result;
  }

  const ignore = new ProwIgnore(path);
  const seen = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort(byName);
    } catch (err) {
      const message = `cannot read directory: ${(err as Error).message}`;
      result.errors.push(new ConfigError({ file: dir, message }));
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('..')) continue;
      const full = join(dir, e.name);
      const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        walk(full, relPath);
        continue;
      }
      const ext = extname(e.name);
      if (ext !== '.yaml' && ext !== '.yml') continue;
      if (ignore.ignores(relPath, false)) {
        result.ignored.push(full);
        continue;
      }
      const base = basename(full);
      const first = seen.get(base);
      if (first !== undefined) {
        result.errors.push(
          new ConfigError({
            file: full,
            message: `duplicated basename is not allowed: ${base} (first seen at ${first})`,
          }),
        );
        continue;
      }
      seen.set(base, full);
      add(full);
    }
  };
  walk(path, '');
  return result;
}
