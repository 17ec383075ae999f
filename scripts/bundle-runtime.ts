/**
 * Bundles the step runtime (src/runtime/sandbox-entry.ts and everything it imports) into one ESM
 * file that a sandbox runs with plain `node`. Native and driver packages stay external: they load
 * from the sandbox template's node_modules (e2b/package.json) or, for the process backend, from
 * this package's own node_modules.
 *
 * Start-up is what a sandboxed step pays on top of the step itself (one fresh Node process per
 * step), so the bundle loads as little as it can: the connector registry imports each component
 * with `import()`, which esbuild turns into a lazily initialised module inside the one file, and
 * the external packages are loaded with require() from inside those modules (the plugin below)
 * rather than as top-level ESM imports, which Node would load, all of them, before anything runs.
 * require() also skips the CommonJS export scan Node does for an ESM import of a CommonJS package.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The packages the bundle does not contain: the E2B template installs exactly these (e2b/package.json). */
export const RUNTIME_EXTERNALS = ['@duckdb/node-api', '@duckdb/node-bindings', 'better-sqlite3', 'mysql2', 'pg', 'pg-copy-streams'];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

const isExternal = (specifier: string) => RUNTIME_EXTERNALS.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/**
 * Each import of an external package becomes a tiny CommonJS module `module.exports = require(<package>)`,
 * which esbuild initialises only when the module importing it does, and whose require() stays external.
 */
const lazyExternals: Plugin = {
  name: 'lazy-externals',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!isExternal(args.path)) return undefined;
      return args.namespace === 'lazy-external' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-external' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-external' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

export async function bundleRuntime(outfile: string = path.join(repoRoot, 'dist', 'sandbox-runtime.mjs')): Promise<string> {
  await build({
    entryPoints: [path.join(repoRoot, 'src', 'runtime', 'sandbox-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [lazyExternals],
    // Bundled CommonJS dependencies call require() for Node built-ins and the externals; ESM output has none of its own.
    banner: { js: "import { createRequire as __osirisCreateRequire } from 'node:module'; const require = __osirisCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleRuntime();
