/**
 * The built `osiris` runs from the esbuild bundle (dist/cli/, scripts/bundle-cli.ts): a command loads a
 * few chunks instead of our ~300 modules and the pure-JavaScript packages file by file, and the files it
 * finds by the package's location (package.json, the workflow bundle) resolve from the bundle too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/package-root.js';

const bin = path.join(packageRoot, 'bin', 'osiris.js');
const bundleDir = path.join(packageRoot, 'dist', 'cli');

/** The files of the ES modules a command loaded (a resolve hook appends each one to a log). */
function loadedModules(args: string[]): { files: string[]; stdout: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-bundle-'));
  const log = path.join(dir, 'loaded.txt');
  writeFileSync(log, '');
  writeFileSync(
    path.join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');
  return resolved;
}`,
  );
  writeFileSync(path.join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  const run = spawnSync(process.execPath, ['--import', path.join(dir, 'register.mjs'), bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(run.status, 0, run.stderr);
  const files = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].map((url) => fileURLToPath(url));
  return { files, stdout: run.stdout };
}

test('validate runs from the bundle: no module of dist/src/ and no bundled package is loaded file by file', () => {
  const { files, stdout } = loadedModules(['validate', path.join(packageRoot, 'examples', 'top-rated-movies.yaml')]);
  assert.match(stdout, /^valid /);
  const ours = files.filter((file) => file !== bin);
  assert.ok(ours.length > 0 && ours.every((file) => file.startsWith(bundleDir + path.sep)), `loaded outside dist/cli/: ${ours.filter((f) => !f.startsWith(bundleDir)).join(', ')}`);
  assert.ok(ours.length < 40, `${ours.length} chunks loaded`);
});

test('the bundle finds the package from its own location: --version is package.json\'s', () => {
  const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  assert.equal(loadedModules(['--version']).stdout.trim(), version);
});

test('the bundle keeps the Temporal SDK, native addons and drivers external and loads them where they are used', () => {
  const entry = readFileSync(path.join(bundleDir, 'main.js'), 'utf8');
  const staticImports = [...entry.matchAll(/^import\b[^;]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]!);
  assert.deepEqual(staticImports.filter((name) => !name.startsWith('node:') && !name.startsWith('./')), []);
  const chunks = readdirSync(path.join(bundleDir, 'chunks')).map((file) => readFileSync(path.join(bundleDir, 'chunks', file), 'utf8')).join('\n');
  for (const name of ['@temporalio/client', '@temporalio/worker', '@duckdb/node-bindings', 'better-sqlite3', 'mysql2/promise', 'pg']) assert.match(chunks, new RegExp(`__require\\("${name.replace('/', '\\/')}"\\)`), `${name} is required where it is used`);
  const help = loadedModules(['--help']).files;
  assert.ok(!help.some((file) => file.includes(`${path.sep}node_modules${path.sep}`)), help.join(', '));
});
