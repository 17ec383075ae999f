import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYaml } from '../../src/oml/index.js';

describe('parseYaml', () => {
  const text = ['# comment', 'name: x', 'steps:', '  - id: a', '    config:', '      query: |', '        SELECT 1', '  - { id: b, config: { path: out.csv } }', ''].join('\n');

  it('maps paths to 1-based line and column', () => {
    const { value, locate, problems } = parseYaml(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(value, { name: 'x', steps: [{ id: 'a', config: { query: 'SELECT 1\n' } }, { id: 'b', config: { path: 'out.csv' } }] });
    assert.deepEqual(locate('name'), { line: 2, column: 1 });
    assert.deepEqual(locate('steps[0]'), { line: 4, column: 5 });
    assert.deepEqual(locate('steps[0].config.query'), { line: 6, column: 7 });
    assert.deepEqual(locate('steps[1].config.path'), { line: 8, column: 24 });
  });

  it('falls back to the nearest ancestor for absent paths', () => {
    assert.deepEqual(parseYaml(text).locate('steps[1].mode'), { line: 8, column: 5 });
  });

  it('turns every syntax error into a located problem', () => {
    const { value, problems } = parseYaml('name: x\nsteps:\n  - id: "unterminated\n');
    assert.equal(value, undefined);
    assert.ok(problems.length >= 1);
    assert.ok(problems.every((p) => p.rule === 'yaml-syntax' && p.severity === 'error' && p.line !== undefined));
  });
});
