import type { Connection as CallbackConnection, Query } from 'mysql2';
import type { CsvPart } from '../../dataplane/csv-load.js';
import { RowCsvEncoder } from './row-csv.js';
import { planColumn, type ColumnPlan, type MysqlField } from './types.js';

/** The parts of a mysql2 packet a row handler reads: the payload is `buffer[offset, end)`. */
interface RowPacket {
  buffer: Buffer;
  offset: number;
  end: number;
  isEOF(): boolean;
}

/** mysql2's query command is a state machine: `row` handles each row packet and returns the handler for the next packet. */
type RowState = (this: Query, packet: RowPacket, connection: unknown) => unknown;

// Parts waiting for the loader before the socket is paused: with 1 MB parts, a few MB in memory at most.
const QUEUED_PARTS = 4;

export interface CsvResult {
  /** The result's columns, planned, once the server has announced them. */
  plans: Promise<ColumnPlan[]>;
  /** The rows as CSV parts of at most `maxRows` rows; the socket is paused while parts wait. */
  parts: AsyncIterable<CsvPart>;
}

/**
 * Runs `sql` and streams its rows as CSV straight from the row packets (row-csv.ts): mysql2 frames the
 * packets and handles the protocol (and errors, and the end of the result), but the row state of the
 * query is replaced with one that appends the packet's bytes to CSV, so no row becomes an array of
 * JavaScript values. The result set's metadata still comes from mysql2 ('fields').
 */
export function queryAsCsv(conn: CallbackConnection, sql: string, maxRows: number): CsvResult {
  const query = conn.query({ sql, rowsAsArray: true });
  const queue: CsvPart[] = [];
  let encoder: RowCsvEncoder | undefined;
  let failure: unknown;
  let ended = false;
  let paused = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };

  const plans = new Promise<ColumnPlan[]>((resolve, reject) => {
    query.once('fields', (fields: MysqlField[]) => {
      const planned = fields.map(planColumn);
      encoder = new RowCsvEncoder(planned.map((plan) => plan.encoding), maxRows);
      resolve(planned);
    });
    // A statement without a result set (never a SELECT) ends without fields.
    query.once('end', () => resolve([]));
    query.once('error', reject);
  });
  plans.catch(() => undefined);
  // Listeners stay attached after an early stop: a later 'error' from the destroyed connection must not go unhandled.
  query.on('error', (err) => {
    failure = err;
    notify();
  });
  query.on('end', () => {
    ended = true;
    notify();
  });

  const endOfRows = Object.getPrototypeOf(query).row as RowState;
  const row: RowState = function (this: Query, packet, connection) {
    if (packet.isEOF()) return endOfRows.call(this, packet, connection);
    encoder!.add(packet.buffer, packet.offset, packet.end);
    if (encoder!.full) {
      queue.push(encoder!.take()!);
      notify();
      if (queue.length >= QUEUED_PARTS && !paused) {
        paused = true;
        conn.pause();
      }
    }
    return row;
  };
  // After the column definitions, mysql2 moves to `this.row`: ours, from the first row on.
  (query as unknown as { row: RowState }).row = row;

  async function* parts(): AsyncGenerator<CsvPart> {
    for (;;) {
      if (failure !== undefined) throw failure;
      const part = queue.shift();
      if (part !== undefined) {
        if (paused && queue.length < QUEUED_PARTS / 2) {
          paused = false;
          conn.resume();
        }
        yield part;
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    const last = encoder?.take();
    if (last !== undefined) yield last;
  }
  return { plans, parts: parts() };
}
