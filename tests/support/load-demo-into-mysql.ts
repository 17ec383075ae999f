import Database from 'better-sqlite3';
import { quoteMysqlIdent } from '../../src/connectors/mysql/client.js';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import type { TestMariadb } from './mariadb.js';

const TYPES: Record<string, string> = { INTEGER: 'BIGINT', REAL: 'DOUBLE', TEXT: 'VARCHAR(255)' };

/** Copies the bundled movies demo (SQLite) into MariaDB database `database`. Returns the table names. */
export async function loadDemoIntoMysql(server: TestMariadb, database: string, demoDir: string): Promise<string[]> {
  return loadSqliteIntoMysql(server, database, await ensureDemoDatabase(demoDir));
}

/**
 * Copies a SQLite file into MariaDB database `database`, with the same primary and foreign keys,
 * tables in dependency order (creation order). Returns the table names.
 */
export async function loadSqliteIntoMysql(server: TestMariadb, database: string, file: string): Promise<string[]> {
  const sqlite = new Database(file, { readonly: true });
  try {
    await server.query(`CREATE DATABASE ${quoteMysqlIdent(database)} CHARACTER SET utf8mb4`);
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").all() as { name: string }[]).map((t) => t.name);
    for (const table of tables) {
      const columns = sqlite.prepare('SELECT name, type, "notnull" AS required, pk FROM pragma_table_info(?) ORDER BY cid').all(table) as { name: string; type: string; required: number; pk: number }[];
      const fks = sqlite.prepare('SELECT "table" AS ref, "from" AS col, "to" AS refcol FROM pragma_foreign_key_list(?)').all(table) as { ref: string; col: string; refcol: string }[];
      const definitions = [
        ...columns.map((c) => `${quoteMysqlIdent(c.name)} ${TYPES[c.type.toUpperCase()] ?? 'VARCHAR(255)'}${c.required || c.pk ? ' NOT NULL' : ''}`),
        `PRIMARY KEY (${columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => quoteMysqlIdent(c.name)).join(', ')})`,
        ...fks.map((fk) => `FOREIGN KEY (${quoteMysqlIdent(fk.col)}) REFERENCES ${quoteMysqlIdent(fk.ref)} (${quoteMysqlIdent(fk.refcol)})`),
      ];
      await server.query(`CREATE TABLE ${quoteMysqlIdent(table)} (${definitions.join(', ')})`, [], database);
      const rows = sqlite.prepare(`SELECT * FROM "${table}"`).raw(true).all() as unknown[][];
      if (rows.length > 0) await server.query(`INSERT INTO ${quoteMysqlIdent(table)} VALUES ?`, [rows], database);
    }
    await server.query('ANALYZE TABLE ' + tables.map(quoteMysqlIdent).join(', '), [], database);
    return tables;
  } finally {
    sqlite.close();
  }
}
