/**
 * Bundles the step runtime (src/runtime/sandbox-entry.ts and everything it imports) into one ESM
 * file that a sandbox runs with plain `node`. Native and driver packages stay external: they load
 * from the sandbox template's node_modules (e2b/package.json) or, for the process backend, from
 * this package's own node_modules.
 *
 * Start-up is what a sandboxed step pays on top of the step itself (one fresh Node process per
 * step), so the bundle loads as little as it can: the connector registry imports each component
 * with `import()`, which esbuild turns into a lazily initialised module inside the one file, and
 * the external packages are loaded with require() from inside those modules (scripts/lazy-externals.ts).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nodeBundleOptions } from './lazy-externals.js';

/** The packages the bundle does not contain: the E2B template installs exactly these (e2b/package.json). */
export const RUNTIME_EXTERNALS = ['@duckdb/node-api', '@duckdb/node-bindings', 'better-sqlite3', 'mysql2', 'pg', 'pg-copy-streams'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

export async function bundleRuntime(outfile: string = path.join(repoRoot, 'dist', 'sandbox-runtime.mjs')): Promise<string> {
  await build({
    ...nodeBundleOptions(RUNTIME_EXTERNALS),
    entryPoints: [path.join(repoRoot, 'src', 'runtime', 'sandbox-entry.ts')],
    outfile,
  });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleRuntime();
