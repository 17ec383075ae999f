/**
 * Bundles the step runtime (src/runtime/sandbox-entry.ts and everything it imports) into one ESM
 * file that a sandbox runs with plain `node`. Native and driver packages stay external: they load
 * from the sandbox template's node_modules (e2b/package.json) or, for the process backend, from
 * this package's own node_modules.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const RUNTIME_EXTERNALS = ['@duckdb/node-api', 'better-sqlite3', 'mysql2', 'pg', 'pg-copy-streams'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

export async function bundleRuntime(outfile: string = path.join(repoRoot, 'dist', 'sandbox-runtime.mjs')): Promise<string> {
  await build({
    entryPoints: [path.join(repoRoot, 'src', 'runtime', 'sandbox-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: RUNTIME_EXTERNALS,
    // Bundled CommonJS dependencies call require() for Node built-ins; ESM output has none of its own.
    banner: { js: "import { createRequire as __osirisCreateRequire } from 'node:module'; const require = __osirisCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleRuntime();
