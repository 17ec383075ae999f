import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { BIGINT, BLOB, BOOLEAN, DOUBLE, DuckDBBlobValue, DuckDBDataChunk, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { OsirisError } from '../errors.js';
import { quoteIdent } from './step-db.js';
import type { StepOptions } from './types.js';

export const DEFAULT_BATCH_SIZE = 10_000;

/** Column types an extractor can ask for. */
export type SinkType = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BLOB' | 'BOOLEAN';

export interface SinkColumn {
  name: string;
  /**
   * The DuckDB type, or how to choose it from the first batch when the source does not declare one:
   * `ANY` picks the narrowest type that holds every value seen, `NUMERIC` picks DOUBLE unless text appears.
   */
  type: SinkType | 'ANY' | 'NUMERIC';
  /**
   * A DuckDB type the loaded column is converted to once every row is in (e.g. exact decimal text ->
   * `DECIMAL(38,10)`, ISO text -> `TIMESTAMPTZ`): DuckDB's vectorized cast is far cheaper than building
   * such values one by one in JavaScript.
   */
  cast?: string;
}

export interface SinkOptions extends StepOptions {
  stepId: string;
  batchSize?: number;
}

const DUCKDB_TYPES: Record<SinkType, DuckDBType> = { BIGINT, DOUBLE, VARCHAR, BLOB, BOOLEAN };
// DuckDB's vector size: the appender takes data chunks of at most this many rows.
const CHUNK_ROWS = 2048;

/**
 * Creates `table` and streams `rows` into it with the DuckDB appender, `batchSize` rows at a time.
 * After each batch it calls `onProgress` (an exception there aborts the step) and yields to the event
 * loop so heartbeats and cancellation get through. Values are written column by column into data
 * chunks: numeric columns go through typed arrays, which is faster than one native call per value.
 * Returns the number of rows written.
 */
export async function sinkRows(conn: DuckDBConnection, table: string, columns: readonly SinkColumn[], rows: Iterable<readonly unknown[]>, options: SinkOptions): Promise<number> {
  return sinkBatches(conn, table, columns, batchesOf(rows, options.batchSize ?? DEFAULT_BATCH_SIZE), options);
}

/** Like `sinkRows`, for sources that deliver rows in batches asynchronously (network drivers). */
export async function sinkBatches(
  conn: DuckDBConnection,
  table: string,
  columns: readonly SinkColumn[],
  batches: AsyncIterable<readonly (readonly unknown[])[]>,
  options: SinkOptions,
): Promise<number> {
  const iterator = batches[Symbol.asyncIterator]();
  let next = await iterator.next();
  let batch = next.done ? [] : next.value;
  const types = columns.map((column, index) => resolveType(column, batch, index));
  const casts = columns.some((column) => column.cast !== undefined);
  // Columns with a cast are loaded into a staging table first and converted in one statement at the end.
  const loadTable = casts ? `${table}__load` : table;
  const ddl = columns.map((column, index) => `${quoteIdent(column.name)} ${types[index]}`).join(', ');
  // One transaction for the whole load: each appender flush would otherwise commit and write its rows
  // to the WAL first; this way the rows go to the database file once (measured ~15-30% faster).
  await conn.run('BEGIN TRANSACTION');
  await conn.run(`CREATE TABLE ${quoteIdent(loadTable)} (${ddl})`);
  const appender = await conn.createAppender(loadTable);
  const converters = types.map((type, index) => converterFor(type, columns[index]!.name, options.stepId));
  const chunk = DuckDBDataChunk.create(types.map((type) => DUCKDB_TYPES[type]));
  let total = 0;
  try {
    while (batch.length > 0) {
      for (let start = 0; start < batch.length; start += CHUNK_ROWS) {
        const count = Math.min(CHUNK_ROWS, batch.length - start);
        chunk.reset();
        chunk.rowCount = count;
        for (let col = 0; col < converters.length; col++) {
          const vector = chunk.getColumnVector(col);
          const convert = converters[col]!;
          for (let row = 0; row < count; row++) {
            vector.setItem(row, convert(batch[start + row]![col], total + start + row + 1) as never);
          }
          vector.flush();
        }
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
      total += batch.length;
      options.onProgress?.({ stepId: options.stepId, rows: total });
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      next = await iterator.next();
      batch = next.done ? [] : next.value;
    }
  } finally {
    appender.closeSync();
    if (!next.done) await iterator.return?.();
  }
  if (casts) {
    const select = columns.map((column) => (column.cast === undefined ? quoteIdent(column.name) : `CAST(${quoteIdent(column.name)} AS ${column.cast}) AS ${quoteIdent(column.name)}`));
    await conn.run(`CREATE TABLE ${quoteIdent(table)} AS SELECT ${select.join(', ')} FROM ${quoteIdent(loadTable)}`);
    await conn.run(`DROP TABLE ${quoteIdent(loadTable)}`);
  }
  await conn.run('COMMIT');
  return total;
}

async function* batchesOf(rows: Iterable<readonly unknown[]>, size: number): AsyncGenerator<(readonly unknown[])[]> {
  let batch: (readonly unknown[])[] = [];
  // for...of closes the source iterator (e.g. a SQLite statement) when the consumer stops early.
  for (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function resolveType(column: SinkColumn, firstBatch: readonly (readonly unknown[])[], index: number): SinkType {
  if (column.type !== 'ANY' && column.type !== 'NUMERIC') return column.type;
  const kinds = new Set(firstBatch.map((row) => kindOf(row[index])).filter((kind) => kind !== 'null'));
  if (kinds.has('string') || kinds.has('other')) return 'VARCHAR';
  if (column.type === 'NUMERIC') return 'DOUBLE';
  if (kinds.size === 0) return 'VARCHAR';
  if (kinds.size === 1) {
    const [only] = kinds;
    if (only === 'bigint') return 'BIGINT';
    if (only === 'number') return 'DOUBLE';
    if (only === 'bytes') return 'BLOB';
    if (only === 'boolean') return 'BOOLEAN';
  }
  if ([...kinds].every((kind) => kind === 'bigint' || kind === 'number')) return 'DOUBLE';
  return 'VARCHAR';
}

type Kind = 'null' | 'bigint' | 'number' | 'string' | 'bytes' | 'boolean' | 'other';

function kindOf(value: unknown): Kind {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return 'bytes';
  switch (typeof value) {
    case 'bigint':
    case 'number':
    case 'string':
    case 'boolean':
      return typeof value as Kind;
    default:
      return 'other';
  }
}

type Converter = (value: unknown, rowNumber: number) => unknown;

/** Coerces a source value to what the column's vector stores; a value that does not fit is a config error. */
function converterFor(type: SinkType, column: string, stepId: string): Converter {
  const mismatch = (value: unknown, rowNumber: number): never => {
    throw new OsirisError('SQL_ERROR', `Step "${stepId}": column "${column}" is ${type} but row ${rowNumber} holds a ${kindOf(value)} value`, {
      hint: `CAST column "${column}" in the source query so every row has the same type.`,
    });
  };
  switch (type) {
    case 'BIGINT':
      return (value, rowNumber) => {
        if (value === null || value === undefined || typeof value === 'bigint') return value ?? null;
        if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
        if (typeof value === 'boolean') return value ? 1n : 0n;
        return mismatch(value, rowNumber);
      };
    case 'DOUBLE':
      return (value, rowNumber) => {
        if (value === null || value === undefined || typeof value === 'number') return value ?? null;
        if (typeof value === 'bigint') return Number(value);
        return mismatch(value, rowNumber);
      };
    case 'VARCHAR':
      return (value, rowNumber) => {
        if (value === null || value === undefined || typeof value === 'string') return value ?? null;
        if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
        return mismatch(value, rowNumber);
      };
    case 'BLOB':
      return (value, rowNumber) => {
        if (value === null || value === undefined) return null;
        if (value instanceof Uint8Array) return new DuckDBBlobValue(value);
        if (typeof value === 'string') return new DuckDBBlobValue(Buffer.from(value, 'utf8'));
        return mismatch(value, rowNumber);
      };
    case 'BOOLEAN':
      return (value, rowNumber) => {
        if (value === null || value === undefined || typeof value === 'boolean') return value ?? null;
        if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n;
        return mismatch(value, rowNumber);
      };
  }
}
