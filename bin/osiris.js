#!/usr/bin/env node
// The published entry point runs the compiled CLI (built by `npm install` via the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/src/client/main.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write('error: the CLI is not built (dist/ is missing)\nhint: run `npm install` (or `npm run build`) in the osiris package directory.\n');
  process.exit(2);
}
await import(compiled.href);
