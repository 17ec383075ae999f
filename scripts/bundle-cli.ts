/**
 * Bundles the CLI (src/client/main.ts) into dist/cli/: our modules and the pure-JavaScript packages
 * they import (zod, yaml, commander, ...) in a few ESM files, so a command loads those instead of
 * ~300 modules and package files one by one. Each command's `import()` stays a chunk of its own,
 * loaded when that command runs. bin/osiris.js runs this bundle when it is there; the library entry
 * points (dist/src/index.js, ./workflows) are tsc's output, unbundled.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nodeBundleOptions } from './lazy-externals.js';

/**
 * The packages that stay packages: native addons, the Temporal SDK (its worker loads native code and
 * files of its own, and the SDK's packages must be one copy each, shared with the worker), the database
 * drivers (optional native parts) and the SDKs of the LLM providers, E2B and Supabase (loaded only by
 * the commands and workers that use them).
 */
export const CLI_EXTERNALS = [
  '@temporalio', // the whole scope
  '@duckdb',
  'better-sqlite3',
  'mysql2',
  'pg',
  'pg-copy-streams',
  'openai',
  '@anthropic-ai/sdk',
  'e2b',
  '@supabase/supabase-js',
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

/** Written by `npm run build`; bin/osiris.js loads its main.js. */
export const CLI_BUNDLE_DIR = path.join(repoRoot, 'dist', 'cli');

export async function bundleCli(outdir: string = CLI_BUNDLE_DIR): Promise<void> {
  // Chunk names carry a content hash: the previous build's chunks would otherwise stay beside the new ones.
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...nodeBundleOptions(CLI_EXTERNALS),
    entryPoints: { main: path.join(repoRoot, 'src', 'client', 'main.ts') },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleCli();
