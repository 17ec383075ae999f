import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTransformSql } from '../../src/dataplane/sql-guard.js';

const refused: [string, string][] = [
  ['COPY ... TO', "COPY df_movies TO '/tmp/out.csv'"],
  ['ATTACH', "ATTACH '/tmp/other.duckdb' AS other"],
  ['DROP', 'DROP TABLE df_movies'],
  ['INSERT', 'INSERT INTO df_movies VALUES (1)'],
  ['UPDATE', 'UPDATE df_movies SET title = NULL'],
  ['DELETE', 'DELETE FROM df_movies'],
  ['PRAGMA', 'PRAGMA database_list'],
  ['SET', 'SET enable_external_access = true'],
  ['read_csv', "SELECT * FROM read_csv('/etc/passwd')"],
  ['read_csv_auto in a join', "SELECT * FROM df_a JOIN read_csv_auto('x.csv') USING (id)"],
  ['quoted file as table', "SELECT * FROM '/etc/passwd'"],
  ['double-quoted file as table', 'SELECT * FROM "data.csv"'],
  ['read_parquet in a subquery', "SELECT * FROM df_a WHERE id IN (SELECT id FROM read_parquet('x.parquet'))"],
  ['glob', "SELECT * FROM glob('/etc/*')"],
  ['read_text in a CTE', "WITH t AS (SELECT * FROM read_text('/etc/hosts')) SELECT * FROM t"],
  ['query()', "SELECT * FROM query('SELECT 1')"],
  ['duckdb_settings()', 'SELECT * FROM duckdb_settings()'],
  ['getenv', "SELECT getenv('HOME')"],
  ['current_setting', "SELECT current_setting('temp_directory')"],
  ['function from another catalog', 'SELECT other.main.fn(1)'],
  ['qualified catalog', 'SELECT * FROM other.main.df_a'],
  ['qualified schema', 'SELECT * FROM main.df_a'],
  ['two statements', 'SELECT 1; SELECT 2'],
  ['select then drop', 'SELECT 1; DROP TABLE df_a'],
  ['DESCRIBE', 'DESCRIBE df_a'],
  ['unparseable', 'SELEC 1'],
  ['pg_settings (a catalog view, shows paths)', 'SELECT name, setting FROM pg_settings'],
  ['duckdb_databases as a view', 'SELECT path FROM duckdb_databases'],
  ['duckdb_settings as a view', 'SELECT * FROM duckdb_settings'],
  ['sqlite_master', 'SELECT * FROM sqlite_master'],
  ['pg_database in a subquery', 'SELECT * FROM df_a WHERE id IN (SELECT oid FROM pg_database)'],
  ['catalog view in a CTE', 'WITH s AS (SELECT * FROM PG_SETTINGS) SELECT * FROM s'],
];

const accepted: [string, string][] = [
  ['plain select', 'SELECT title, rating FROM df_extract_movies WHERE rating > 8'],
  ['CTE + join + group', `WITH r AS (SELECT movie_id, AVG(rating) AS avg_rating FROM df_reviews GROUP BY movie_id)
    SELECT m.title, r.avg_rating FROM df_movies m JOIN r USING (movie_id) ORDER BY r.avg_rating DESC`],
  ['window function', 'SELECT title, row_number() OVER (PARTITION BY genre ORDER BY budget_musd DESC) AS rank FROM df_movies'],
  ['subquery', 'SELECT * FROM df_movies WHERE director_id IN (SELECT director_id FROM df_directors WHERE awards > 5)'],
  ['union', 'SELECT name FROM df_directors UNION ALL SELECT name FROM df_actors'],
  ['range and unnest', 'SELECT r.range, unnest([1, 2]) AS u FROM range(3) r'],
  ['string literal with a path in it', "SELECT 'read_csv(/etc/passwd)' AS note, lower(title) FROM df_movies"],
  ['trailing semicolon', 'SELECT 1 AS one;'],
];

describe('checkTransformSql', () => {
  for (const [name, sql] of refused) {
    it(`refuses ${name}`, async () => {
      const verdict = await checkTransformSql(sql);
      assert.equal(verdict.ok, false, sql);
      if (!verdict.ok) {
        assert.ok(verdict.reason.length > 0);
        assert.ok(verdict.hint.length > 0);
      }
    });
  }
  for (const [name, sql] of accepted) {
    it(`accepts ${name}`, async () => {
      assert.deepEqual(await checkTransformSql(sql), { ok: true });
    });
  }
  it('names the statement instead of DuckDB\'s "Only SELECT statements can be serialized to json!"', async () => {
    for (const [sql, kind] of [['INSERT INTO df_a VALUES (1)', 'INSERT'], ["-- note\nCOPY df_a TO '/tmp/x.csv'", 'COPY'], ['SELECT 1; DELETE FROM df_a', 'DELETE']] as const) {
      const verdict = await checkTransformSql(sql);
      assert.ok(!verdict.ok);
      assert.equal(verdict.reason, `${kind} is not allowed: transform SQL is one read-only SELECT`);
      assert.doesNotMatch(verdict.reason, /serialized to json/);
    }
    const empty = await checkTransformSql('   ');
    assert.ok(!empty.ok && empty.reason === 'the SQL is empty');
    // Text after a NUL would never reach DuckDB's parser: refused, not checked by its first half.
    const nul = await checkTransformSql('SELECT 1\0; DROP TABLE df_x');
    assert.ok(!nul.ok && nul.reason === 'the SQL contains a NUL character (at offset 8)', JSON.stringify(nul));
  });

  it('passes the SQL as a parameter, so quotes in it cannot break out', async () => {
    const verdict = await checkTransformSql("SELECT 1'); SELECT * FROM read_csv('/etc/passwd'); --");
    assert.equal(verdict.ok, false);
  });
});
