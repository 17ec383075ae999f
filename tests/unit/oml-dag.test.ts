import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, checkRelativeOutputPath, dagLevels, findCycles } from '../../src/oml/index.js';

describe('dag', () => {
  it('levels a diamond: parallel middle, written order within a level', () => {
    const nodes = [
      { id: 'src', needs: [] },
      { id: 'right', needs: ['src'] },
      { id: 'left', needs: ['src'] },
      { id: 'join', needs: ['left', 'right'] },
    ];
    assert.deepEqual(dagLevels(nodes), [['src'], ['right', 'left'], ['join']]);
    assert.deepEqual(findCycles(nodes), []);
  });

  it('finds each cycle with its members, starting from the earliest step', () => {
    const nodes = [
      { id: 'a', needs: ['c'] },
      { id: 'b', needs: ['a'] },
      { id: 'c', needs: ['b'] },
      { id: 'd', needs: ['d'] },
      { id: 'e', needs: ['a', 'missing'] },
    ];
    assert.deepEqual(findCycles(nodes), [['a', 'c', 'b'], ['d']]);
    assert.throws(() => dagLevels(nodes), /cyclic needs/);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x y' } }), '{"a":{"c":"x y","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('formats numbers stably and refuses values without a JSON form', () => {
    assert.equal(canonicalJson([1.0, -0, 1e21, 0.1 + 0.2]), '[1,0,1e+21,0.30000000000000004]');
    assert.equal(canonicalJson({ a: undefined, b: null }), '{"b":null}');
    assert.throws(() => canonicalJson({ n: Number.NaN }), /NaN at \$\.n has no JSON form/);
  });
});

describe('checkRelativeOutputPath', () => {
  it('accepts paths inside the output directory', () => {
    for (const ok of ['a.csv', 'reports/a.csv', './a.csv', 'x/../a.csv']) assert.equal(checkRelativeOutputPath(ok), null, ok);
  });

  it('gives the reason a path escapes', () => {
    assert.equal(checkRelativeOutputPath('a/../../b.csv'), 'the path climbs out of the output directory with ..');
    assert.equal(checkRelativeOutputPath('C:\\temp\\a.csv'), 'the path is absolute');
    assert.equal(checkRelativeOutputPath('\\\\server\\share\\a.csv'), 'the path is absolute');
    assert.equal(checkRelativeOutputPath('x/..'), 'the path names the output directory itself, not a file in it');
    assert.equal(checkRelativeOutputPath(''), 'the path is empty');
  });
});
