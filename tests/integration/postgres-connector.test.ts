import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openDiscovery } from '../../src/connectors/families.js';
import type { ResolvedConnection } from '../../src/connections/types.js';
import { OsirisError } from '../../src/errors.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import type { RunSetup, StepProgress } from '../../src/dataplane/step-contract.js';
import { connectorRun, makeStep, readStepRows, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { rejection } from '../support/rejection.js';

let server: TestPostgres;
let db: pg.Client;
let ctx: RunSetup;
let cleanup: () => Promise<void>;

const writerDefaults = { create_if_missing: true, write_mode: 'append' };
const query = async <T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, values: unknown[] = []) => (await db.query<T>(sql, values)).rows;


before(async () => {
  server = await startTestPostgres();
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
  await db.query("SET TimeZone = 'UTC'");
  const values = { host: server.host, port: server.port, user: server.user, password: server.password, database: server.database };
  const connections: Record<string, ResolvedConnection> = {
    '@postgres.test': { family: 'postgres', alias: 'test', values, secrets: [server.password] },
    '@postgres.byurl': { family: 'postgres', alias: 'byurl', values: { url: server.url }, secrets: [] },
  };
  ({ ctx, cleanup } = await connectorRun(connections));
});

after(async () => {
  await db?.end();
  await cleanup?.();
  await server?.stop();
});

