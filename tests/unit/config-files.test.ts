import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { listConnections } from '../../src/connections/resolver.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { isOsirisError } from '../../src/errors.js';
import { makeProject } from '../support/project.js';

/** The error's lines name the file with line:column, and it is bad input (CONFIG_INVALID, exit 2). */
function located(file: string, ...expected: RegExp[]) {
  return (err: unknown) => {
    assert.ok(isOsirisError(err) && err.code === 'CONFIG_INVALID', String(err));
    for (const pattern of expected) assert.match(err.message, pattern);
    assert.match(err.message, new RegExp(`${file.replace('.', '\\.')}:\\d+:\\d+: `));
    return true;
  };
}

describe('osiris.yaml and osiris_connections.yaml problems are located', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown key', 'llm:\n  provider: offline\n  modle: x\n', /osiris\.yaml:3:3: llm\.modle: unknown key "modle"/],
    ['bad value', 'temporal:\n  port: 70000\n', /osiris\.yaml:2:3: temporal\.port: must be at most 65535/],
    ['syntax', 'llm:\n\tprovider: offline\n', /osiris\.yaml:2:1: a tab is used for indentation/],
    ['second document', 'llm: {}\n---\nllm: {}\n', /osiris\.yaml:2:1: the file holds more than one YAML document/],
    ['UTF-16', '', /osiris\.yaml:1:1: the file is UTF-16/],
    ['not a mapping', '- llm\n', /osiris\.yaml:1:1: the file: expected a mapping, got a list/],
  ];
  for (const [name, text, expected] of cases) {
    it(`osiris.yaml: ${name}`, () => {
      const dir = makeProject();
      writeFileSync(path.join(dir, 'osiris.yaml'), name === 'UTF-16' ? Buffer.from('\ufeffllm: {}\n', 'utf16le') : text);
      assert.throws(() => loadProjectConfig(dir, {}), located('osiris.yaml', expected));
    });
  }

  it('osiris_connections.yaml: an alias bomb and a value of the wrong type', () => {
    const dir = makeProject({ 'osiris_connections.yaml': 'connections:\n  mysql:\n    main:\n      host: [a, b]\n' });
    assert.throws(() => listConnections({ projectDir: dir }), located('osiris_connections.yaml', /osiris_connections\.yaml:4:7: connections\.mysql\.main\.host: /));
    writeFileSync(path.join(dir, 'osiris_connections.yaml'), 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n');
    assert.throws(() => listConnections({ projectDir: dir }), located('osiris_connections.yaml', /aliases \(\*name\) expand to too much data/));
  });

  it('execution.input_dir is resolved against the project', () => {
    const dir = makeProject({ 'osiris.yaml': 'execution:\n  input_dir: data\n' });
    assert.equal(loadProjectConfig(dir, {}).inputDir, path.join(dir, 'data'));
  });
});
