// Test-only helpers: temporary config trees on disk. Not exported from the package.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempTree {
  dir: string;
  path(rel: string): string;
  write(rel: string, content: string): string;
  remove(): void;
}

/** Creates a temp directory holding `files` (relative path → content). */
export function tempTree(files: Record<string, string> = {}): TempTree {
  const dir = mkdtempSync(join(tmpdir(), 'jetprow-config-'));
  const tree: TempTree = {
    dir,
    path: (rel) => join(dir, rel),
    write(rel, content) {
      const full = join(dir, rel);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const [rel, content] of Object.entries(files)) tree.write(rel, content);
  return tree;
}

/** Minimal decorated-job-free kubernetes spec, as YAML lines at the given indent. */
export function spec(indent: string, extra = ''): string {
  return [
    `${indent}spec:`,
    `${indent}  containers:`,
    `${indent}  - image: alpine`,
    `${indent}    command: [sh, -c, "true"]`,
    ...(extra ? [extra] : []),
  ].join('\n');
}
