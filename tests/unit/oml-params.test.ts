import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OsirisError } from '../../src/errors.js';
import { compileOml, parseParamArgs, substituteParams } from '../../src/oml/index.js';

describe('params', () => {
  it('keeps the type of a whole-string reference and stringifies inside text', () => {
    const { value, unknown } = substituteParams(
      { limit: '${params.n}', flag: '${params.on}', where: 'rating > ${params.n} AND ok = ${params.on}', nested: [{ t: '${params.t}' }], n: 3 },
      { n: 8, on: true, t: 'movies' },
      'steps[0].config',
    );
    assert.deepEqual(value, { limit: 8, flag: true, where: 'rating > 8 AND ok = true', nested: [{ t: 'movies' }], n: 3 });
    assert.deepEqual(unknown, []);
  });

  it('reports unknown references with their path and leaves them as written', () => {
    const { value, unknown } = substituteParams({ q: ['x', 'a ${params.nope} b'] }, {}, 'steps[1].config');
    assert.deepEqual(value, { q: ['x', 'a ${params.nope} b'] });
    assert.deepEqual(unknown, [{ path: 'steps[1].config.q[1]', name: 'nope' }]);
  });

  it('leaves ${ENV} references alone', () => {
    assert.deepEqual(substituteParams({ p: '${DB_PASSWORD}' }, {}, '').value, { p: '${DB_PASSWORD}' });
  });

  it('parseParamArgs coerces numbers and booleans', () => {
    assert.deepEqual(parseParamArgs(['n=8', 'ratio=-0.5', 'on=true', 'off=false', 'zip=007', 'name=a=b', 'empty=']), {
      n: 8,
      ratio: -0.5,
      on: true,
      off: false,
      zip: '007',
      name: 'a=b',
      empty: '',
    });
  });

  it('parseParamArgs names the malformed argument', () => {
    assert.throws(
      () => parseParamArgs(['n=1', 'min_rating']),
      (err: unknown) => err instanceof OsirisError && err.code === 'CONFIG_INVALID' && err.message === 'Invalid param argument "min_rating": expected name=value',
    );
    assert.throws(() => parseParamArgs(['=5']), /Invalid param argument "=5"/);
    assert.throws(() => parseParamArgs(['n=1', 'n=2']), /Param "n" is given twice/);
  });

  it('a typed param satisfies a numeric config key', async () => {
    const text = [
      'oml_version: "0.1.0"',
      'name: typed',
      'params: { n: 10 }',
      'steps:',
      '  - { id: a, component: sqlite.extractor, mode: read, config: { connection: "@sqlite.demo", table: t, limit: "${params.n}" } }',
    ].join('\n');
    const compiled = await compileOml(text, { params: parseParamArgs(['n=25']) });
    assert.equal(compiled.manifest.steps[0]?.config.limit, 25);
    await assert.rejects(compileOml(text, { params: { n: 'lots' } }), /param "n" is a number \(default 10\), but the value given is the text "lots"/);
  });
});
