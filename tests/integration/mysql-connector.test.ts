import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { freePort } from '../../src/client/dev-server.js';
import { openDiscovery } from '../../src/connectors/families.js';
import { OsirisError } from '../../src/errors.js';
import { outputTableName, type ManifestStep, type StepMode } from '../../src/oml/manifest.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import type { RunSetup } from '../../src/dataplane/step-contract.js';
import { createWorkspace, stepFile } from '../../src/dataplane/workspace.js';
import { loadDemoIntoMysql } from '../support/load-demo-into-mysql.js';
import { startTestMariadb, type TestMariadb } from '../support/mariadb.js';
import { rejection } from '../support/rejection.js';

function step(id: string, component: string, mode: StepMode, config: Record<string, unknown>, needs: string[] = []): ManifestStep {
  return { id, component, component_version: '1.0.0', mode, needs, output_table: outputTableName(id), config };
}

async function stepRows(ctx: RunSetup, id: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(stepFile(ctx.workspaceDir, id), { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    const rows = (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    conn.closeSync();
    return rows;
  } finally {
    instance.closeSync();
  }
}


describe('mysql connector against a real MariaDB', async () => {
  let server: TestMariadb;
  let root: string;
  let ctx: RunSetup;
  let downPort: number;
  let runs = 0;
  /** A fresh workspace per test, so step ids can repeat. */
  const freshCtx = async (): Promise<RunSetup> => ({ ...ctx, workspaceDir: await createWorkspace(path.join(root, 'runs'), `run-${++runs}`) });

  before(async () => {
    server = await startTestMariadb();
    root = await mkdtemp(path.join(tmpdir(), 'osiris-mysql-'));
    downPort = await freePort();
    await server.query('CREATE DATABASE app CHARACTER SET utf8mb4');
    await loadDemoIntoMysql(server, 'movies', path.join(root, 'demo'));
    ctx = {
      workspaceDir: '',
      projectDir: root,
      outputDir: path.join(root, 'output'),
      resolveConnection: async (ref) => {
        const values: Record<string, Record<string, unknown>> = {
          '@mysql.app': server.values('app'),
          '@mysql.movies': server.values('movies'),
          '@mysql.badpw': { ...server.values('app'), password: 'wrong-secret-123' },
          '@mysql.down': { ...server.values('app'), port: downPort, connect_timeout_ms: 2000 },
        };
        const found = values[ref];
        if (found === undefined) throw new OsirisError('CONNECTION_NOT_FOUND', `No connection ${ref}`, { hint: 'test' });
        const alias = ref.split('.')[1]!;
        return { family: 'mysql', alias, values: found, secrets: [String(found.password)] };
      },
    };
  });
  after(async () => {
    await server?.stop();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it('extracts every type faithfully, NULLs included', async () => {
    await server.query(
      `CREATE TABLE types (id INT PRIMARY KEY, big BIGINT, ubig BIGINT UNSIGNED, dec_exact DECIMAL(30,10), dec_wide DECIMAL(50,5), dt DATETIME(6), ts TIMESTAMP(3) NULL,
         d DATE, j JSON, b BLOB, bits BIT(12), f DOUBLE, txt TEXT, tiny TINYINT, u INT UNSIGNED, t TIME, e ENUM('x','y'));
       INSERT INTO types VALUES
         (1, -9223372036854775808, 18446744073709551615, 12345678901234567890.0123456789, 123456789012345678901234567890123456789012345.12345,
          '2024-02-29 23:59:59.123456', '2038-01-19 03:14:07.999', '1000-01-01', '{"a": [1, 2.5, "ü"]}', X'00FF10', b'101010101010', 0.1, 'emoji 🎬 ünïcode 漢字', -128, 4294967295, '-838:59:59', 'y'),
         (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);`,
      [],
      'app',
    );
    const run = await freshCtx();
    const result = await executeStep(step('types', 'mysql.extractor', 'read', { connection: '@mysql.app', query: 'SELECT * FROM types ORDER BY id' }), run);
    assert.equal(result.rows, 2);
    const types = await stepRows(run, 'types', `SELECT column_name, column_type FROM (DESCRIBE df_types)`);
    assert.deepEqual(Object.fromEntries(types.map((t) => [t.column_name, t.column_type])), {
      id: 'BIGINT', big: 'BIGINT', ubig: 'UBIGINT', dec_exact: 'DECIMAL(30,10)', dec_wide: 'VARCHAR', dt: 'TIMESTAMP', ts: 'TIMESTAMP', d: 'DATE', j: 'VARCHAR',
      b: 'BLOB', bits: 'UBIGINT', f: 'DOUBLE', txt: 'VARCHAR', tiny: 'BIGINT', u: 'BIGINT', t: 'VARCHAR', e: 'VARCHAR',
    });
    const [full, empty] = await stepRows(run, 'types', `SELECT CAST(big AS VARCHAR) big, CAST(ubig AS VARCHAR) ubig, CAST(dec_exact AS VARCHAR) dec_exact, dec_wide, CAST(dt AS VARCHAR) dt,
      CAST(ts AS VARCHAR) ts, CAST(d AS VARCHAR) d, j, hex(b) b, bits, f, txt, tiny, u, t, e FROM df_types ORDER BY id`);
    assert.deepEqual(full, {
      big: '-9223372036854775808', ubig: '18446744073709551615', dec_exact: '12345678901234567890.0123456789', dec_wide: '123456789012345678901234567890123456789012345.12345',
      dt: '2024-02-29 23:59:59.123456', ts: '2038-01-19 03:14:07.999', d: '1000-01-01', j: '{"a": [1, 2.5, "ü"]}', b: '00FF10', bits: 0b101010101010n, f: 0.1,
      txt: 'emoji 🎬 ünïcode 漢字', tiny: -128n, u: 4294967295n, t: '-838:59:59', e: 'y',
    });
    assert.ok(Object.values(empty!).every((value) => value === null), JSON.stringify(empty, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  });

  it('reads a table with columns, where and limit', async () => {
    const run = await freshCtx();
    const result = await executeStep(step('some', 'mysql.extractor', 'read', { connection: '@mysql.movies', table: 'movies', columns: ['movie_id', 'title'], where: 'release_year >= 2010', limit: 5, batch_size: 2 }), run);
    assert.equal(result.rows, 5);
    assert.deepEqual(Object.keys((await stepRows(run, 'some', 'SELECT * FROM df_some'))[0]!), ['movie_id', 'title']);
  });

  it('refuses source queries that write, and the read-only transaction stops hidden writes', async () => {
    await server.query(
      `CREATE TABLE victims (id INT PRIMARY KEY); INSERT INTO victims VALUES (1), (2);
       CREATE FUNCTION sneaky() RETURNS INT MODIFIES SQL DATA BEGIN DELETE FROM victims; RETURN 1; END;
       CREATE PROCEDURE wipe() DELETE FROM victims;`,
      [],
      'app',
    );
    const queries = ['DELETE FROM victims', 'UPDATE victims SET id = id + 10', 'INSERT INTO victims SELECT id + 100 FROM victims', 'CALL wipe()', 'SELECT * FROM victims; DELETE FROM victims', 'SELECT * FROM victims FOR UPDATE', "SELECT * FROM victims INTO OUTFILE '/tmp/x'"];
    for (const query of [...queries, 'SELECT sneaky()']) {
      const err = await rejection(executeStep(step('bad', 'mysql.extractor', 'read', { connection: '@mysql.app', query }), await freshCtx()));
      assert.equal(err.code, 'SQL_REFUSED', `${query}: ${err.message}`);
      assert.ok(err.message.includes('Step "bad"'), err.message);
    }
    assert.deepEqual(await server.query('SELECT id FROM victims ORDER BY id', [], 'app'), [{ id: 1 }, { id: 2 }]);
  });

  it('reports a wrong password as non-retryable and a server that is down as retryable, naming the alias and never the password', async () => {
    const auth = await rejection(executeStep(step('x', 'mysql.extractor', 'read', { connection: '@mysql.badpw', table: 'types' }), await freshCtx()));
    assert.equal(auth.code, 'CONNECTION_FAILED');
    assert.equal(auth.retryable, false);
    assert.ok(auth.message.includes('@mysql.badpw') && auth.message.includes('Step "x"'), auth.message);
    assert.ok(!auth.message.includes('wrong-secret-123') && !auth.hint.includes('wrong-secret-123'));

    const down = await rejection(executeStep(step('x', 'mysql.extractor', 'read', { connection: '@mysql.down', table: 'types' }), await freshCtx()));
    assert.equal(down.code, 'CONNECTION_FAILED');
    assert.equal(down.retryable, true);
    assert.ok(down.message.includes('@mysql.down'), down.message);
    assert.ok(!down.message.includes(server.password));
  });

  describe('mysql.writer', () => {
    const source = (id: string, values: string) => step(id, 'duckdb.processor', 'transform', { query: `SELECT * FROM (VALUES ${values}) AS t(id, name, price, seen)` });
    const write = (id: string, input: string, config: Record<string, unknown>) => step(id, 'mysql.writer', 'write', { connection: '@mysql.app', create_if_missing: true, ...config }, [input]);
    const table = (name: string) => server.query<Record<string, unknown>[]>(`SELECT id, name, CAST(price AS CHAR) AS price, CAST(seen AS CHAR) AS seen FROM \`${name}\` ORDER BY id, name`, [], 'app');
    const V1 = "(1, 'one', 1.10::DECIMAL(10,2), TIMESTAMP '2024-01-01 10:00:00'), (2, 'two 🎬', 2.20::DECIMAL(10,2), NULL)";
    const V2 = "(2, 'TWO', 22.00::DECIMAL(10,2), TIMESTAMP '2024-06-01 00:00:00.5'), (3, 'three', NULL, NULL)";
    const row = (id: number, name: string, price: string | null, seen: string | null) => ({ id, name, price, seen });

    it('appends twice, replaces, and upserts changed and new keys, row by row', async () => {
      const run = await freshCtx();
      await executeStep(source('v1', V1), run);
      await executeStep(source('v2', V2), run);
      await executeStep(write('a1', 'v1', { table: 'w', write_mode: 'append' }), run);
      const second = await executeStep(write('a2', 'v1', { table: 'w', write_mode: 'append' }), run);
      assert.equal(second.rows, 2);
      const one = row(1, 'one', '1.10', '2024-01-01 10:00:00.000000');
      const two = row(2, 'two 🎬', '2.20', null);
      assert.deepEqual(await table('w'), [one, one, two, two]);

      await executeStep(write('r', 'v2', { table: 'w', write_mode: 'replace', primary_key: 'id' }), run);
      assert.deepEqual(await table('w'), [row(2, 'TWO', '22.00', '2024-06-01 00:00:00.500000'), row(3, 'three', null, null)]);

      await executeStep(write('u1', 'v1', { table: 'k', write_mode: 'upsert', primary_key: 'id' }), run);
      await executeStep(write('u2', 'v2', { table: 'k', write_mode: 'upsert', primary_key: 'id' }), run);
      assert.deepEqual(await table('k'), [one, row(2, 'TWO', '22.00', '2024-06-01 00:00:00.500000'), row(3, 'three', null, null)]);
      const [created] = await server.query<{ COLUMN_KEY: string; COLUMN_TYPE: string }[]>("SELECT COLUMN_KEY, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME = 'k' AND COLUMN_NAME = 'price'");
      assert.equal(created!.COLUMN_TYPE, 'decimal(10,2)');
    });

    it('a failure between batches, then a retry, leaves every row exactly once (append and replace)', async () => {
      const run = await freshCtx();
      await executeStep(step('many', 'duckdb.processor', 'transform', { query: "SELECT range AS id, 'row ' || range AS name FROM range(5000)" }), run);
      for (const mode of ['append', 'replace'] as const) {
        const writer = write(`w-${mode}`, 'many', { table: `retry_${mode}`, write_mode: mode, primary_key: 'id', batch_size: 1000 });
        let calls = 0;
        const failing = { onProgress: () => { if (++calls === 3) throw new Error('injected failure'); } };
        await assert.rejects(executeStep(writer, run, failing), /injected failure/);
        const result = await executeStep(writer, run);
        assert.equal(result.rows, 5000);
        const [counts] = await server.query<{ n: string; d: string }[]>(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM retry_${mode}`, [], 'app');
        assert.deepEqual(counts, { n: '5000', d: '5000' }, mode);
      }
      const leftovers = await server.query<unknown[]>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'app' AND TABLE_NAME LIKE '%osiris%'");
      assert.deepEqual(leftovers, []);
    });
  });

  it('discovers and searches the movies demo', async () => {
    const discovery = await openDiscovery(await ctx.resolveConnection('@mysql.movies'));
    try {
      const tables = await discovery.listTables();
      assert.deepEqual(tables.map((t) => t.name), ['actors', 'directors', 'movie_actors', 'movies', 'reviews']);
      assert.ok(tables.every((t) => t.kind === 'table' && typeof t.rowEstimate === 'number' && t.rowEstimate > 0), JSON.stringify(tables));
      const movies = await discovery.describeTable('movies');
      assert.deepEqual(movies.primaryKey, ['movie_id']);
      assert.deepEqual(movies.foreignKeys, [{ columns: ['director_id'], refTable: 'directors', refColumns: ['director_id'] }]);
      assert.deepEqual(movies.columns.find((c) => c.name === 'title'), { name: 'title', type: 'varchar(255)', nullable: false });
      const links = await discovery.describeTable('movie_actors');
      assert.deepEqual(links.primaryKey, ['movie_id', 'actor_id']);
      assert.equal(links.foreignKeys.length, 2);

      const sample = await discovery.sampleRows('movies', 3);
      assert.equal(sample.rows.length, 3);
      assert.equal(sample.truncated, true);
      assert.ok(sample.columns.includes('title'));

      const hits = await discovery.search('duvernay', { limitPerColumn: 5 });
      assert.ok(hits.some((h) => h.table === 'directors' && h.column === 'name' && h.row.name === 'Ava DuVernay'), JSON.stringify(hits));
      const none = await discovery.search('no such thing anywhere', { limitPerColumn: 5, tables: ['movies'] });
      assert.deepEqual(none, []);

      const preview = await discovery.previewQuery('SELECT m.title, d.name FROM movies m JOIN directors d USING (director_id) ORDER BY m.movie_id', 2);
      assert.deepEqual(preview.columns, ['title', 'name']);
      assert.deepEqual(preview.rows, [['Selma', 'Ava DuVernay'], ['13th', 'Ava DuVernay']]);
      assert.equal(preview.truncated, true);
      const refused = await rejection(discovery.previewQuery('DELETE FROM reviews', 5));
      assert.equal(refused.code, 'SQL_REFUSED');
    } finally {
      await discovery.close();
    }
  });
});
