// Once per vitest run: build the CLI (scripts/build.mjs, about a second), so every test that
// spawns `jetprow` (apps/cli/bin/jetprow.mjs) runs the production JavaScript of the current sources.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
