import { DuckDBBlobValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { PoolConnection } from 'mysql2/promise';
import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import { describeTable, quoteIdent, singleInputTable, withStepInputs } from '../../dataplane/step-db.js';
import { DEFAULT_BATCH_SIZE } from '../../dataplane/table-sink.js';
import { stepConnection, type RunContext, type StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { quoteMysqlIdent, quoteMysqlTable, mysqlConnection, withMysqlClient, withMysqlRetries } from './client.js';
import { checkKeyColumns, writerPrimaryKey, type TableWriterConfig } from '../table-config.js';
import { mysqlWriterSpec } from './spec.js';


interface ColumnPlan {
  name: string;
  /** MySQL column type used when the table is created. */
  mysqlType: string;
  /** DuckDB expression yielding what mysql2 binds exactly: text for exact numbers and dates, numbers for floats. */
  select: string;
}

// Rows per INSERT statement: one DuckDB vector, well under max_allowed_packet for ordinary rows.
const INSERT_ROWS = 2048;
const STAGING_SUFFIX = '__osiris_new';
const RETIRED_SUFFIX = '__osiris_old';

/**
 * Writes the input table into MySQL. append and upsert run in one transaction, so a failed or retried
 * attempt leaves nothing behind; replace fills a staging table and swaps it in with one atomic
 * RENAME TABLE, so readers see either the old rows or all the new ones.
 */
export async function runMysqlWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = mysqlWriterSpec.config.parse(step.config) as TableWriterConfig;
  const input = singleInputTable(step);
  const primaryKey = writerPrimaryKey(config, step.id);
  const connection = mysqlConnection(stepConnection(ctx, config.connection, step.id), step.id);
  const where = `Step "${step.id}": `;
  const rows = await withStepInputs(step, ctx, async (duck) => {
    const columns = (await describeTable(duck, input)).map((column) => planColumn(column, primaryKey));
    checkKeyColumns(primaryKey, columns, input, step.id);
    const copy = (conn: PoolConnection, table: string, upsert: boolean) => copyRows(duck, conn, { input, table, columns, primaryKey: upsert ? primaryKey : [], batchSize: config.batch_size ?? DEFAULT_BATCH_SIZE, stepId: step.id, options });
    return withMysqlClient(connection, (client) =>
      // Lock conflicts roll the attempt back completely, so repeating it is safe.
      withMysqlRetries(
        () =>
          client.withConnection(async (conn) => {
            const exists = await tableExists(conn, config.table);
            if (!exists && !config.create_if_missing) {
              throw new OsirisError('CONFIG_INVALID', `Step "${step.id}": table "${config.table}" does not exist and create_if_missing is false`, {
                hint: 'Create the table first, or set `create_if_missing: true`.',
              });
            }
            if (config.write_mode === 'replace') return replaceTable(conn, config.table, exists, columns, primaryKey, (staging) => copy(conn, staging, false));
            // DDL commits implicitly in MySQL, so the table is created before the write transaction starts.
            if (!exists) await conn.query(createTableSql(config.table, columns, primaryKey));
            await conn.query('START TRANSACTION');
            const written = await copy(conn, config.table, config.write_mode === 'upsert');
            await conn.query('COMMIT');
            return written;
          }, where),
        { signal: options.signal },
      ),
    );
  });
  return { rows, outputs: [] };
}

async function replaceTable(conn: PoolConnection, table: string, exists: boolean, columns: ColumnPlan[], primaryKey: string[], fill: (staging: string) => Promise<number>): Promise<number> {
  const staging = `${table}${STAGING_SUFFIX}`;
  const retired = `${table}${RETIRED_SUFFIX}`;
  // Leftovers of an earlier failed attempt are ours to discard.
  await conn.query(`DROP TABLE IF EXISTS ${quoteMysqlTable(staging)}, ${quoteMysqlTable(retired)}`);
  // An existing table keeps its column types, indexes and keys; a new one gets types mapped from DuckDB.
  await conn.query(exists ? `CREATE TABLE ${quoteMysqlTable(staging)} LIKE ${quoteMysqlTable(table)}` : createTableSql(staging, columns, primaryKey));
  try {
    await conn.query('START TRANSACTION');
    const written = await fill(staging);
    await conn.query('COMMIT');
    if (exists) {
      await conn.query(`RENAME TABLE ${quoteMysqlTable(table)} TO ${quoteMysqlTable(retired)}, ${quoteMysqlTable(staging)} TO ${quoteMysqlTable(table)}`);
      await conn.query(`DROP TABLE ${quoteMysqlTable(retired)}`);
    } else {
      await conn.query(`RENAME TABLE ${quoteMysqlTable(staging)} TO ${quoteMysqlTable(table)}`);
    }
    return written;
  } catch (err) {
    await conn.query(`DROP TABLE IF EXISTS ${quoteMysqlTable(staging)}`).catch(() => undefined);
    throw err;
  }
}

interface CopyPlan {
  input: string;
  table: string;
  columns: ColumnPlan[];
  /** Non-empty: INSERT ... ON DUPLICATE KEY UPDATE on these key columns. */
  primaryKey: string[];
  batchSize: number;
  stepId: string;
  options: StepOptions;
}

/** Streams the DuckDB input into `plan.table` in multi-row INSERTs, reporting progress every batch. */
async function copyRows(duck: DuckDBConnection, conn: PoolConnection, plan: CopyPlan): Promise<number> {
  const names = plan.columns.map((column) => quoteMysqlIdent(column.name));
  const updates = plan.columns.filter((column) => !plan.primaryKey.includes(column.name)).map((column) => `${quoteMysqlIdent(column.name)} = VALUES(${quoteMysqlIdent(column.name)})`);
  // With nothing but key columns, "update" the first key to itself so an existing row is a no-op, not an error.
  const onDuplicate = plan.primaryKey.length === 0 ? '' : ` ON DUPLICATE KEY UPDATE ${updates.length > 0 ? updates.join(', ') : `${names[0]} = ${names[0]}`}`;
  const insert = `INSERT INTO ${quoteMysqlTable(plan.table)} (${names.join(', ')}) VALUES ?${onDuplicate}`;
  const result = await duck.stream(`SELECT ${plan.columns.map((column) => column.select).join(', ')} FROM ${quoteIdent(plan.input)}`);
  let written = 0;
  let sinceProgress = 0;
  let pending: unknown[][] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await conn.query(insert, [pending]);
    pending = [];
  };
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (const row of chunk.getRows()) {
      pending.push(row.map(toMysqlValue));
      if (pending.length === INSERT_ROWS) await flush();
    }
    written += chunk.rowCount;
    sinceProgress += chunk.rowCount;
    if (sinceProgress >= plan.batchSize) {
      await flush();
      sinceProgress = 0;
      plan.options.onProgress?.({ stepId: plan.stepId, rows: written });
      plan.options.signal?.throwIfAborted();
    }
  }
  await flush();
  if (sinceProgress > 0) plan.options.onProgress?.({ stepId: plan.stepId, rows: written });
  return written;
}

