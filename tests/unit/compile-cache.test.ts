/**
 * The CLI's code cache for CommonJS packages (src/client/compile-cache.ts): a package loads the same with
 * and without it, its cache is written on the first run (whole files, renamed into place) and used on
 * the next, an edited file is compiled afresh, never run from stale cache, and OSIRIS_COMPILE_CACHE=off
 * turns it off.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

// The built module (the test command builds first): a child Node loads it without a TypeScript loader.
const cacheModule = path.resolve('dist/src/client/compile-cache.js');

test('a CommonJS package loads the same through the cache, which is written once and then read; an edit is not served stale; it can be turned off', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'osiris-ccache-'));
  const pkg = path.join(root, 'node_modules', 'demo-pkg');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'demo-pkg', main: 'index.js' }));
  writeFileSync(path.join(pkg, 'helper.js'), 'exports.value = 41;\n');
  const index = (n: number) => `const helper = require('./helper.js');\nmodule.exports = { answer: helper.value + ${n}, dir: __dirname, resolved: require.resolve('./helper.js'), self: module.exports === exports };\n`;
  writeFileSync(path.join(pkg, 'index.js'), index(1));
  const script = path.join(root, 'main.mjs');
  writeFileSync(script, `const { enableCompileCache } = await import(${JSON.stringify(cacheModule)});\nenableCompileCache();\nconst { default: m } = await import('demo-pkg');\nconsole.log(JSON.stringify(m));\n`);
  const cacheHome = path.join(root, 'cache');
  const run = (env: Record<string, string> = {}) => {
    const out = spawnSync(process.execPath, [script], { cwd: root, env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env }, encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    return JSON.parse(out.stdout) as Record<string, unknown>;
  };
  const expected = { answer: 42, dir: pkg, resolved: path.join(pkg, 'helper.js'), self: true };
  const dir = path.join(cacheHome, 'osiris', 'compile-cache', `${process.version}-${process.arch}`);
  assert.deepEqual(run({ OSIRIS_COMPILE_CACHE: 'off' }), expected);
  assert.ok(!existsSync(dir), 'OSIRIS_COMPILE_CACHE=off writes no cache');
  assert.deepEqual(run(), expected);
  const written = readdirSync(dir);
  assert.ok(written.length >= 2, `both files cached: ${written.join(', ')}`);
  assert.ok(written.every((file) => /^[0-9a-f]{40}$/.test(file)), `only whole files, renamed into place: ${written.join(', ')}`);
  assert.deepEqual(run(), expected, 'from the cache');
  assert.deepEqual(readdirSync(dir).sort(), written.sort(), 'nothing new to write on the second run');
  writeFileSync(path.join(pkg, 'index.js'), index(100));
  assert.equal(run().answer, 141, 'the edited file, not its cached code');
});
