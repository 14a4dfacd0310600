#!/usr/bin/env node
// jetprow's command line. Node 20 cannot run TypeScript itself, so the sources are loaded through
// tsx's module hooks (no build step; see docs/architecture.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
