/**
 * The bundled sandbox runtime loads what a step needs and nothing else: Node starts it once per
 * step, so every driver it imported up front (mysql2, pg, supabase-js, DuckDB) would be paid by
 * every step.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RUNTIME_EXTERNALS } from '../../scripts/bundle-runtime.js';
import { packageRoot } from '../../src/package-root.js';
import { testRuntimeBundle } from '../support/sandbox.js';

test('the bundle imports only Node built-ins up front; each external package is required where it is used', async () => {
  const bundle = readFileSync(await testRuntimeBundle(), 'utf8');
  const staticImports = [...bundle.matchAll(/^import\b[^;]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]);
  assert.ok(staticImports.length > 0);
  assert.deepEqual(staticImports.filter((name) => !name!.startsWith('node:')), []);
  for (const name of RUNTIME_EXTERNALS) assert.match(bundle, new RegExp(`__require\\("${name.replace('/', '\\/')}(/[^"]*)?"\\)`), `${name} is required lazily`);
});

test('starting the runtime loads none of the drivers', async () => {
  const file = await testRuntimeBundle();
  symlinkSync(path.join(packageRoot, 'node_modules'), path.join(path.dirname(file), 'node_modules'));
  // Which modules the runtime loaded by the time it reports its (usage) error.
  const probe = path.join(path.dirname(file), 'probe.cjs');
  writeFileSync(probe, "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require('node:module')._cache))));");
  const run = spawnSync(process.execPath, ['--require', probe, file], { encoding: 'utf8' });
  assert.match(run.stdout, /usage: sandbox-runtime/);
  const loaded = JSON.parse(/LOADED (.*)$/m.exec(run.stderr)![1]!) as string[];
  for (const name of RUNTIME_EXTERNALS) assert.ok(!loaded.some((f) => f.includes(`/node_modules/${name}/`)), `${name} loaded at start: ${loaded.join(', ')}`);
});
