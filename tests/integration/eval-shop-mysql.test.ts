/**
 * The shop suite (evals/shop-suite.yaml) with the default offline provider on MariaDB: the same rows
 * as evals/shop.sqlite loaded into a real server, discovered, searched (case- and accent-insensitive)
 * and queried in the MySQL dialect. The accuracy gate is the one CI applies to the SQLite run.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { runEval } from '../../src/agent/eval/run-eval.js';
import { loadSuite } from '../../src/agent/eval/suite.js';
import { createProvider } from '../../src/agent/providers/index.js';
import { loadSqliteIntoMysql } from '../support/load-demo-into-mysql.js';
import { startTestMariadb, type TestMariadb } from '../support/mariadb.js';
import { makeProject, testConfig, writeProjectFiles } from '../support/project.js';

const SHOP_MIN_ACCURACY = 0.8;
let mariadb: TestMariadb;
let projectDir: string;

before(async () => {
  mariadb = await startTestMariadb();
  await loadSqliteIntoMysql(mariadb, 'shop', path.resolve('evals/shop.sqlite'));
  projectDir = makeProject();
  writeProjectFiles(projectDir, { 'osiris_connections.yaml': stringify({ connections: { mysql: { shop: mariadb.values('shop') } } }) });
});

after(async () => {
  await mariadb?.stop();
});

describe('shop suite on MariaDB with the offline provider', () => {
  test(`reaches ${SHOP_MIN_ACCURACY * 100}% and agrees with the reference SQL run on MariaDB`, async (t) => {
    const sqliteSuite = loadSuite(path.resolve('evals/shop-suite.yaml'));
    const suite = { ...sqliteSuite, connection: '@mysql.shop', sqliteFile: undefined };
    const config = testConfig(projectDir, '127.0.0.1:1');
    const report = await runEval(suite, { config, provider: createProvider(config.llm) });
    const failed = report.tasks.filter((r) => !r.passed).map((r) => `${r.id}: ${r.reason}`);
    t.diagnostic(`shop suite on MariaDB: ${report.passed}/${report.tasks.length} (${(report.accuracy * 100).toFixed(1)}%)`);
    assert.ok(report.accuracy >= SHOP_MIN_ACCURACY, `accuracy ${report.accuracy}; failed:\n${failed.join('\n')}`);
    // The multi-turn tasks (find -> pronoun -> export) pass on MySQL too.
    for (const id of ['agnes-orders-multi-turn-csv', 'zoe-orders-three-turns-json', 'celine-late-orders-multi-turn-csv']) {
      assert.ok(report.tasks.find((r) => r.id === id)?.passed, `${id}: ${failed.join('\n')}`);
    }
  });
});
