#!/usr/bin/env node
// Generates libs/config/src/known-fields/fields.generated.ts: the field names Prow's config types
// accept (the json tags of kubernetes-sigs/prow's Go structs) and, for the Pod specs inside jobs,
// Kubernetes' core/v1 types (from the kubernetes-models package's type declarations). checkconfig's
// unknown-fields warnings walk a YAML file against these trees, as Prow's
// `yaml.Unmarshal(..., yaml.DisallowUnknownFields)` does.
//
// Usage: node libs/config/scripts/gen-known-fields.mjs <prow git dir> [commit]
//   (the git dir from the search tool's `fetch github:kubernetes-sigs/prow`)
//
// Node encoding (compact, see known-fields/unknown-fields.ts): 0 = a string, 2 = a bool, 3 = an
// integer, 4 = a number, 5 = any scalar (durations, quantities), 1 = anything (not checked: custom
// UnmarshalJSON types, which Prow decodes without DisallowUnknownFields, and types from packages
// not read here), "Name" = a reference to DEFS[Name], {f: {...}} = a struct, {m: node} = a map,
// {l: node} = a list.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const [gitDir, commit = 'HEAD'] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: gen-known-fields.mjs <prow git dir> [commit]');
  process.exit(2);
}
const git = (...args) =>
  execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const sha = git('rev-parse', commit).trim();

// Go packages read, by import path → short name used in DEFS keys.
const PACKAGES = {
  'sigs.k8s.io/prow/pkg/config': { name: 'config', dir: 'pkg/config' },
  'sigs.k8s.io/prow/pkg/apis/prowjobs/v1': { name: 'prowapi', dir: 'pkg/apis/prowjobs/v1' },
  'sigs.k8s.io/prow/pkg/plugins': { name: 'plugins', dir: 'pkg/plugins' },
};
const K8S_CORE = 'k8s.io/api/core/v1';
/** Go scalar types and their node: 0 string, 2 bool, 3 integer, 4 float. */
const SCALAR_TYPES = new Map([
  ...['string'].map((t) => [t, 0]),
  ['bool', 2],
  ...['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64'].map(
    (t) => [t, 3],
  ),
  ['byte', 3],
  ['rune', 3],
  ['float32', 4],
  ['float64', 4],
]);
// Types from other packages known to be scalars in JSON.
const QUALIFIED_SCALARS = new Set([
  'time.Duration',
  'time.Time',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time',
  'k8s.io/apimachinery/pkg/api/resource.Quantity',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString',
]);

/** Go source of every non-test file of a package: { file → text }. */
function packageFiles(dir) {
  const names = git('ls-tree', '--name-only', `${sha}:${dir}`).split('\n').filter(Boolean);
  const out = {};
  for (const n of names) {
    if (!n.endsWith('.go') || n.endsWith('_test.go') || n.startsWith('zz_generated')) continue;
    out[n] = git('show', `${sha}:${dir}/${n}`);
  }
  return out;
}

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:"`])\/\/.*$/gm, '$1');
}

function imports(src) {
  const m = {};
  const block = /^import\s*\(([\s\S]*?)^\)/m.exec(src)?.[1] ?? '';
  const single = [...src.matchAll(/^import\s+(\w+\s+)?"([^"]+)"/gm)].map(
    (x) => `${x[1] ?? ''}"${x[2]}"`,
  );
  for (const line of [...block.split('\n'), ...single]) {
    const x = /^\s*(?:(\w+)\s+)?"([^"]+)"/.exec(line);
    if (!x) continue;
    const path = x[2];
    const alias = x[1] ?? path.split('/').pop();
    m[alias] = path;
  }
  return m;
}

