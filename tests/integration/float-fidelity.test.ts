import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { ResolvedConnection } from '../../src/connections/types.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import type { RunSetup } from '../../src/dataplane/step-contract.js';
import { startTestMariadb, type TestMariadb } from '../support/mariadb.js';
import { connectorRun, makeStep, readStepRows, startTestPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * Doubles and floats must arrive in DuckDB bit for bit. The values are chosen to expose parsers that
 * accumulate digits (mysql2's loses the last bit of ~1 % of doubles, e.g. 90.28580457071429): random
 * doubles written as their shortest round-trip text, random bit patterns, extremes, and float32s.
 */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function testDoubles(): number[] {
  const random = seeded(42);
  const bits = new DataView(new ArrayBuffer(8));
  const values = [90.28580457071429, 0.1, 1 / 3, Math.PI, 1e-300, 1.7976931348623157e308, 5e-324, -2.5e-8, 123456789.12345679];
  for (let i = 0; i < 1500; i++) values.push(random() * 100, (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
  for (let i = 0; i < 300; i++) {
    bits.setUint32(0, Math.floor(random() * 2 ** 32));
    bits.setUint32(4, Math.floor(random() * 2 ** 32));
    const value = bits.getFloat64(0);
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

const doubles = testDoubles();
// Normal float32 values (MariaDB stores -0 in a FLOAT as 0, a server trait left out here).
const floats = doubles.map((d) => Math.fround(d)).filter((f) => Number.isFinite(f) && !Object.is(f, -0) && (f === 0 || Math.abs(f) > 1.2e-38));

/** Shortest round-trip text, keeping the sign of zero (String(-0) is "0"). */
const literal = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

/** Differences as "id: expected -> got", bit-exact (Object.is, so -0 and 0 differ). */
function mismatches(expected: readonly number[], rows: Record<string, unknown>[], column: string): string[] {
  assert.equal(rows.length, expected.length);
  return rows.flatMap((row) => {
    const id = Number(row.id);
    return Object.is(row[column], expected[id]) ? [] : [`${id}: ${expected[id]} -> ${String(row[column])}`];
  });
}

describe('floating point values round-trip bit-exact', () => {
  let mariadb: TestMariadb;
  let postgres: TestPostgres;
  let ctx: RunSetup;
  let cleanup: () => Promise<void>;

  before(async () => {
    [mariadb, postgres] = await Promise.all([startTestMariadb(), startTestPostgres()]);
    const pgValues = { host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.database };
    const connections: Record<string, ResolvedConnection> = {
      '@mysql.floats': { family: 'mysql', alias: 'floats', values: mariadb.values('floats'), secrets: [] },
      '@postgres.floats': { family: 'postgres', alias: 'floats', values: pgValues, secrets: [] },
    };
    ({ ctx, cleanup } = await connectorRun(connections));
    await mariadb.query('CREATE DATABASE floats');
    await mariadb.query('CREATE TABLE floats.d (id INT PRIMARY KEY, v DOUBLE)');
    await mariadb.query('CREATE TABLE floats.f (id INT PRIMARY KEY, v FLOAT)');
    // Shortest round-trip text (String(x)) parsed by the server is exactly x.
    await mariadb.query(`INSERT INTO floats.d VALUES ${doubles.map((v, i) => `(${i}, ${literal(v)})`).join(', ')}`);
    await mariadb.query(`INSERT INTO floats.f VALUES ${floats.map((v, i) => `(${i}, ${literal(v)})`).join(', ')}`);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query('CREATE TABLE d (id int PRIMARY KEY, v double precision); CREATE TABLE f (id int PRIMARY KEY, v real)');
    await client.query(`INSERT INTO d VALUES ${doubles.map((v, i) => `(${i}, '${literal(v)}')`).join(', ')}`);
    await client.query(`INSERT INTO f VALUES ${floats.map((v, i) => `(${i}, '${literal(v)}')`).join(', ')}`);
    await client.end();
  });

  after(async () => {
    await cleanup?.();
    await Promise.all([mariadb?.stop(), postgres?.stop()]);
  });

  for (const [family, source] of [['mysql', 'MariaDB'], ['postgres', 'PostgreSQL']] as const) {
    it(`${source} DOUBLE / double precision`, async () => {
      await executeStep(makeStep(`${family}-d`, `${family}.extractor`, 'read', { connection: `@${family}.floats`, table: 'd' }), ctx);
      const rows = await readStepRows(ctx, `${family}-d`, 'SELECT id, v FROM "df_' + family + '_d" ORDER BY id');
      assert.deepEqual(mismatches(doubles, rows, 'v').slice(0, 10), []);
    });

    it(`${source} FLOAT / real keeps the 32-bit value`, async () => {
      // MariaDB prints FLOAT with 6 significant digits in its text protocol, so exact values need the
      // server to widen them (documented in the README); PostgreSQL's real text is exact.
      const config = family === 'mysql' ? { query: 'SELECT id, CAST(v AS DOUBLE) AS v FROM f' } : { table: 'f' };
      await executeStep(makeStep(`${family}-f`, `${family}.extractor`, 'read', { connection: `@${family}.floats`, ...config }), ctx);
      const rows = await readStepRows(ctx, `${family}-f`, 'SELECT id, CAST(v AS DOUBLE) AS v FROM "df_' + family + '_f" ORDER BY id');
      assert.deepEqual(mismatches(floats, rows, 'v').slice(0, 10), []);
    });
  }
});
