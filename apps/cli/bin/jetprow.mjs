#!/usr/bin/env node
// jetprow's command line: the built JavaScript in ../dist (`npm run build`; `npm install` builds
// it too). No TypeScript loader in production. From the sources, without a build: jetprow-dev.mjs.
import { existsSync } from 'node:fs';

const built = new URL('../dist/main.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'jetprow: not built yet (apps/cli/dist/main.js is missing): run `npm run build`\n',
  );
  process.exit(2);
}
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2));
