import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { BIGINT, BLOB, BOOLEAN, DOUBLE, DuckDBDataChunk, VARCHAR, type DuckDBAppender, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { OsirisError } from '../errors.js';
import { CHUNK_ROWS, encodeChunk, writeChunk, type EncodedChunk, type SinkType } from './column-chunks.js';
import { assertDistinctColumns, quoteIdent } from './step-db.js';
import type { StepOptions } from './step-contract.js';

export type { SinkType } from './column-chunks.js';

export const DEFAULT_BATCH_SIZE = 10_000;

export interface SinkColumn {
  name: string;
  /**
   * The DuckDB type, or how to choose it from the first batch when the source does not declare one:
   * `ANY` picks the narrowest type that holds every value seen, `NUMERIC` picks DOUBLE unless text appears.
   */
  type: SinkType | 'ANY' | 'NUMERIC';
  /**
   * A DuckDB type the loaded column is converted to on its way into the table (e.g. exact decimal text
   * -> `DECIMAL(38,10)`, ISO text -> `TIMESTAMPTZ`): DuckDB's vectorized cast is far cheaper than
   * building such values one by one in JavaScript.
   */
  cast?: string;
}

export interface SinkOptions extends StepOptions {
  stepId: string;
  batchSize?: number;
}

const DUCKDB_TYPES: Record<SinkType, DuckDBType> = { BIGINT, DOUBLE, VARCHAR, BLOB, BOOLEAN };
// Rows staged per INSERT: one DuckDB row group (60 chunks), so each INSERT writes whole row groups.
const WINDOW_CHUNKS = 60;
// Encoded chunks that may wait in JavaScript while an INSERT runs. Few: chunks (and the rows behind them)
// held that long outlive V8's young generation and grow the old one. Measured on 1M MySQL rows: with a
// whole window (60) waiting, the process grew by ~220 MB and kept growing; with 4, by ~125 MB, flat
// after 300k rows, and no slower.
const QUEUE_CHUNKS = 4;

/**
 * Creates `table` and streams `rows` into it, `batchSize` rows at a time. After each batch it calls
 * `onProgress` (an exception there aborts the step) and yields to the event loop so heartbeats and
 * cancellation get through. Returns the number of rows written.
 */
export async function sinkRows(conn: DuckDBConnection, table: string, columns: readonly SinkColumn[], rows: Iterable<readonly unknown[]>, options: SinkOptions): Promise<number> {
  return sinkBatches(conn, table, columns, batchesOf(rows, options.batchSize ?? DEFAULT_BATCH_SIZE), options);
}

/**
 * Like `sinkRows`, for sources that deliver rows in batches asynchronously (network drivers).
 *
 * Two stages overlap: the JavaScript thread encodes rows into DuckDB's vector layout (column-chunks.ts)
 * while DuckDB, on its own threads, inserts the previous window of rows into `table` (WindowLoader).
 * Compressing and writing rows, the costly part, thus runs beside the source's decoding instead of
 * after it; memory holds about one window (row group) plus a few chunks however large the table is. Each window
 * commits on its own: the caller's step file (`produceStepOutput`) is what makes the load
 * all-or-nothing, since it is discarded unless the step succeeds.
 */
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
  assertDistinctColumns(columns.map((column) => column.name), options.stepId);
  const types = columns.map((column, index) => resolveType(column, batch, index));
  const names = columns.map((column) => quoteIdent(column.name));
  await conn.run(`CREATE TABLE ${quoteIdent(table)} (${names.map((name, index) => `${name} ${columns[index]!.cast ?? types[index]}`).join(', ')})`);
  const loader = new WindowLoader(conn, table, columns, types);
  const mismatch = mismatchError(types, columns, options.stepId);
  let pending: (readonly unknown[])[] = [];
  let encoded = 0;
  const encodePending = async (): Promise<void> => {
    await loader.add(encodeChunk(types, pending, encoded + 1, mismatch, loader.spare()));
    encoded += pending.length;
    pending = [];
  };

  let total = 0;
  try {
    while (batch.length > 0) {
      for (let offset = 0; offset < batch.length; ) {
        const take = Math.min(CHUNK_ROWS - pending.length, batch.length - offset);
        for (let i = 0; i < take; i++) pending.push(batch[offset + i]!);
        offset += take;
        if (pending.length === CHUNK_ROWS) await encodePending();
      }
      total += batch.length;
      options.onProgress?.({ stepId: options.stepId, rows: total });
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      next = await iterator.next();
      batch = next.done ? [] : next.value;
    }
    if (pending.length > 0) await encodePending();
    await loader.finish();
  } finally {
    await loader.close();
    if (!next.done) await iterator.return?.();
  }
  return total;
}

