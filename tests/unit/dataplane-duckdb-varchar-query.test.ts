import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Database } from '@duckdb/node-bindings';
import { openMemoryDatabase, queryVarchar } from '../../src/dataplane/duckdb-varchar-query.js';

describe('queryVarchar', () => {
  let database: Database;
  before(async () => {
    database = await openMemoryDatabase({ enable_external_access: 'false' });
  });

  // DuckDB keeps up to 12 bytes inside the vector and points to longer strings: both ways, and at the edge.
  for (const value of ['', 'abc', 'twelve bytes', 'thirteen byte', 'é😀 ü', 'x'.repeat(100_000), "it's; DROP TABLE t; --"]) {
    it(`returns ${JSON.stringify(value.slice(0, 20))} (${Buffer.byteLength(value)} bytes) bound as a parameter`, async () => {
      assert.equal(await queryVarchar(database, 'SELECT $1::VARCHAR', [value]), value);
    });
  }

  it('binds several parameters in order', async () => {
    assert.equal(await queryVarchar(database, "SELECT $1 || '/' || $2", ['a', 'b']), 'a/b');
  });

  it('returns null for NULL and for no row', async () => {
    assert.equal(await queryVarchar(database, 'SELECT NULL::VARCHAR'), null);
    assert.equal(await queryVarchar(database, "SELECT 'x' WHERE false"), null);
  });

  it('refuses a column that is not a VARCHAR', async () => {
    await assert.rejects(queryVarchar(database, 'SELECT 42'), /expected a VARCHAR column/);
  });

  it('rejects with DuckDB\'s message for bad SQL', async () => {
    await assert.rejects(queryVarchar(database, 'SELEC 1'), /syntax error/i);
  });
});