describe('postgres wire path against a real PostgreSQL', () => {
  it('round-trips types exactly: numeric, timestamptz, jsonb, uuid, arrays, emoji text, bytea, NULLs', async () => {
    await db.query(`CREATE TABLE types_src (
      id integer PRIMARY KEY, amount numeric(30,10), free numeric, ts timestamptz, day date, doc jsonb, uid uuid,
      tags text[], nums integer[], label text, flag boolean, ratio double precision, big bigint, raw bytea)`);
    await db.query(`INSERT INTO types_src VALUES
      (1, '12345678901234567890.1234567890', '3.141592653589793238462643383279502884197', '2024-02-29 23:59:59.123456+05:30', '2024-02-29',
       '{"a": [1, 2.5, "x"], "b": {"c": null}}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a b", "c,d", "quote\\"d", NULL}', '{1,2,3}',
       'héllo 👋🏽 wörld', true, 1.0000000000000002, 9223372036854775807, '\\x00ff10'),
      (2, '-0.0000000001', '0', '1999-12-31 00:00:00+00', '0001-01-01', '[]', '00000000-0000-0000-0000-000000000000', '{}', '{}',
       E'tab\\there, newline\\nthere, back\\\\slash', false, -1e-300, -9223372036854775808, '\\x'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);

    const extract = makeStep('types', 'postgres.extractor', 'read', { connection: '@postgres.test', table: 'types_src', order_by: ['id'], batch_size: 2 });
    const progress: StepProgress[] = [];
    assert.equal((await executeStep(extract, ctx, { onProgress: (p) => void progress.push(p) })).rows, 3);
    assert.deepEqual(progress.map((p) => p.rows), [2, 3], 'one progress report per fetched batch');

    const types = await readStepRows(ctx, 'types', "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'df_types' ORDER BY ordinal_position");
    assert.deepEqual(Object.fromEntries(types.map((t) => [t.column_name, t.data_type])), {
      id: 'BIGINT', amount: 'DECIMAL(30,10)', free: 'VARCHAR', ts: 'TIMESTAMP WITH TIME ZONE', day: 'DATE', doc: 'JSON', uid: 'UUID',
      tags: 'JSON', nums: 'JSON', label: 'VARCHAR', flag: 'BOOLEAN', ratio: 'DOUBLE', big: 'BIGINT', raw: 'BLOB',
    });
    const [row1, row2, row3] = await readStepRows(ctx, 'types', `SELECT id, amount::VARCHAR AS amount, free, strftime(timezone('UTC', ts), '%Y-%m-%d %H:%M:%S.%f') AS ts_utc,
      day::VARCHAR AS day, doc::VARCHAR AS doc, uid::VARCHAR AS uid, tags::VARCHAR AS tags, nums::VARCHAR AS nums, label, flag, ratio, big::VARCHAR AS big, hex(raw) AS raw
      FROM df_types ORDER BY id`);
    assert.deepEqual(row1, {
      id: 1n, amount: '12345678901234567890.1234567890', free: '3.141592653589793238462643383279502884197', ts_utc: '2024-02-29 18:29:59.123456', day: '2024-02-29',
      doc: '{"a": [1, 2.5, "x"], "b": {"c": null}}', uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', tags: '["a b","c,d","quote\\"d",null]', nums: '[1,2,3]',
      label: 'héllo 👋🏽 wörld', flag: true, ratio: 1.0000000000000002, big: '9223372036854775807', raw: '00FF10',
    });
    assert.equal(row2!.amount, '-0.0000000001');
    assert.equal(row2!.label, 'tab\there, newline\nthere, back\\slash');
    assert.equal(row2!.big, '-9223372036854775808');
    assert.equal(row2!.ratio, -1e-300);
    assert.ok(Object.entries(row3!).every(([key, value]) => key === 'id' || value === null), 'NULLs stay NULL in every type');

    // Back into PostgreSQL: a new table (created from the DuckDB types) and an existing one of the source's own types.
    await db.query('CREATE TABLE types_same (LIKE types_src INCLUDING ALL)');
    for (const table of ['types_new', 'types_same']) {
      const write = makeStep(`write-${table}`, 'postgres.writer', 'write', { ...writerDefaults, connection: '@postgres.byurl', table, batch_size: 2 }, ['types']);
      assert.equal((await executeStep(write, ctx)).rows, 3);
    }
    const compare = (table: string) =>
      query(`SELECT s.id, (s.amount::text IS NOT DISTINCT FROM t.amount::text) AND (s.free::text IS NOT DISTINCT FROM t.free::text) AND (s.ts IS NOT DISTINCT FROM t.ts)
        AND (s.day IS NOT DISTINCT FROM t.day) AND (s.doc IS NOT DISTINCT FROM t.doc::jsonb) AND (s.uid IS NOT DISTINCT FROM t.uid)
        AND (to_jsonb(s.tags) IS NOT DISTINCT FROM to_jsonb(t.tags)) AND (to_jsonb(s.nums) IS NOT DISTINCT FROM to_jsonb(t.nums))
        AND (s.label IS NOT DISTINCT FROM t.label) AND (s.flag IS NOT DISTINCT FROM t.flag) AND (s.ratio IS NOT DISTINCT FROM t.ratio)
        AND (s.big IS NOT DISTINCT FROM t.big) AND (s.raw IS NOT DISTINCT FROM t.raw) AS same
        FROM types_src s FULL JOIN ${table} t USING (id) ORDER BY id`);
    for (const table of ['types_new', 'types_same']) assert.deepEqual(await compare(table), [1, 2, 3].map((id) => ({ id, same: true })), table);
    assert.deepEqual(await query("SELECT count(*)::int AS n FROM types_same WHERE tags = '{\"a b\",\"c,d\",\"quote\\\"d\",NULL}'::text[]"), [{ n: 1 }], 'a real text[] again');
    const created = await query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'types_new' AND column_name IN ('amount', 'ts', 'doc', 'uid', 'tags', 'raw') ORDER BY column_name");
    assert.deepEqual(created.map((c) => `${c.column_name} ${c.data_type}`), ['amount numeric', 'doc jsonb', 'raw bytea', 'tags jsonb', 'ts timestamp with time zone', 'uid uuid']);
  });

  it('append, replace and upsert, checked row by row; create_if_missing false explains the table to create', async () => {
    await db.query('CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL, score numeric(6,2))');
    await db.query("INSERT INTO people SELECT i, 'person ' || i, i * 1.25 FROM generate_series(1, 50) AS i");
    await executeStep(makeStep('people', 'postgres.extractor', 'read', { connection: '@postgres.test', query: 'SELECT id, name, score FROM people WHERE id <= 40;' }), ctx);
    const source = await query('SELECT id, name, score::text FROM people WHERE id <= 40 ORDER BY id');
    const write = (id: string, config: Record<string, unknown>) => executeStep(makeStep(id, 'postgres.writer', 'write', { ...writerDefaults, connection: '@postgres.test', table: 'people_out', batch_size: 7, ...config }, ['people']), ctx);
    const target = () => query('SELECT id::int AS id, name, score::text FROM people_out ORDER BY id, name');

    assert.equal((await write('append-1', {})).rows, 40);
    assert.deepEqual(await target(), source);
    await write('append-2', {});
    assert.deepEqual(await target(), source.flatMap((row) => [row, row]), 'append adds every row again');

    await write('replace', { write_mode: 'replace', primary_key: 'id' });
    assert.deepEqual(await target(), source, 'replace leaves exactly the input');

    await db.query('ALTER TABLE people_out ADD PRIMARY KEY (id)');
    await db.query("UPDATE people_out SET name = 'stale', score = 0 WHERE id IN (3, 4)");
    await db.query('DELETE FROM people_out WHERE id = 5');
    await db.query("INSERT INTO people_out VALUES (999, 'kept', 1)");
    assert.equal((await write('upsert', { write_mode: 'upsert', primary_key: ['id'] })).rows, 40);
    assert.deepEqual(await target(), [...source, { id: 999, name: 'kept', score: '1.00' }], 'upsert updates, inserts, and keeps rows not in the input');

    await db.query('CREATE TABLE no_key (id integer, name text, score numeric)');
    const noKey = await rejection(write('upsert-no-key', { table: 'no_key', write_mode: 'upsert', primary_key: 'id' }));
    assert.equal(noKey.code, 'SQL_ERROR');
    assert.match(noKey.hint, /PRIMARY KEY or UNIQUE/);

    const absent = await rejection(write('strict', { table: 'absent', create_if_missing: false, primary_key: 'id' }));
    assert.equal(absent.code, 'CONFIG_INVALID');
    assert.match(absent.message, /strict.*@postgres\.test.*"public"\."absent"/);
    assert.match(absent.hint, /CREATE TABLE "public"\."absent" \(\n {2}"id" bigint NOT NULL,\n {2}"name" text,\n {2}"score" numeric\(6,2\),\n {2}PRIMARY KEY \("id"\)\n\)/);
  });

  it('a step that fails mid-write (progress callback throws) leaves nothing; the rerun writes each row once', async () => {
    await executeStep(makeStep('series', 'postgres.extractor', 'read', { connection: '@postgres.test', query: "SELECT i AS id, 'row ' || i AS label FROM generate_series(1, 1000) AS i" }), ctx);
    for (const [mode, primaryKey] of [['append', undefined], ['upsert', 'id']] as const) {
      const table = `retry_${mode}`;
      const step = makeStep(`retry-${mode}`, 'postgres.writer', 'write', { ...writerDefaults, connection: '@postgres.test', table, write_mode: mode, primary_key: primaryKey, batch_size: 100 }, ['series']);
      if (mode === 'upsert') await db.query(`CREATE TABLE ${table} (id bigint PRIMARY KEY, label text)`);
      const failAt300 = (p: StepProgress) => {
        if (p.rows >= 300) throw new OsirisError('TRANSIENT', 'injected failure', { hint: 'retried', retryable: true });
      };
      const failed = await rejection(executeStep(step, ctx, { onProgress: failAt300 }));
      assert.equal(failed.code, 'TRANSIENT');
      const after = await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname = $1`, [table]);
      if (mode === 'append') assert.deepEqual(after, [{ n: 0 }], 'the table created by the failed attempt was rolled back too');
      else assert.deepEqual(await query(`SELECT count(*)::int AS n FROM ${table}`), [{ n: 0 }]);
      assert.equal((await executeStep(step, ctx)).rows, 1000);
      assert.deepEqual(await query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, min(id)::int AS lo, max(id)::int AS hi FROM ${table}`), [{ n: 1000, d: 1000, lo: 1, hi: 1000 }]);
    }
  });

  it('loads 500k rows both ways with bounded memory', async () => {
    await db.query(`CREATE TABLE big AS SELECT i AS id, 'name-' || i AS name, ((i % 1000) * 1.5)::numeric(10,2) AS amount,
      timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second' AS ts, i * 0.5::float8 AS ratio, i % 2 = 0 AS even FROM generate_series(1, 500000) AS i`);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const baseline = process.memoryUsage().rss;
    try {
      let started = performance.now();
      const extracted = await executeStep(makeStep('big', 'postgres.extractor', 'read', { connection: '@postgres.test', table: 'big' }), ctx);
      const extractSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      const written = await executeStep(makeStep('big-out', 'postgres.writer', 'write', { ...writerDefaults, connection: '@postgres.test', table: 'big_copy' }, ['big']), ctx);
      const writeSeconds = (performance.now() - started) / 1000;
      assert.equal(extracted.rows, 500_000);
      assert.equal(written.rows, 500_000);
      console.log(`# 500k rows x 6 columns: extract ${extractSeconds.toFixed(2)} s (${Math.round(500_000 / extractSeconds)} rows/s), COPY write ${writeSeconds.toFixed(2)} s (${Math.round(500_000 / writeSeconds)} rows/s); peak RSS +${Math.round((peak - baseline) / 2 ** 20)} MiB`);
    } finally {
      clearInterval(sampler);
    }
    assert.deepEqual(await query('SELECT count(*)::int AS n FROM (SELECT * FROM big EXCEPT ALL SELECT id, name, amount, ts, ratio, even FROM big_copy) d'), [{ n: 0 }]);
    // The whole table as JS objects would take well over 1 GiB; batches keep it flat.
    assert.ok(peak - baseline < 400 * 2 ** 20, `peak RSS grew by ${Math.round((peak - baseline) / 2 ** 20)} MiB`);
  });

  it('discovers tables, columns, keys and estimates from the catalog; previews are read-only', async () => {
    await db.query('CREATE TABLE teams (team_id integer PRIMARY KEY, title varchar(40) NOT NULL)');
    await db.query('CREATE TABLE members (member_id integer PRIMARY KEY, team_id integer REFERENCES teams, nickname text)');
    await db.query("INSERT INTO teams VALUES (1, 'Ava DuVernay fans'), (2, 'others')");
    await db.query("INSERT INTO members VALUES (10, 1, 'ava_100%'), (11, 2, 'Agnès Évora')");
    await db.query('ANALYZE teams; ANALYZE members');
    const discovery = await openDiscovery({ family: 'postgres', alias: 'test', values: { url: server.url } });
    try {
      const tables = await discovery.listTables();
      assert.ok(tables.some((t) => t.name === 'members' && t.kind === 'table' && t.rowEstimate === 2));
      const members = await discovery.describeTable('members');
      assert.deepEqual(members.columns, [
        { name: 'member_id', type: 'integer', nullable: false },
        { name: 'team_id', type: 'integer', nullable: true },
        { name: 'nickname', type: 'text', nullable: true },
      ]);
      assert.deepEqual(members.primaryKey, ['member_id']);
      assert.deepEqual(members.foreignKeys, [{ columns: ['team_id'], refTable: 'teams', refColumns: ['team_id'] }]);
      assert.deepEqual(await discovery.sampleRows('teams', 1), { columns: ['team_id', 'title'], rows: [[1, 'Ava DuVernay fans']], truncated: true });
      assert.deepEqual(await discovery.search('DUVERNAY', { limitPerColumn: 5 }), [{ table: 'teams', column: 'title', row: { team_id: 1, title: 'Ava DuVernay fans' } }]);
      assert.deepEqual((await discovery.search('100%', { limitPerColumn: 5 })).map((h) => h.row.nickname), ['ava_100%']);
      // Case- and accent-insensitive, both ways, capitals included.
      assert.deepEqual((await discovery.search('agnes evora', { limitPerColumn: 5 })).map((h) => h.row.nickname), ['Agnès Évora']);
      assert.deepEqual((await discovery.search('ÉVORA', { limitPerColumn: 5 })).map((h) => h.row.nickname), ['Agnès Évora']);
      assert.deepEqual(await discovery.previewQuery('SELECT count(*)::int AS n FROM members;', 10), { columns: ['n'], rows: [[2]], truncated: false });
      assert.equal((await rejection(discovery.previewQuery('DELETE FROM members', 10))).code, 'SQL_REFUSED');
      assert.equal((await rejection(discovery.previewQuery('SELECT * FROM members; DELETE FROM members', 10))).code, 'SQL_ERROR');
      assert.equal((await rejection(discovery.previewQuery("SELECT set_config('default_transaction_read_only', 'off', false), nextval('pg_class_oid_seq')", 10))).retryable, false);
      assert.deepEqual(await query('SELECT count(*)::int AS n FROM members'), [{ n: 2 }]);
    } finally {
      await discovery.close();
    }
  });

  it('a wrong password or an unreachable server fails clearly, naming the alias and never the secret', async () => {
    const password = 'wrong-secret-password';
    const wrong = await rejection(openDiscovery({ family: 'postgres', alias: 'prod', values: { url: server.url.replace(server.password, password) }, secrets: [] }));
    assert.equal(wrong.code, 'CONNECTION_FAILED');
    assert.equal(wrong.retryable, false);
    assert.match(wrong.message, /@postgres\.prod/);
    assert.ok(!`${wrong.message} ${wrong.hint}`.includes(password));

    const closedPort = server.port === 1 ? 2 : 1;
    const unreachable = await rejection(openDiscovery({ family: 'postgres', alias: 'gone', values: { host: '127.0.0.1', port: closedPort, user: 'u', password, database: 'd' } }));
    assert.equal(unreachable.code, 'CONNECTION_FAILED');
    assert.equal(unreachable.retryable, true);
    assert.match(unreachable.message, /@postgres\.gone: cannot reach/);
    assert.ok(!`${unreachable.message} ${unreachable.hint}`.includes(password));

    const step = makeStep('bad-write', 'postgres.writer', 'write', { ...writerDefaults, connection: '@postgres.bad', table: 'x' }, ['people']);
    const run = await connectorRun({ '@postgres.bad': { family: 'postgres', alias: 'bad', values: { url: server.url.replace(server.password, password) }, secrets: [] } });
    try {
      const failed = await rejection(executeStep(step, { ...run.ctx, workspaceDir: ctx.workspaceDir }));
      assert.equal(failed.code, 'CONNECTION_FAILED');
      assert.ok(!failed.message.includes(password));
    } finally {
      await run.cleanup();
    }
  });
});
