#!/usr/bin/env node
// `npm run build`: bundles the CLI (apps/cli/src/main.ts), every workspace package it reaches and
// their npm dependencies into apps/cli/dist/ as ES modules, one chunk per lazily loaded command, so
// production runs plain JavaScript (no TypeScript loader) and a service loads a few large files
// instead of ~1,000 small ones. Only EXTERNAL stays in node_modules: @kubernetes/client-node, loaded
// on demand with --kubeconfig / --in-cluster (it is 0.5 s of CPU to load, and has dynamic requires).
// Why a bundle and not `tsc -b` per package: docs/architecture.md ("Built, not transpiled at start").
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}apps/cli/dist`;
const started = Date.now();
rmSync(outdir, { recursive: true, force: true });

/** Loaded from node_modules at run time (the production install keeps them). */
const EXTERNAL = ['@kubernetes/client-node'];

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'apps/cli/src/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Keep class and function names: logs and errors print them (e.g. err.name checks).
  keepNames: true,
  // Chunks sit beside main.js: apps/cli/src/paths.ts finds the repository relative to its own URL,
  // at the same depth in src/ and dist/.
  chunkNames: '[name]-[hash]',
  external: EXTERNAL,
  // Bundled CommonJS packages call require(): give the ES module output one.
  banner: {
    js: "import { createRequire as __jetprowRequire } from 'node:module'; const require = __jetprowRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
});

// Production code never reaches test code (DESIGN: production never imports libs/testing).
const testInputs = Object.keys(result.metafile.inputs).filter((f) =>
  /(^|\/)(libs\/testing|testing)\/|\.test\.ts$|node_modules\/(@octokit\/openapi|ajv|vitest)\//.test(
    f,
  ),
);
if (testInputs.length > 0) {
  process.stderr.write(
    `build: test code in the production bundle:\n  ${testInputs.join('\n  ')}\n`,
  );
  process.exit(1);
}

const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
process.stdout.write(
  `built apps/cli/dist: ${outputs.length} modules, ${(bytes / 1e6).toFixed(2)} MB of JavaScript in ${Date.now() - started} ms\n`,
);
