import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, sqlString } from './step-db.js';
import type { SinkOptions } from './table-sink.js';

/**
 * Loads a source's rows, arriving as CSV text (RFC 4180: `,`, `"` quoting with `""`, `\n` after every
 * row; an unquoted empty field is NULL, a quoted one `""` the empty string), into a step's table with
 * DuckDB's own CSV reader. Parsing and converting every value then happens in DuckDB's native code with
 * each column's declared type, not value by value in JavaScript: a source that can produce CSV itself
 * (PostgreSQL's COPY) costs the JavaScript thread nothing but moving bytes.
 *
 * The text is spooled into files of about SPOOL_BYTES in the step's scratch directory; each full file
 * is loaded with one `INSERT ... SELECT FROM read_csv(...)` on DuckDB's threads while the next one is
 * written, so at most two files exist at a time and memory holds neither.
 */

export interface CsvColumn {
  name: string;
  /** The column's DuckDB type in the table. */
  type: string;
  /** When the CSV field is not `type`'s own text: what DuckDB reads it as, and the SQL turning that into `type` (e.g. hex -> BLOB). */
  via?: { type: string; sql: (field: string) => string };
}

/** CSV text holding `rows` whole rows; `longestRow` (bytes) lets the reader size its line buffer. */
export interface CsvPart {
  bytes: Uint8Array;
  rows: number;
  longestRow: number;
  /** Called once `bytes` are written out: the producer may reuse its buffer. */
  release?: () => void;
}

// About 100k rows of ten ordinary columns: few INSERTs, little disk.
const SPOOL_BYTES = 16 * 2 ** 20;
// DuckDB's default maximum line is 2 MB and its reader buffer 16 times that; a buffer per thread that
// large does not fit a streaming step's 64 MB memory limit, so the buffer is sized from the longest row.
const DEFAULT_MAX_LINE = 2_000_000;
const MIN_BUFFER = 4 * 2 ** 20;

/** Creates `table` with `columns` and loads `parts` into it, reporting progress per part. Returns the number of rows. */
export async function loadCsv(conn: DuckDBConnection, table: string, columns: readonly CsvColumn[], parts: AsyncIterable<CsvPart>, scratchDir: string, options: SinkOptions): Promise<number> {
  // One transaction for every file: committed per file, each INSERT went to the WAL first and the final
  // checkpoint wrote all of it again (+1.2 s CPU per million rows); in one, full row groups go straight to the file.
  await conn.run('BEGIN TRANSACTION');
  await conn.run(`CREATE TABLE ${quoteIdent(table)} (${columns.map((column) => `${quoteIdent(column.name)} ${column.type}`).join(', ')})`);
  const header = csvHeader(columns);
  const loadFile = async (file: string, longestRow: number): Promise<void> => {
    try {
      await conn.run(`INSERT INTO ${quoteIdent(table)} ${selectFromCsv(file, columns, longestRow)}`);
    } catch (err) {
      throw shortenCsvError(err);
    }
    await rm(file);
  };

  let total = 0;
  let files = 0;
  let spool: { file: string; handle: FileHandle; bytes: number; longestRow: number } | undefined;
  let loading: Promise<void> | undefined;
  // Observed at once, awaited later: a failed load is never an unhandled rejection while the next file is written.
  const startLoad = (file: string, longestRow: number): void => {
    const load = loadFile(file, longestRow);
    load.catch(() => undefined);
    loading = load;
  };
  const closeSpool = async (): Promise<void> => {
    if (spool === undefined) return;
    const { file, handle, longestRow } = spool;
    spool = undefined;
    await handle.close();
    await loading;
    startLoad(file, longestRow);
  };
  try {
    for await (const part of parts) {
      if (part.rows === 0) continue;
      if (spool === undefined) {
        const file = path.join(scratchDir, `${table}.${files++}.csv`);
        spool = { file, handle: await open(file, 'w'), bytes: 0, longestRow: 0 };
        await spool.handle.write(header);
      }
      await spool.handle.write(part.bytes);
      part.release?.();
      spool.bytes += part.bytes.length;
      spool.longestRow = Math.max(spool.longestRow, part.longestRow);
      if (spool.bytes >= SPOOL_BYTES) await closeSpool();
      total += part.rows;
      options.onProgress?.({ stepId: options.stepId, rows: total });
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
    }
    await closeSpool();
    await loading;
    await conn.run('COMMIT');
  } finally {
    await spool?.handle.close();
    // Never leave a statement running on a connection about to close.
    await loading?.catch(() => undefined);
  }
  return total;
}

/**
 * The header line the producer writes first, skipped by the reader: DuckDB drops a byte-order mark at
 * the start of a file, which would otherwise be taken from a first value that begins with U+FEFF.
 */
export function csvHeader(columns: readonly CsvColumn[]): string {
  return `${columns.map((_, index) => `c${index}`).join(',')}\n`;
}

/**
 * `SELECT ... FROM read_csv(file)`: every field typed as declared (no sniffing) and converted to its
 * column (named after it when `named`). Fields are read under positional names, so any column name
 * (or two alike) is fine. `longestRow` (bytes) sizes the reader's line buffer.
 */
export function selectFromCsv(file: string, columns: readonly CsvColumn[], longestRow: number, named = false): string {
  const maxLine = Math.max(DEFAULT_MAX_LINE, longestRow + 1);
  const fields = columns.map((column, index) => `${sqlString(`c${index}`)}: ${sqlString(column.via?.type ?? column.type)}`).join(', ');
  const select = columns.map((column, index) => `${column.via === undefined ? `c${index}` : column.via.sql(`c${index}`)}${named ? ` AS ${quoteIdent(column.name)}` : ''}`).join(', ');
  return (
    `SELECT ${select} FROM read_csv(${sqlString(file)}, columns = {${fields}}, auto_detect = false, header = true, ` +
    `delim = ',', quote = '"', escape = '"', new_line = '\\n', nullstr = '', allow_quoted_nulls = false, max_line_size = ${maxLine}, buffer_size = ${Math.max(MIN_BUFFER, 2 * maxLine)})`
  );
}

const SHOWN_LINE = 200;

/** A CSV error quotes the whole row it failed on, which may be megabytes: it travels on into logs and workflow history, so only its start is kept. */
export function shortenCsvError(err: unknown): unknown {
  if (err instanceof Error) {
    err.message = err.message.replace(/(Original Line: )(.*)/, (_, label: string, line: string) => (line.length > SHOWN_LINE ? `${label}${line.slice(0, SHOWN_LINE)}... (${line.length} characters)` : `${label}${line}`));
  }
  return err;
}
