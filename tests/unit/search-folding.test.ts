import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { foldText, SQL_FOLD } from '../../src/connectors/discovery.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { openSqliteDiscovery } from '../../src/connectors/sqlite/discovery.js';

test('foldText drops case and accents, including letters NFKD keeps (ø, ł, ß)', () => {
  assert.equal(foldText('Agnès Varda'), 'agnes varda');
  assert.equal(foldText('Søren Łukasz Weiß ÉMILE'), 'soren lukasz weis emile');
  assert.equal(SQL_FOLD.from.length, SQL_FOLD.to.length);
  assert.ok(SQL_FOLD.from.includes('É') && SQL_FOLD.from.includes('é'));
});

test('SQLite search is case- and accent-insensitive: "agnes varda" finds "Agnès Varda" on the demo', async () => {
  const file = await ensureDemoDatabase(mkdtempSync(path.join(os.tmpdir(), 'osiris-fold-')));
  const discovery = await openSqliteDiscovery({ family: 'sqlite', alias: 'demo', values: { path: file } });
  try {
    const names = async (term: string) => (await discovery.search(term, { tables: ['directors'], limitPerColumn: 5 })).map((h) => h.row.name);
    assert.deepEqual(await names('agnes varda'), ['Agnès Varda']);
    assert.deepEqual(await names('CELINE sciamma'), ['Céline Sciamma']);
    assert.deepEqual(await names('Agnès'), ['Agnès Varda']);
    assert.deepEqual(await names('100%'), [], 'LIKE wildcards in the term are literal');
  } finally {
    await discovery.close();
  }
});
