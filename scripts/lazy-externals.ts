import type { BuildOptions, Plugin } from 'esbuild';

/** True for a package name in `names` or a subpath of one. */
const matchesPackage = (names: readonly string[], specifier: string) => names.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/**
 * Keeps the packages matched by `isExternal` out of an ESM bundle and loads them with require() from
 * where they are imported: each import becomes a tiny CommonJS module `module.exports = require(<package>)`,
 * which esbuild initialises only when the module importing it is, and whose require() stays external.
 * A top-level ESM import of an external would be loaded, all of them, before anything runs; require()
 * also skips the CommonJS export scan Node does for an ESM import of a CommonJS package.
 * The bundle needs a module-scope `require` (REQUIRE_BANNER).
 */
function lazyExternals(isExternal: (specifier: string) => boolean): Plugin {
  return {
    name: 'lazy-externals',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (!isExternal(args.path)) return undefined;
        // An `import()` is lazy already, and Node's own gives the package's named exports (a split bundle's
        // chunk for a CommonJS module would export only its default).
        if (args.kind === 'dynamic-import') return { path: args.path, external: true };
        return args.namespace === 'lazy-external' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-external' };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-external' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
  };
}

/** Bundled CommonJS dependencies call require() for Node built-ins and the externals; ESM output has none of its own. */
const REQUIRE_BANNER = "import { createRequire as __osirisCreateRequire } from 'node:module'; const require = __osirisCreateRequire(import.meta.url);";

/** What the CLI and sandbox-runtime bundles share: ESM for Node 20, `externals` loaded lazily with require(). */
export function nodeBundleOptions(externals: readonly string[]): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    plugins: [lazyExternals((specifier) => matchesPackage(externals, specifier))],
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
  };
}
