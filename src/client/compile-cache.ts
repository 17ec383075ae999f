import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * V8's compiled code of the CommonJS packages a command loads, kept between commands. `osiris run`
 * loads ~710 CommonJS files (the Temporal SDK, its protobuf definitions, gRPC, rxjs), `chat` ~340;
 * compiling them is ~10-15 % of a command's CPU. Node 22 does this itself (`module.enableCompileCache`);
 * on Node 20 the packages' `Module.prototype._compile` is wrapped to compile with cached data, as the
 * `v8-compile-cache` package does; that package itself gave nothing here (measured 1.00x CPU importing the
 * Temporal client and worker from an ES module; this 0.92x). Our own files are ES modules and are left alone.
 * OSIRIS_COMPILE_CACHE=off turns it off.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  if (/^(0|off|false|no)$/i.test(env.OSIRIS_COMPILE_CACHE?.trim() ?? '')) return;
  const dir = cacheDir();
  const builtin = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (builtin) {
    builtin(dir);
    return;
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return;
  }
  const internals = Module as unknown as ModuleInternals;
  const compile = internals.prototype._compile;
  const misses: vm.Script[] = [];
  const files: string[] = [];
  internals.prototype._compile = function (this: CjsModule, content: string, filename: string, format?: string) {
    const original = () => compile.call(this, content, filename, format);
    if (format === 'module' || !filename.includes(`${path.sep}node_modules${path.sep}`)) return original();
    const file = cacheFile(dir, filename);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      // not cached yet
    }
    let script: vm.Script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    } catch {
      // An ES module reached through require() (Node compiles it as one) or a real syntax error (Node reports it).
      return original();
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      misses.push(script);
      files.push(file);
    }
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, requireFor(this, internals), this, filename, path.dirname(filename));
  };
  // Written once, at exit: the code V8 compiled lazily while the command ran is in it too. Under a
  // temporary name, then renamed: two commands ending together never leave a file half-written.
  process.once('exit', () => {
    misses.forEach((script, i) => {
      const temp = `${files[i]!}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
        renameSync(temp, files[i]!);
      } catch {
        // a cache that cannot be written only costs the next command its compile time
        rmSync(temp, { force: true });
      }
    });
  });
}

interface CjsModule {
  exports: unknown;
  require(id: string): unknown;
}

interface ModuleInternals {
  prototype: { _compile(this: CjsModule, content: string, filename: string, format?: string): unknown };
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: CjsModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

/** The `require` a CommonJS module body gets (what Node's own `_compile` builds). */
function requireFor(module: CjsModule, internals: ModuleInternals) {
  const require = (id: string) => module.require(id);
  const resolve = (request: string, options?: unknown) => internals._resolveFilename(request, module, false, options);
  resolve.paths = (request: string) => internals._resolveLookupPaths(request, module);
  return Object.assign(require, { resolve, main: process.mainModule, extensions: internals._extensions, cache: internals._cache });
}

/** Private to the user (cached code is run as is), one per Node version. */
function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'osiris', 'compile-cache', `${process.version}-${process.arch}`);
}

/** V8 checks only a source's length against cached data: the file's size and mtime are in the key. */
function cacheFile(dir: string, filename: string): string {
  const { size, mtimeMs } = statSync(filename);
  return path.join(dir, createHash('sha1').update(`${filename}\0${size}\0${mtimeMs}`).digest('hex'));
}
