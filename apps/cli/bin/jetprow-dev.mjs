#!/usr/bin/env node
// jetprow from its TypeScript sources, for development: tsx's module hooks load ../src (tsx is a
// dev dependency; production runs the built ./jetprow.mjs).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
