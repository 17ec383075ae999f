import type { Connection as CallbackConnection, Query } from 'mysql2';
import type { CsvPart } from '../../dataplane/csv-load.js';
import { CsvPartQueue } from '../../dataplane/csv-part-queue.js';
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
  const queue = new CsvPartQueue(conn);
  let encoder: RowCsvEncoder | undefined;

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
  query.on('error', (err) => queue.fail(err));
  query.on('end', () => {
    const last = encoder?.take();
    if (last !== undefined) queue.push(last);
    queue.end();
  });

  const endOfRows = Object.getPrototypeOf(query).row as RowState;
  const row: RowState = function (this: Query, packet, connection) {
    if (packet.isEOF()) return endOfRows.call(this, packet, connection);
    encoder!.add(packet.buffer, packet.offset, packet.end);
    if (encoder!.full) queue.push(encoder!.take()!);
    return row;
  };
  // After the column definitions, mysql2 moves to `this.row`: ours, from the first row on.
  (query as unknown as { row: RowState }).row = row;

  return { plans, parts: queue.parts() };
}
