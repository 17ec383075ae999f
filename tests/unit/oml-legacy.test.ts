import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLegacyPipeline, upgradeLegacy, validateOml } from '../../src/oml/index.js';

describe('legacy format upgrade', () => {
  it('recognises only documents without oml_version/steps that have extract/transform/load', () => {
    assert.equal(isLegacyPipeline({ extract: [] }), true);
    assert.equal(isLegacyPipeline({ oml_version: '0.1.0', extract: [] }), false);
    assert.equal(isLegacyPipeline({ name: 'x' }), false);
  });

  it('maps tables, connections and loads; inline connection details become a warning', () => {
    const upgrade = upgradeLegacy({
      name: 'export_tables',
      version: '1.0',
      extract: [{ id: 'extract_data', source: 'sqlite', tables: ['movies', 'reviews'], connection: { host: 'x', password: '***' } }],
      transform: [{ id: 'joined', engine: 'duckdb', sql: 'SELECT * FROM movies JOIN reviews USING (movie_id)' }],
      load: [
        { id: 'csv', to: 'csv', path: 'out.csv' },
        { id: 'db', to: 'sqlite', table: 'top', write_mode: 'append' },
      ],
    });
    assert.deepEqual(upgrade.oml, {
      oml_version: '0.1.0',
      name: 'export_tables',
      steps: [
        { id: 'extract_data-movies', component: 'sqlite.extractor', mode: 'read', config: { connection: '@sqlite.default', table: 'movies' } },
        { id: 'extract_data-reviews', component: 'sqlite.extractor', mode: 'read', config: { connection: '@sqlite.default', table: 'reviews' }, needs: [] },
        {
          id: 'joined',
          component: 'duckdb.processor',
          mode: 'transform',
          config: { query: 'SELECT * FROM df_extract_data_movies JOIN df_extract_data_reviews USING (movie_id)' },
          needs: ['extract_data-movies', 'extract_data-reviews'],
        },
        { id: 'csv', component: 'filesystem.csv_writer', mode: 'write', config: { path: 'out.csv' }, needs: ['joined'] },
        { id: 'db', component: 'sqlite.writer', mode: 'write', config: { write_mode: 'append', connection: '@sqlite.default', table: 'top' }, needs: ['joined'] },
      ],
    });
    assert.deepEqual(upgrade.problems.map((p) => [p.rule, p.path, p.severity]), [
      ['legacy-format', '', 'warning'],
      ['legacy-inline-connection', 'extract[0].connection', 'warning'],
      ['legacy-sql-rewritten', 'steps[2].config.query', 'warning'],
    ]);
    assert.equal(upgrade.sourcePath('steps[1].config.table'), 'extract[0].tables[1]');
    assert.equal(upgrade.sourcePath('steps[4].config.write_mode'), 'load[1].write_mode');
  });

  it('locates problems of upgraded steps in the legacy source', async () => {
    const text = ['name: bad', 'extract:', '  - id: a', '    source: sqlite', '    table: t', 'load:', '  - id: out', '    to: csv', '    path: ../up.csv', ''].join('\n');
    const report = await validateOml(text);
    const problem = report.problems.find((p) => p.rule === 'output-path-escape');
    assert.equal(problem?.path, 'steps[1].config.path');
    assert.equal(problem?.line, 9);
  });

  it('rejects sections that are not lists', async () => {
    const report = await validateOml('name: bad\nextract: { id: a }\n');
    const problem = report.problems.find((p) => p.rule === 'legacy-invalid');
    assert.equal(problem?.message, '"extract" must be a list of items');
    assert.equal(problem?.line, 2);
  });
});