async function tableExists(conn: PoolConnection, table: string): Promise<boolean> {
  const [schema, name] = table.includes('.') ? table.split('.', 2) : [null, table];
  const [rows] = await conn.query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?', [schema, name]);
  return (rows as unknown[]).length > 0;
}

function createTableSql(table: string, columns: ColumnPlan[], primaryKey: string[]): string {
  const definitions = columns.map((column) => `${quoteMysqlIdent(column.name)} ${column.mysqlType}${primaryKey.includes(column.name) ? ' NOT NULL' : ''}`);
  if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(quoteMysqlIdent).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quoteMysqlTable(table)} (${definitions.join(', ')}) DEFAULT CHARSET = utf8mb4`;
}

const INTEGER_TYPES: Record<string, string> = {
  TINYINT: 'TINYINT', SMALLINT: 'SMALLINT', INTEGER: 'INT', BIGINT: 'BIGINT',
  UTINYINT: 'TINYINT UNSIGNED', USMALLINT: 'SMALLINT UNSIGNED', UINTEGER: 'INT UNSIGNED', UBIGINT: 'BIGINT UNSIGNED',
  HUGEINT: 'DECIMAL(39,0)', UHUGEINT: 'DECIMAL(39,0) UNSIGNED',
};

/** DuckDB column type -> MySQL column type, and how its values are read for binding. */
function planColumn({ name, type }: { name: string; type: string }, primaryKey: string[]): ColumnPlan {
  const column = quoteIdent(name);
  const asText = `CAST(${column} AS VARCHAR)`;
  const base = type.split('(')[0]!;
  if (INTEGER_TYPES[base] !== undefined) return { name, mysqlType: INTEGER_TYPES[base], select: asText };
  if (base === 'DECIMAL') return { name, mysqlType: type, select: asText };
  if (base === 'BOOLEAN') return { name, mysqlType: 'BOOLEAN', select: `CAST(${column} AS INTEGER)` };
  if (base === 'DOUBLE' || base === 'FLOAT') return { name, mysqlType: base, select: column };
  if (base === 'DATE') return { name, mysqlType: 'DATE', select: asText };
  // TIMESTAMP WITH TIME ZONE is written as its UTC time: DATETIME has no zone.
  if (base.startsWith('TIMESTAMP')) return { name, mysqlType: 'DATETIME(6)', select: `strftime(CAST(${column} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f')` };
  if (base === 'TIME') return { name, mysqlType: 'TIME(6)', select: asText };
  if (base === 'BLOB') return { name, mysqlType: primaryKey.includes(name) ? 'VARBINARY(255)' : 'LONGBLOB', select: column };
  if (base === 'JSON') return { name, mysqlType: 'JSON', select: asText };
  // Key columns need a bounded length to be indexed; other text (and nested types, as text) is unbounded.
  return { name, mysqlType: primaryKey.includes(name) ? 'VARCHAR(255)' : 'LONGTEXT', select: asText };
}

function toMysqlValue(value: DuckDBValue): unknown {
  return value instanceof DuckDBBlobValue ? Buffer.from(value.bytes) : value;
}
