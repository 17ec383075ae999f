#!/usr/bin/env node
// The published entry point runs the compiled CLI (built by `npm install` via the prepare script): the
// bundle in dist/cli/ (scripts/bundle-cli.ts, a few files to load instead of hundreds), else tsc's output.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = ['../dist/cli/main.js', '../dist/src/client/main.js'].map((file) => new URL(file, import.meta.url)).find((url) => existsSync(fileURLToPath(url)));
if (!compiled) {
  process.stderr.write('error: the CLI is not built (dist/ is missing)\nhint: run `npm install` (or `npm run build`) in the osiris package directory.\n');
  process.exit(2);
}
await import(compiled.href);