/**
 * Moves encoded chunks into `table` a window (one row group) at a time: chunks are appended to an
 * in-memory temp table as they come, and each full window goes on with one `INSERT ... SELECT` (applying
 * the casts) that runs on DuckDB's threads. While it runs the temp table is busy, so chunks queue up in
 * JavaScript, at most one window of them; the caller waits only when that queue is full.
 */
class WindowLoader {
  private readonly stage: string;
  private readonly stageDdl: string;
  private readonly insert: string;
  private readonly dataChunk: DuckDBDataChunk;
  private readonly queue: EncodedChunk[] = [];
  private readonly recycled: EncodedChunk[] = [];
  private appender: DuckDBAppender | undefined;
  private staged = 0;
  private inserting: Promise<unknown> | undefined;
  private inserted = false;

  constructor(
    private readonly conn: DuckDBConnection,
    table: string,
    columns: readonly SinkColumn[],
    private readonly types: readonly SinkType[],
  ) {
    const names = columns.map((column) => quoteIdent(column.name));
    this.stage = `${table}__stage`;
    this.stageDdl = `CREATE OR REPLACE TEMP TABLE ${quoteIdent(this.stage)} (${names.map((name, index) => `${name} ${types[index]}`).join(', ')})`;
    const select = columns.map((column, index) => (column.cast === undefined ? names[index] : `CAST(${names[index]} AS ${column.cast})`));
    this.insert = `INSERT INTO ${quoteIdent(table)} SELECT ${select.join(', ')} FROM temp.main.${quoteIdent(this.stage)}`;
    this.dataChunk = DuckDBDataChunk.create(types.map((type) => DUCKDB_TYPES[type]));
  }

  /** An encoded chunk already written to DuckDB, to encode the next rows into. */
  spare(): EncodedChunk | undefined {
    return this.recycled.pop();
  }

  async add(chunk: EncodedChunk): Promise<void> {
    this.queue.push(chunk);
    await this.pump(false);
  }

  /** Loads what is left and waits for the last INSERT. */
  async finish(): Promise<void> {
    await this.pump(true);
    await this.settle();
    await this.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(this.stage)}`);
  }

  /** Releases the appender and waits for a running INSERT (never leave a statement running on a connection about to close). */
  async close(): Promise<void> {
    this.appender?.closeSync();
    this.appender = undefined;
    await this.inserting?.catch(() => undefined);
  }

  private async pump(final: boolean): Promise<void> {
    while (this.queue.length > 0 || (final && this.staged > 0)) {
      if (this.inserting !== undefined) {
        // Keep encoding while DuckDB inserts, unless a whole window is already waiting.
        if (!this.inserted && !final && this.queue.length < QUEUE_CHUNKS) return;
        await this.settle();
      }
      const chunk = this.queue.shift();
      if (chunk !== undefined) {
        if (this.appender === undefined) {
          await this.conn.run(this.stageDdl);
          this.appender = await this.conn.createAppender(this.stage, 'main', 'temp');
        }
        writeChunk(this.dataChunk, chunk, this.types);
        this.appender.appendDataChunk(this.dataChunk);
        this.recycled.push(chunk);
        this.staged++;
      }
      if (this.staged === WINDOW_CHUNKS || (final && this.queue.length === 0)) this.startInsert();
    }
  }

  private startInsert(): void {
    const appender = this.appender!;
    this.appender = undefined;
    try {
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    this.staged = 0;
    this.inserted = false;
    this.inserting = this.conn.run(this.insert);
    // Observed here, awaited later (settle): a failure is never an unhandled rejection.
    this.inserting.then(() => (this.inserted = true), () => (this.inserted = true));
  }

  private async settle(): Promise<void> {
    const inserting = this.inserting;
    this.inserting = undefined;
    await inserting;
  }
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

/** A value that does not fit its column's type is a config error naming the column and row. */
function mismatchError(types: readonly SinkType[], columns: readonly SinkColumn[], stepId: string): (column: number, value: unknown, rowNumber: number) => never {
  return (column, value, rowNumber) => {
    const name = columns[column]!.name;
    throw new OsirisError('SQL_ERROR', `Step "${stepId}": column "${name}" is ${types[column]} but row ${rowNumber} holds a ${kindOf(value)} value`, {
      hint: `CAST column "${name}" in the source query so every row has the same type.`,
    });
  };
}
