import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import type { ManifestStep, StoredOutput } from '../oml/manifest.js';
import { csvHeader, loadCsv, selectFromCsv, shortenCsvError, type CsvColumn, type CsvPart } from './csv-load.js';
import { makeNamedPipe, openPipeWriter } from './named-pipe.js';
import type { RunContext, StepOptions } from './step-contract.js';
import { assertDistinctColumns, produceStepOutput, sqlString, withStepDuckDB } from './step-db.js';
import { describeStoredFile } from './stored-file.js';
import { storedOutputFile } from './workspace.js';

/**
 * A source whose rows arrive as CSV parts: its columns once it has described them, and its parts,
 * asked for once the output is ready. Asked a second time, `parts` reads the source again from the start.
 */
export interface CsvSource {
  columns: Promise<readonly CsvColumn[]>;
  parts: () => AsyncIterable<CsvPart>;
}

/** A row too long to stream into a Parquet file: the step reads its source again into a table. */
class RowTooLongToStream extends Error {}

/**
 * The output of a step whose rows arrive as CSV parts (the MySQL and PostgreSQL extractors): a DuckDB
 * table, or, when the compiler found that the step's only reader writes a Parquet file (`stored_as`),
 * that Parquet file itself. The output is made ready while the source is still describing its columns.
 */
export async function produceCsvStepOutput(step: ManifestStep, ctx: RunContext, described: CsvSource, options: StepOptions): Promise<number> {
  const sink = { ...options, stepId: step.id };
  const columns = described.columns.then((found) => {
    assertDistinctColumns(found.map((column) => column.name), step.id);
    return found;
  });
  // Awaited later, or never if the output fails to open first: its failure must not go unhandled meanwhile.
  columns.catch(() => undefined);
  const source = { columns, parts: described.parts };
  if (step.stored_as?.format === 'parquet') {
    try {
      const rows = await storeCsvAsParquet(step, ctx, step.stored_as, source, sink);
      if (rows !== undefined) return rows;
    } catch (err) {
      if (!(err instanceof RowTooLongToStream)) throw err;
    }
  }
  return produceStepOutput(step, ctx, async (conn, scratchDir) => {
    await loadCsv(conn, step.output_table, await source.columns, source.parts(), scratchDir, sink);
  });
}

// The pipe's rows arrive before their lengths are known, so the reader's line buffer has one fixed size
// (twice this), which a streaming step's 64 MB memory limit holds. A longer row sends the step back to
// its source, to load a table whose reader is sized for it (the writer then encodes the file).
const STREAM_MAX_LINE = 8 * 2 ** 20;

/**
 * Streams the parts through a named pipe into one `COPY (SELECT ... FROM read_csv(pipe)) TO '<file>.parquet'`,
 * so DuckDB parses and encodes each row once while the source is still sending: no step table is
 * written, and the Parquet writer after it copies the file. The file is written under a temporary name
 * and renamed onto `steps/<id>.parquet` (its description first) only when every row is in it.
 * Undefined where there are no named pipes; RowTooLongToStream (nothing kept) for a row over STREAM_MAX_LINE.
 */
async function storeCsvAsParquet(step: ManifestStep, ctx: RunContext, stored: StoredOutput, source: CsvSource, options: StepOptions & { stepId: string }): Promise<number | undefined> {
  const target = storedOutputFile(ctx.workspaceDir, step.id, stored.format);
  const temp = `${target}.${randomUUID()}.tmp`;
  const pipe = `${temp}.csv`;
  // Made while DuckDB opens (spawning mkfifo takes tens of milliseconds).
  const piped = makeNamedPipe(pipe);
  try {
    const rows = await withStepDuckDB(step, ctx, async (conn) => {
      const columns = await source.columns;
      if (!(await piped)) return undefined;
      const copy = conn.run(`COPY (${selectFromCsv(pipe, columns, STREAM_MAX_LINE, true)}) TO ${sqlString(temp)} (FORMAT parquet, COMPRESSION ${sqlString(stored.compression)})`);
      // Observed at once: it may fail while rows are still being sent.
      copy.catch(() => undefined);
      let sent: number;
      try {
        sent = await sendParts(pipe, copy, columns, source.parts(), options);
      } catch (err) {
        // The statement ends before its connection closes; when it stopped reading, its error is the one that says why.
        const failure = await copy.then(() => undefined, (copyErr: unknown) => copyErr);
        throw isBrokenPipe(err) && failure !== undefined ? shortenCsvError(failure) : err;
      }
      const written = Number((await copy.catch((err: unknown) => Promise.reject(shortenCsvError(err)))).rowsChanged);
      if (written !== sent) throw new Error(`Step "${step.id}": ${sent} rows were read from the source but ${written} reached the Parquet file`);
      return sent;
    });
    if (rows === undefined) return undefined;
    await describeStoredFile(target, { rows, compression: stored.compression });
    await rename(temp, target);
    return rows;
  } finally {
    await piped;
    await rm(temp, { force: true });
    await rm(pipe, { force: true });
  }
}

async function sendParts(pipe: string, reader: Promise<unknown>, columns: readonly CsvColumn[], parts: AsyncIterable<CsvPart>, options: StepOptions & { stepId: string }): Promise<number> {
  // The reader fills a buffer of twice the longest row before it parses: twice that may wait here.
  const writer = await openPipeWriter(pipe, reader, 4 * STREAM_MAX_LINE);
  let total = 0;
  try {
    await writer.write(Buffer.from(csvHeader(columns)));
    for await (const part of parts) {
      if (part.longestRow > STREAM_MAX_LINE) throw new RowTooLongToStream();
      await writer.write(part.bytes, part.release);
      total += part.rows;
      options.onProgress?.({ stepId: options.stepId, rows: total });
      options.signal?.throwIfAborted();
    }
    await writer.end();
    return total;
  } catch (err) {
    // The reader sees an early end of file and finishes; the caller discards what it wrote.
    writer.destroy();
    throw err;
  }
}

function isBrokenPipe(err: unknown): boolean {
  return err instanceof Error && 'code' in err && (err.code === 'EPIPE' || err.code === 'ECONNRESET');
}