/** Top-level `type X ...` declarations: { name → { expr, imports } }. */
function typeDecls(files) {
  const decls = {};
  const unmarshalers = new Set();
  for (const src0 of Object.values(files)) {
    const src = stripComments(src0);
    const imp = imports(src);
    for (const m of src.matchAll(/^func \(\w+ \*?(\w+)\) UnmarshalJSON\(/gm))
      unmarshalers.add(m[1]);
    const re = /^type (\w+)(?:\[[^\]]*\])? (.*)$/gm;
    let m;
    while ((m = re.exec(src))) {
      const [, name, rest] = m;
      if (rest.startsWith('struct {') || rest.startsWith('struct{')) {
        // Find the matching closing brace at column 0.
        const start = m.index + m[0].indexOf('{');
        let depth = 0;
        let i = start;
        for (; i < src.length; i++) {
          if (src[i] === '{') depth++;
          else if (src[i] === '}') {
            depth--;
            if (depth === 0) break;
          }
        }
        decls[name] = { kind: 'struct', body: src.slice(start + 1, i), imp };
        re.lastIndex = i;
      } else if (rest.startsWith('interface')) {
        decls[name] = { kind: 'any' };
      } else {
        decls[name] = { kind: 'alias', expr: rest.replace(/^=\s*/, '').trim(), imp };
      }
    }
  }
  return { decls, unmarshalers };
}

function parseFields(body) {
  const fields = [];
  let depth = 0;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const opens = (line.match(/{/g) ?? []).length;
    const closes = (line.match(/}/g) ?? []).length;
    if (depth > 0) {
      depth += opens - closes;
      continue;
    }
    const tag = /`([^`]*)`/.exec(line)?.[1] ?? '';
    const json = /json:"([^"]*)"/.exec(tag)?.[1];
    const noTag = line.replace(/`[^`]*`/, '').trim();
    if (/\bstruct\s*{/.test(noTag) && opens > closes) {
      depth = opens - closes;
      const name = noTag.split(/\s+/)[0];
      fields.push({ name, type: 'struct{}', json });
      continue;
    }
    const parts = noTag.split(/\s+/);
    if (parts.length === 1) fields.push({ embedded: true, type: parts[0], json });
    else fields.push({ name: parts[0].replace(/,$/, ''), type: parts.slice(1).join(' '), json });
  }
  return fields;
}

const DEFS = {};
const K8S_DIR = join(repoRoot, 'node_modules/kubernetes-models');

/** A kubernetes-models interface (v1/<Name>.d.ts): its properties and their TS types. */
function k8sNode(name) {
  const key = `k8s.${name}`;
  if (key in DEFS) return key;
  const file = join(K8S_DIR, 'v1', `${name}.d.ts`);
  if (!existsSync(file)) return 1;
  DEFS[key] = null;
  const src = readFileSync(file, 'utf8');
  const body = new RegExp(`export interface I${name} \\{([\\s\\S]*?)\\n\\}`).exec(src)?.[1] ?? '';
  const f = {};
  const text = body.replace(/\/\*\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ');
  const prop = /"([^"]+)"\??: /g;
  let m;
  while ((m = prop.exec(text))) {
    // The type runs to the first `;` outside braces and angle brackets.
    let depth = 0;
    let i = prop.lastIndex;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '{' || c === '<' || c === '(') depth++;
      else if (c === '}' || c === '>' || c === ')') depth--;
      else if (c === ';' && depth === 0) break;
    }
    f[m[1]] = tsNode(text.slice(prop.lastIndex, i));
    prop.lastIndex = i + 1;
  }
  DEFS[key] = { f };
  return key;
}

