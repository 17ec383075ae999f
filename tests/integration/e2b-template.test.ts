/** The E2B template in e2b/ provides what the bundled runtime and the config defaults expect. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RUNTIME_EXTERNALS } from '../../scripts/bundle-runtime.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { packageRoot } from '../../src/package-root.js';
import { makeProject } from '../support/project.js';

const read = (file: string) => readFileSync(path.join(packageRoot, file), 'utf8');

test('the template installs every package the runtime bundle keeps external, at the same versions', () => {
  const root = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
  const template = JSON.parse(read('e2b/package.json')) as { dependencies: Record<string, string> };
  assert.deepEqual(template.dependencies, Object.fromEntries(RUNTIME_EXTERNALS.map((name) => [name, root.dependencies[name]])));
});

test('e2b.toml names the default template and gives at least the default CPU and memory', () => {
  const toml = read('e2b/e2b.toml');
  const value = (key: string) => /^\s*(\S+)\s*=\s*"?([^"\n]+)"?/m.exec(toml.split('\n').find((l) => l.startsWith(key)) ?? '')?.[2];
  const { e2b } = loadProjectConfig(makeProject(), {});
  assert.equal(value('template_name'), e2b.template);
  assert.ok(Number(value('cpu_count')) >= e2b.cpu);
  assert.ok(Number(value('memory_mb')) >= e2b.memory_mb);
  assert.equal(e2b.backend, 'e2b', 'never falls back to a local process unless asked');
});
