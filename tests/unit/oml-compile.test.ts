import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { OsirisError } from '../../src/errors.js';
import { compileOml, OmlInvalidError, validateOml } from '../../src/oml/index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/oml/${name}`, import.meta.url), 'utf8');
}

describe('compileOml', () => {
  it('gives identical bytes and fingerprint whatever the key order, whitespace and comments', async () => {
    const a = await compileOml(fixture('top-rated.yaml'));
    const b = await compileOml(fixture('top-rated-reformatted.yaml'));
    assert.equal(a.json, b.json);
    assert.equal(a.fingerprint, b.fingerprint);
    assert.equal(a.fingerprint, createHash('sha256').update(a.json).digest('hex'));
    assert.equal((await compileOml(fixture('top-rated.yaml'))).json, a.json, 'compiling twice is stable');
  });

  it('a changed param changes the fingerprint, and the manifest holds the effective params', async () => {
    const base = await compileOml(fixture('top-rated.yaml'));
    const same = await compileOml(fixture('top-rated.yaml'), { params: { min_rating: 8 } });
    const changed = await compileOml(fixture('top-rated.yaml'), { params: { min_rating: 9 } });
    assert.equal(same.fingerprint, base.fingerprint);
    assert.notEqual(changed.fingerprint, base.fingerprint);
    assert.deepEqual(changed.manifest.params, { min_rating: 9 });
    assert.match(String(changed.manifest.steps[2]?.config.query), /> 9\n$/);
  });

  it('writes an explicit manifest: pinned versions, needs, output tables, config defaults, levels', async () => {
    const { manifest, json } = await compileOml(fixture('top-rated.yaml'));
    assert.equal(manifest.manifest_version, '1');
    assert.deepEqual(manifest.pipeline, { name: 'top-rated-movies', oml_version: '0.1.0' });
    assert.deepEqual(manifest.levels, [['extract-movies'], ['extract-reviews'], ['top-rated'], ['save']]);
    assert.deepEqual(
      manifest.steps.map((s) => [s.id, s.component_version, s.needs, s.output_table]),
      [
        ['extract-movies', '1.0.0', [], 'df_extract_movies'],
        ['extract-reviews', '1.0.0', ['extract-movies'], 'df_extract_reviews'],
        ['top-rated', '1.0.0', ['extract-movies', 'extract-reviews'], 'df_top_rated'],
        ['save', '1.0.0', ['top-rated'], 'df_save'],
      ],
    );
    assert.deepEqual(manifest.steps[3]?.config, { path: 'output/top_rated.csv', delimiter: ',', header: true });
    assert.equal(manifest.steps[0]?.config.connection, '@sqlite.demo', 'connections stay references');
    assert.ok(!/\s\s|\n {2}/.test(json.replace(/"(?:[^"\\]|\\.)*"/g, '""')), 'no whitespace outside strings');
  });

  it('orders steps topologically, keeping written order within a level', async () => {
    const { manifest } = await compileOml(fixture('diamond.yaml'));
    assert.deepEqual(manifest.levels, [['source'], ['left', 'right'], ['joined'], ['save']]);
    assert.deepEqual(manifest.steps.map((s) => s.id), ['source', 'left', 'right', 'joined', 'save']);
    assert.deepEqual(manifest.steps.find((s) => s.id === 'save')?.needs, ['joined'], 'omitted needs = previous step');
  });

  it('throws OmlInvalidError (OML_INVALID) listing every error', async () => {
    const err = await compileOml(fixture('five-problems.yaml'), { file: 'five-problems.yaml' }).then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OmlInvalidError);
    assert.ok(err instanceof OsirisError);
    assert.equal(err.code, 'OML_INVALID');
    assert.equal(err.retryable, false);
    assert.equal(err.problems.length, 5);
    assert.match(err.message, /^Pipeline five-problems\.yaml is invalid \(5 problems\):\n/);
    assert.match(err.message, /- error unknown-component at steps\[2\]\.component \(line 14:5\): unknown component "filesystem\.csv_writr"/);
    assert.equal(err.hint, err.problems[0]?.hint);
  });

  it('upgrades the legacy extract/transform/load format with a warning, and compiles it', async () => {
    const text = fixture('legacy.yaml');
    const report = await validateOml(text);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    const warning = report.problems.find((p) => p.rule === 'legacy-format');
    assert.equal(warning?.severity, 'warning');
    assert.equal(warning?.message, 'Legacy extract/transform/load pipeline upgraded to OML v0.1.0');
    assert.equal(report.oml?.name, 'top-rated-movies');
    assert.deepEqual(
      report.oml?.steps.map((s) => [s.id, s.component, s.mode]),
      [
        ['get_movies', 'sqlite.extractor', 'read'],
        ['get_reviews', 'sqlite.extractor', 'read'],
        ['top_rated', 'duckdb.processor', 'transform'],
        ['save', 'filesystem.parquet_writer', 'write'],
      ],
    );

    const compiled = await compileOml(text);
    assert.deepEqual(compiled.manifest.levels, [['get_movies', 'get_reviews'], ['top_rated'], ['save']]);
    const query = String(compiled.manifest.steps[2]?.config.query);
    assert.match(query, /FROM df_get_movies m JOIN df_get_reviews r/);
    assert.match(query, /'get_reviews'/, 'string literals are not rewritten');
    assert.deepEqual(compiled.warnings.map((w) => w.rule), ['legacy-format', 'legacy-sql-rewritten']);
  });
});
