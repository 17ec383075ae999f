import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DuckDBBlobValue, type DuckDBValue } from '@duckdb/node-api';
import type Database from 'better-sqlite3';
import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import { describeTable, quoteIdent, singleInputTable, withStepInputs } from '../../dataplane/step-db.js';
import { DEFAULT_BATCH_SIZE } from '../../dataplane/table-sink.js';
import type { RunContext, StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { openSqlite, quoteSqliteIdent, sqlitePath } from './client.js';
import { checkKeyColumns, writerPrimaryKey, type TableWriterConfig } from '../table-config.js';
import { sqliteWriterSpec } from './spec.js';


interface ColumnPlan {
  name: string;
  /** SQLite column type used when the table is created. */
  sqliteType: 'INTEGER' | 'REAL' | 'TEXT' | 'BLOB';
  /** DuckDB expression that yields a value SQLite can bind (bigint, number, string, blob). */
  select: string;
}

/**
 * Writes the input table into a SQLite table. The whole write is one SQLite transaction: a failed or
 * retried attempt rolls back completely, so a retried append never duplicates rows, and replace
 * (drop, create, fill) becomes visible to readers all at once.
 */
export async function runSqliteWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = sqliteWriterSpec.config.parse(step.config) as TableWriterConfig;
  const input = singleInputTable(step);
  const primaryKey = writerPrimaryKey(config, step.id);
  const file = sqlitePath(config.connection, ctx, step.id);
  await mkdir(path.dirname(file), { recursive: true });
  const batchSize = config.batch_size ?? DEFAULT_BATCH_SIZE;

  const rows = await withStepInputs(step, ctx, async (conn) => {
    const columns = (await describeTable(conn, input)).map(planColumn);
    checkKeyColumns(primaryKey, columns, input, step.id);
    const result = await conn.stream(`SELECT ${columns.map((column) => column.select).join(', ')} FROM ${quoteIdent(input)}`);
    const db = openSqlite(file, 'write');
    try {
      db.exec('BEGIN IMMEDIATE');
      prepareTable(db, config, columns, primaryKey, step.id);
      const insert = db.prepare(insertSql(config, columns, primaryKey));
      let written = 0;
      let sinceProgress = 0;
      for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        for (const row of chunk.getRows()) insert.run(row.map(toSqliteValue));
        written += chunk.rowCount;
        sinceProgress += chunk.rowCount;
        if (sinceProgress >= batchSize) {
          sinceProgress = 0;
          options.onProgress?.({ stepId: step.id, rows: written });
          await yieldToEventLoop();
          options.signal?.throwIfAborted();
        }
      }
      if (sinceProgress > 0) options.onProgress?.({ stepId: step.id, rows: written });
      db.exec('COMMIT');
      return written;
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    }
  });
  return { rows, outputs: [] };
}

function planColumn({ name, type }: { name: string; type: string }): ColumnPlan {
  const column = quoteIdent(name);
  const base = type.split('(')[0]!;
  if (['BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'HUGEINT', 'UHUGEINT'].includes(base)) {
    return { name, sqliteType: 'INTEGER', select: `CAST(${column} AS BIGINT)` };
  }
  if (['FLOAT', 'DOUBLE', 'DECIMAL'].includes(base)) return { name, sqliteType: 'REAL', select: `CAST(${column} AS DOUBLE)` };
  if (base === 'BLOB') return { name, sqliteType: 'BLOB', select: column };
  // Dates, timestamps, nested types...: SQLite keeps them as text (ISO format for dates and times).
  return { name, sqliteType: 'TEXT', select: `CAST(${column} AS VARCHAR)` };
}

function prepareTable(db: Database.Database, config: TableWriterConfig, columns: ColumnPlan[], primaryKey: string[], stepId: string): void {
  const table = quoteSqliteIdent(config.table);
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(config.table) !== undefined;
  if (!exists && !config.create_if_missing) {
    throw new OsirisError('CONFIG_INVALID', `Step "${stepId}": table "${config.table}" does not exist and create_if_missing is false`, {
      hint: 'Create the table first, or set `create_if_missing: true`.',
    });
  }
  if (config.write_mode === 'replace') db.exec(`DROP TABLE IF EXISTS ${table}`);
  if (!exists || config.write_mode === 'replace') {
    const definitions = columns.map((column) => `${quoteSqliteIdent(column.name)} ${column.sqliteType}`);
    if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(quoteSqliteIdent).join(', ')})`);
    db.exec(`CREATE TABLE ${table} (${definitions.join(', ')})`);
  }
}

function insertSql(config: TableWriterConfig, columns: ColumnPlan[], primaryKey: string[]): string {
  const names = columns.map((column) => quoteSqliteIdent(column.name));
  const insert = `INSERT INTO ${quoteSqliteIdent(config.table)} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  if (config.write_mode !== 'upsert') return insert;
  const updates = columns.filter((column) => !primaryKey.includes(column.name)).map((column) => `${quoteSqliteIdent(column.name)} = excluded.${quoteSqliteIdent(column.name)}`);
  const action = updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`;
  return `${insert} ON CONFLICT (${primaryKey.map(quoteSqliteIdent).join(', ')}) ${action}`;
}

function toSqliteValue(value: DuckDBValue): unknown {
  return value instanceof DuckDBBlobValue ? Buffer.from(value.bytes) : value;
}
