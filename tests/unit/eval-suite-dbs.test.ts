/** The eval suites that ship a SQLite database: the committed file is what its generator builds, and the suite is well formed. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { buildHospitalDatabase } from '../../src/agent/eval/hospital-db.js';
import { buildLogisticsDatabase } from '../../src/agent/eval/logistics-db.js';
import { buildMusicDatabase } from '../../src/agent/eval/music-db.js';
import { buildRentalDatabase } from '../../src/agent/eval/rental-db.js';
import { buildSchoolDatabase } from '../../src/agent/eval/school-db.js';
import { buildTradeDatabase } from '../../src/agent/eval/trade-db.js';
import { buildStaffDatabase } from '../../src/agent/eval/staff-db.js';
import { buildShopDatabase } from '../../src/agent/eval/shop-db.js';
import { loadSuite, taskMessages } from '../../src/agent/eval/suite.js';

/** Every table's schema and rows, in a comparable form. */
function dump(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string; sql: string }[];
    return JSON.stringify(tables.map((t) => ({ ...t, rows: db.prepare(`SELECT * FROM "${t.name}" ORDER BY 1, 2`).raw(true).all() })));
  } finally {
    db.close();
  }
}

// The suites that ship their own database, each with the generator that builds it.
const SHIPPED = [
  { name: 'shop', build: buildShopDatabase, minTasks: 25 },
  { name: 'hospital', build: buildHospitalDatabase, minTasks: 30 },
  { name: 'logistics', build: buildLogisticsDatabase, minTasks: 30 },
  { name: 'school', build: buildSchoolDatabase, minTasks: 25 },
  { name: 'music', build: buildMusicDatabase, minTasks: 25 },
  { name: 'rental', build: buildRentalDatabase, minTasks: 20 },
  { name: 'trade', build: buildTradeDatabase, minTasks: 20 },
  { name: 'staff', build: buildStaffDatabase, minTasks: 20 },
];

for (const { name, build, minTasks } of SHIPPED) {
  test(`evals/${name}.sqlite is exactly what the generator builds (rebuild: node --import tsx scripts/build-${name}-db.mts)`, () => {
    const fresh = path.join(mkdtempSync(path.join(os.tmpdir(), `osiris-${name}-`)), `${name}.sqlite`);
    build(fresh);
    assert.equal(dump(path.resolve(`evals/${name}.sqlite`)), dump(fresh));
  });

  test(`the ${name} suite has at least ${minTasks} tasks, multi-turn ones among them, and ships its own database`, () => {
    const suite = loadSuite(path.resolve(`evals/${name}-suite.yaml`));
    assert.ok(suite.tasks.length >= minTasks);
    assert.ok(suite.tasks.filter((t) => taskMessages(t).length > 1).length >= 3);
    assert.equal(suite.sqliteFile, path.resolve(`evals/${name}.sqlite`));
  });
}

test('a task needs exactly one of prompt or messages', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-suite-'));
  const file = path.join(dir, 'bad.yaml');
  const text = 'version: 1\nname: bad\ntasks:\n  - id: both\n    prompt: a\n    messages: [b]\n    reference_sql: SELECT 1\n';
  writeFileSync(file, text);
  assert.throws(() => loadSuite(file), /give exactly one of prompt \(one message\) or messages/);
});
