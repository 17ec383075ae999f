import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openDiscovery } from '../../src/connectors/families.js';
import type { ResolvedConnection } from '../../src/connections/types.js';
import { OsirisError } from '../../src/errors.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import type { RunSetup, StepProgress } from '../../src/dataplane/step-contract.js';
import { connectorRun, makeStep, readStepRows, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { startTestPostgrest, type TestPostgrest } from '../support/postgrest-server.js';
import { rejection } from '../support/rejection.js';

const KEY = 'service-role-secret-key-0123456789';
let server: TestPostgres;
let rest: TestPostgrest;
let db: pg.Client;
let ctx: RunSetup;
let cleanup: () => Promise<void>;
const connection = (alias: string, values: Record<string, unknown>): ResolvedConnection => ({ family: 'supabase', alias, values, secrets: [KEY] });
const query = async (sql: string) => (await db.query(sql)).rows as Record<string, unknown>[];
const writerDefaults = { create_if_missing: true, write_mode: 'append' };


before(async () => {
  server = await startTestPostgres();
  db = new pg.Client({ connectionString: server.url });
  await db.connect();
  rest = await startTestPostgrest({ databaseUrl: server.url, key: KEY });
  ({ ctx, cleanup } = await connectorRun({
    '@supabase.rest': connection('rest', { url: rest.url, key: KEY }),
    '@supabase.wire': connection('wire', { url: rest.url, key: KEY, database_url: server.url }),
  }));
  await db.query(`CREATE TABLE items (id integer PRIMARY KEY, price numeric(12,2), free numeric, ts timestamptz, doc jsonb, uid uuid, tags text[], label text, flag boolean)`);
  await db.query(`INSERT INTO items SELECT i, i * 1.25, '0.1000000000000000000000001', timestamptz '2024-03-01 12:00:00.123456+00' + i * interval '1 hour',
    jsonb_build_object('i', i, 'nested', jsonb_build_array(i, 'x')), md5(i::text)::uuid, ARRAY['t' || i, 'a "quoted", one'], 'label ' || i || ' 🚀', i % 2 = 0
    FROM generate_series(1, 25) AS i`);
  await db.query('INSERT INTO items (id) VALUES (26)');
});

after(async () => {
  await db?.end();
  await rest?.close();
  await cleanup?.();
  await server?.stop();
});

describe('supabase over the REST API (supabase-js against a local PostgREST-compatible server on a real PostgreSQL)', () => {
  it('extracts page by page, ordered by the primary key, with exact values', async () => {
    const before = rest.requests.length;
    const result = await executeStep(makeStep('items', 'supabase.extractor', 'read', { connection: '@supabase.rest', table: 'items', batch_size: 10 }), ctx);
    assert.equal(result.rows, 26);
    const gets = rest.requests.slice(before).filter((r) => r.method === 'GET' && r.path.startsWith('/rest/v1/items'));
    assert.deepEqual(gets.map((r) => new URL(r.path, 'http://x').searchParams.get('offset')), ['0', '10', '20', '26'], 'pages until an empty one');
    assert.ok(gets.every((r) => new URL(r.path, 'http://x').searchParams.get('order') === 'id.asc'));

    const types = await readStepRows(ctx, 'items', "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'df_items' ORDER BY ordinal_position");
    assert.deepEqual(Object.fromEntries(types.map((t) => [t.column_name, t.data_type])), {
      id: 'BIGINT', price: 'VARCHAR', free: 'VARCHAR', ts: 'TIMESTAMP WITH TIME ZONE', doc: 'JSON', uid: 'UUID', tags: 'JSON', label: 'VARCHAR', flag: 'BOOLEAN',
    });
    const rows = await readStepRows(ctx, 'items', "SELECT id, price, free, strftime(timezone('UTC', ts), '%Y-%m-%d %H:%M:%S.%f') AS ts, doc::VARCHAR AS doc, uid::VARCHAR AS uid, tags::VARCHAR AS tags, label, flag FROM df_items ORDER BY id");
    const expected = await query(`SELECT id, price::text, free::text, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS ts, doc::text, uid::text, to_json(tags)::text AS tags, label, flag FROM items ORDER BY id`);
    assert.equal(rows.length, expected.length);
    rows.forEach((row, i) => {
      const want = expected[i]!;
      assert.equal(row.id, BigInt(want.id as number));
      // PostgREST sends numeric as a JSON number: exact as long as it fits a double (numeric(12,2) does).
      assert.equal(row.price === null ? null : Number(row.price).toFixed(2), want.price);
      assert.equal(row.ts, want.ts);
      assert.deepEqual(row.doc === null ? null : JSON.parse(row.doc as string), want.doc === null ? null : JSON.parse(want.doc as string));
      assert.equal(row.uid, want.uid);
      assert.deepEqual(row.tags === null ? null : JSON.parse(row.tags as string), want.tags === null ? null : JSON.parse(want.tags as string));
      assert.equal(row.label, want.label);
      assert.equal(row.flag, want.flag);
    });
    assert.equal(rows[0]!.free, '0.1', 'an unconstrained numeric loses digits in JSON (use database_url for exact values)');
  });

  it('writes append / replace / upsert in idempotent batches, checked row by row; retries 429 and 503', async () => {
    await db.query('CREATE TABLE items_out (LIKE items INCLUDING ALL)');
    const write = (id: string, config: Record<string, unknown>) =>
      executeStep(makeStep(id, 'supabase.writer', 'write', { ...writerDefaults, connection: '@supabase.rest', table: 'items_out', primary_key: 'id', batch_size: 8, ...config }, ['items']), ctx);
    const same = () =>
      query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE s.price IS NOT DISTINCT FROM t.price AND s.ts IS NOT DISTINCT FROM t.ts AND s.doc IS NOT DISTINCT FROM t.doc
        AND s.uid IS NOT DISTINCT FROM t.uid AND s.tags IS NOT DISTINCT FROM t.tags AND s.label IS NOT DISTINCT FROM t.label AND s.flag IS NOT DISTINCT FROM t.flag)::int AS same
        FROM items s FULL JOIN items_out t USING (id)`);

    assert.equal((await write('append', {})).rows, 26);
    assert.deepEqual(await same(), [{ n: 26, same: 26 }]);
    await write('append-again', {});
    assert.deepEqual(await same(), [{ n: 26, same: 26 }], 'append with a primary key skips rows already written');

    await db.query("UPDATE items_out SET label = 'stale' WHERE id = 3; DELETE FROM items_out WHERE id = 4; INSERT INTO items_out (id, label) VALUES (100, 'extra')");
    rest.failNext(2, 503);
    await write('upsert', { write_mode: 'upsert' });
    assert.deepEqual(await query("SELECT count(*)::int AS n FROM items_out WHERE id = 100 OR label = 'stale'"), [{ n: 1 }], 'upsert fixed id 3 and kept id 100');
    assert.ok(rest.requests.filter((r) => r.status === 503).length >= 2, 'the 503s happened and were retried');

    rest.failNext(1, 429);
    await write('replace', { write_mode: 'replace' });
    assert.deepEqual(await same(), [{ n: 26, same: 26 }], 'replace leaves exactly the input');
  });

  it('a step that fails mid-way is retried without duplicating rows', async () => {
    await db.query('CREATE TABLE items_retry (LIKE items INCLUDING ALL)');
    const step = makeStep('retry', 'supabase.writer', 'write', { ...writerDefaults, connection: '@supabase.rest', table: 'items_retry', primary_key: 'id', batch_size: 5 }, ['items']);
    const failAt10 = (p: StepProgress) => {
      if (p.rows >= 10) throw new OsirisError('TRANSIENT', 'injected failure', { hint: 'retried', retryable: true });
    };
    assert.equal((await rejection(executeStep(step, ctx, { onProgress: failAt10 }))).code, 'TRANSIENT');
    assert.deepEqual(await query('SELECT count(*)::int AS n FROM items_retry'), [{ n: 10 }], 'two batches were committed before the failure');
    assert.equal((await executeStep(step, ctx)).rows, 26);
    assert.deepEqual(await query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM items_retry'), [{ n: 26, d: 26 }]);
  });

  it('a missing table explains how to create it; append without a key must fit one request', async () => {
    const missing = await rejection(executeStep(makeStep('missing', 'supabase.writer', 'write', { ...writerDefaults, connection: '@supabase.rest', table: 'new_table', primary_key: 'id' }, ['items']), ctx));
    assert.equal(missing.code, 'CONFIG_INVALID');
    assert.match(missing.message, /Step "missing": @supabase\.rest has no table "public"\."new_table", and the REST API cannot create tables/);
    assert.match(missing.hint, /CREATE TABLE "public"\."new_table" \(\n {2}"id" bigint NOT NULL,\n {2}"price" text,[^]*"tags" jsonb,[^]*PRIMARY KEY \("id"\)\n\);/);

    await db.query('CREATE TABLE no_key (LIKE items)');
    const noKey = (batch: number) => executeStep(makeStep(`nokey-${batch}`, 'supabase.writer', 'write', { ...writerDefaults, connection: '@supabase.rest', table: 'no_key', batch_size: batch }, ['items']), ctx);
    assert.equal((await rejection(noKey(10))).code, 'CONFIG_INVALID');
    assert.equal((await noKey(100)).rows, 26);
    assert.deepEqual(await query('SELECT count(*)::int AS n FROM no_key'), [{ n: 26 }]);
  });

  it('discovers tables, columns and keys from the OpenAPI document', async () => {
    await db.query('CREATE TABLE owners (owner_id integer PRIMARY KEY, name text NOT NULL)');
    await db.query('CREATE TABLE pets (pet_id integer PRIMARY KEY, owner_id integer REFERENCES owners, name varchar(20))');
    await db.query("INSERT INTO owners VALUES (1, 'Ava DuVernay'), (2, 'Bob'); INSERT INTO pets VALUES (1, 1, 'Rex')");
    await db.query('CREATE VIEW pet_names AS SELECT name FROM pets');
    const discovery = await openDiscovery(connection('rest', { url: rest.url, key: KEY }));
    try {
      const tables = await discovery.listTables();
      assert.deepEqual(tables.filter((t) => ['owners', 'pets', 'pet_names'].includes(t.name)), [
        { name: 'owners', kind: 'table' },
        { name: 'pet_names', kind: 'view' },
        { name: 'pets', kind: 'table' },
      ]);
      const pets = await discovery.describeTable('pets');
      assert.deepEqual(pets.columns, [
        { name: 'pet_id', type: 'integer', nullable: false },
        { name: 'owner_id', type: 'integer', nullable: true },
        { name: 'name', type: 'character varying', nullable: true },
      ]);
      assert.deepEqual([pets.primaryKey, pets.foreignKeys, pets.rowEstimate], [['pet_id'], [{ columns: ['owner_id'], refTable: 'owners', refColumns: ['owner_id'] }], 1]);
      assert.deepEqual(await discovery.sampleRows('owners', 1), { columns: ['owner_id', 'name'], rows: [[1, 'Ava DuVernay']], truncated: true });
      assert.deepEqual(await discovery.search('duvernay', { tables: ['owners', 'pets'], limitPerColumn: 3 }), [{ table: 'owners', column: 'name', row: { owner_id: 1, name: 'Ava DuVernay' } }]);
      assert.equal((await rejection(discovery.previewQuery('SELECT 1', 5))).code, 'CONFIG_INVALID');
    } finally {
      await discovery.close();
    }
  });

  it('a wrong key or an unreachable URL fails clearly, naming the alias and never the key', async () => {
    const wrongKey = 'wrong-key-that-must-not-leak-42';
    const wrong = await rejection(openDiscovery({ family: 'supabase', alias: 'prod', values: { url: rest.url, key: wrongKey }, secrets: [wrongKey] }));
    assert.equal(wrong.code, 'CONNECTION_FAILED');
    assert.equal(wrong.retryable, false);
    assert.match(wrong.message, /@supabase\.prod: the REST API refused the key \(HTTP 401/);
    assert.ok(!`${wrong.message} ${wrong.hint}`.includes(wrongKey));

    const run = await connectorRun({ '@supabase.down': connection('down', { url: 'http://127.0.0.1:1', key: KEY }) });
    try {
      const down = await rejection(executeStep(makeStep('down', 'supabase.extractor', 'read', { connection: '@supabase.down', table: 'items' }), run.ctx));
      assert.equal(down.code, 'CONNECTION_FAILED');
      assert.equal(down.retryable, true);
      assert.match(down.message, /Step "down": @supabase\.down: cannot reach the REST API/);
      assert.ok(!`${down.message} ${down.hint}`.includes(KEY));
    } finally {
      await run.cleanup();
    }
  });
});

describe('supabase with database_url (the PostgreSQL wire path, real PostgreSQL)', () => {
  it('extracts with SQL and upserts through COPY + ON CONFLICT, exact numerics', async () => {
    const extract = makeStep('wire-items', 'supabase.extractor', 'read', { connection: '@supabase.wire', query: 'SELECT id, price, free, tags FROM items WHERE id <= 20' });
    assert.equal((await executeStep(extract, ctx)).rows, 20);
    const [first] = await readStepRows(ctx, 'wire-items', 'SELECT free, price::VARCHAR AS price FROM df_wire_items ORDER BY id LIMIT 1');
    assert.deepEqual(first, { free: '0.1000000000000000000000001', price: '1.25' });
    await db.query('CREATE TABLE wire_out (id integer PRIMARY KEY, price numeric(12,2), free numeric, tags text[])');
    const upsert = makeStep('wire-upsert', 'supabase.writer', 'write', { ...writerDefaults, connection: '@supabase.wire', table: 'wire_out', write_mode: 'upsert', primary_key: 'id' }, ['wire-items']);
    assert.equal((await executeStep(upsert, ctx)).rows, 20);
    assert.deepEqual(await query('SELECT count(*)::int AS n FROM items s JOIN wire_out t USING (id) WHERE s.price = t.price AND s.free = t.free AND s.tags = t.tags'), [{ n: 20 }]);
  });
});
