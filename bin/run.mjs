#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, scripts) through tsx, like bin/tenure.mjs does the CLI.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
	console.error('usage: node bin/run.mjs <file.ts> [args…]');
	process.exit(2);
}
process.argv = [process.argv[0], entry, ...rest];
register();
await import(pathToFileURL(path.resolve(entry)).href);