function tsNode(t) {
  t = t.trim();
  let m;
  if ((m = /^Array<(.*)>$/.exec(t))) return { l: tsNode(m[1]) };
  if ((m = /^\{\s*\[key: string\]: (.*?);?\s*\}$/.exec(t))) return { m: tsNode(m[1]) };
  if ((m = /^IIoK8sApiCoreV1(\w+)$/.exec(t))) return k8sNode(m[1]);
  if (/^IIoK8sApimachineryPkgApisMetaV1(\w+)$/.test(t)) return 1;
  if (t === 'string' || /^"/.test(t)) return 0;
  if (t === 'boolean') return 2;
  if (t === 'number') return 4; // int32, int64 or float64 in Go: checked as a number
  if (/^IIoK8sApimachinery(PkgApiResourceQuantity|PkgUtilIntstrIntOrString)$/.test(t)) return 5;
  if (/^IIoK8sApimachinery/.test(t)) return 1;
  return 1;
}

const pkgs = {};
for (const [path, p] of Object.entries(PACKAGES))
  pkgs[path] = { ...p, ...typeDecls(packageFiles(p.dir)) };

/** The node for a Go type expression seen in package `pkgPath` with imports `imp`. */
function goNode(expr, pkgPath, imp) {
  expr = expr.trim();
  if (expr.startsWith('*')) return goNode(expr.slice(1), pkgPath, imp);
  if (expr.startsWith('[]')) {
    const inner = expr.slice(2);
    return inner === 'byte' ? 0 : { l: goNode(inner, pkgPath, imp) };
  }
  let m;
  if ((m = /^map\[[^\]]+\](.*)$/.exec(expr))) return { m: goNode(m[1], pkgPath, imp) };
  if (expr === 'interface{}' || expr === 'any' || expr === 'struct{}') return 1;
  if (SCALAR_TYPES.has(expr)) return SCALAR_TYPES.get(expr);
  if ((m = /^(\w+)\.(\w+)(\[.*\])?$/.exec(expr))) {
    const path = imp?.[m[1]];
    if (path === undefined) return 1;
    if (QUALIFIED_SCALARS.has(`${path}.${m[2]}`)) return 5;
    if (path === 'encoding/json') return 1;
    if (path === K8S_CORE) return k8sNode(m[2]);
    if (path in pkgs) return named(m[2], path);
    return 1;
  }
  if (/^\w+$/.test(expr)) return named(expr, pkgPath);
  return 1;
}

function named(name, pkgPath) {
  const pkg = pkgs[pkgPath];
  const key = `${pkg.name}.${name}`;
  if (key in DEFS) return key;
  const decl = pkg.decls[name];
  if (!decl || pkg.unmarshalers.has(name) || decl.kind === 'any') return 1;
  if (decl.kind === 'alias') {
    const node = goNode(decl.expr, pkgPath, decl.imp);
    if (typeof node === 'string' || typeof node === 'number') return node;
    DEFS[key] = node;
    return key;
  }
  DEFS[key] = null; // recursion guard
  const f = {};
  for (const field of parseFields(decl.body)) {
    const jsonName = field.json?.split(',')[0];
    if (jsonName === '-') continue;
    if (field.embedded && !jsonName) {
      const node = goNode(field.type, pkgPath, decl.imp);
      const def = typeof node === 'string' ? DEFS[node] : node;
      if (def && typeof def === 'object' && def.f) Object.assign(f, def.f);
      else if (node === 1) f['*'] = 1; // an embedded type we cannot see: accept anything
      continue;
    }
    if (!field.name || !/^[A-Z]/.test(field.name)) continue; // unexported
    f[jsonName || field.name] = goNode(field.type, pkgPath, decl.imp);
  }
  DEFS[key] = { f };
  return key;
}

const ROOTS = {
  config: named('Config', 'sigs.k8s.io/prow/pkg/config'),
  jobConfig: named('JobConfig', 'sigs.k8s.io/prow/pkg/config'),
  plugins: named('Configuration', 'sigs.k8s.io/prow/pkg/plugins'),
};

const header = `// GENERATED by libs/config/scripts/gen-known-fields.mjs from kubernetes-sigs/prow@${sha}
// (the json tags of its config, job and plugin types) and kubernetes-models (core/v1 types).
// Do not edit: regenerate. Node encoding: see known-fields/unknown-fields.ts.
`;
const body = `export const PROW_COMMIT = ${JSON.stringify(sha)};
export const ROOTS = ${JSON.stringify(ROOTS)} as const;
export const DEFS: Record<string, unknown> = ${JSON.stringify(DEFS)};
`;
const out = join(repoRoot, 'libs/config/src/known-fields/fields.generated.ts');
const prettier = await import('prettier');
const options = (await prettier.resolveConfig(out)) ?? {};
writeFileSync(out, await prettier.format(header + body, { ...options, filepath: out }));
console.log(`wrote ${out}: ${Object.keys(DEFS).length} types`);
