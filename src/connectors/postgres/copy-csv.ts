import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { CsvPart } from '../../dataplane/csv-load.js';
import { CsvPartBuffer } from '../../dataplane/csv-part-buffer.js';
import { CsvPartQueue } from '../../dataplane/csv-part-queue.js';

// Backend message types (protocol-message-formats) read here; every other one is skipped.
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'
const HEADER = 5; // type byte + int32 length (which counts itself)

/** What of pg's connection this reads: its socket, and the call that sends a simple query. */
interface PgConnection {
  stream: Readable;
  query(text: string): void;
}

/**
 * Runs `copySql` (a `COPY ... TO STDOUT (FORMAT csv)`) on `client` and yields its rows as CSV parts of
 * at most `maxRows` rows. The server sends one CopyData message per row (as the protocol guarantees for
 * COPY TO), so the rows are counted and framed from the message headers alone: each payload is copied
 * once into the part, with no object per row and no search for newlines. Like pg-copy-streams, it
 * reads the socket itself while the copy runs and hands it back to pg at the first message that is
 * not part of the data (CopyDone or an error), so pg parses the end of the command and reports errors.
 */
export function copyCsvParts(client: pg.Client, copySql: string, maxRows: number): AsyncIterable<CsvPart> {
  const copy = new CopyOut(copySql, maxRows);
  client.query(copy);
  return copy.queue.parts();
}

class CopyOut implements pg.Submittable {
  private stream: Readable | undefined;
  private pgData: ((chunk: Buffer) => void) | undefined;
  private readonly out: CsvPartBuffer;
  // Paused and resumed through `stream`, set once pg submits the copy (before any data can arrive).
  readonly queue = new CsvPartQueue({ pause: () => this.stream?.pause(), resume: () => this.stream?.resume() });
  // The message being read: its header bytes so far (a header may be cut between chunks), then how much of its body is still to come.
  private readonly header = Buffer.alloc(HEADER);
  private headerBytes = 0;
  private type = 0;
  private bodyLeft = 0;
  // Bytes of the current row's payload copied so far (a row may span chunks).
  private rowBytes = 0;
  private readonly onData = (chunk: Buffer): void => this.read(chunk);

  constructor(
    private readonly text: string,
    maxRows: number,
  ) {
    this.out = new CsvPartBuffer(maxRows);
  }

  submit(connection: pg.Connection): void {
    const pgConnection = connection as unknown as PgConnection;
    const stream = pgConnection.stream;
    const listeners = stream.listeners('data');
    if (listeners.length !== 1) throw new Error(`pg's connection has ${listeners.length} data listeners, expected 1`);
    this.stream = stream;
    this.pgData = listeners[0] as (chunk: Buffer) => void;
    stream.removeListener('data', this.pgData);
    stream.on('data', this.onData);
    pgConnection.query(this.text);
  }

  // Called by pg once it parses the messages handed back to it.
  handleError(err: unknown): void {
    this.detach();
    this.queue.fail(err);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.queue.end();
  }

  /** Frames `chunk`'s messages: CopyData payloads go to the part being built, anything else ends the copy. */
  private read(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.bodyLeft === 0) {
        if (this.headerBytes === 0 && chunk.length - pos >= HEADER) {
          this.type = chunk[pos]!;
          if (this.type !== COPY_DATA && this.type !== ERROR_RESPONSE && this.type !== COPY_DONE) {
            // CopyOutResponse, or a notice or parameter status sent in between: skipped.
            this.skip(chunk.readUInt32BE(pos + 1) - 4);
            pos += HEADER;
            continue;
          }
          if (this.type !== COPY_DATA) return this.handBack(chunk.subarray(pos));
          this.startRow(chunk.readUInt32BE(pos + 1) - 4);
          pos += HEADER;
        } else {
          // A header cut between chunks: gathered first.
          const take = Math.min(HEADER - this.headerBytes, chunk.length - pos);
          chunk.copy(this.header, this.headerBytes, pos, pos + take);
          this.headerBytes += take;
          pos += take;
          if (this.headerBytes < HEADER) return;
          this.headerBytes = 0;
          this.type = this.header[0]!;
          if (this.type === ERROR_RESPONSE || this.type === COPY_DONE) return this.handBack(Buffer.concat([this.header, chunk.subarray(pos)]));
          if (this.type === COPY_DATA) this.startRow(this.header.readUInt32BE(1) - 4);
          else this.skip(this.header.readUInt32BE(1) - 4);
        }
        if (this.bodyLeft === 0 && this.type === COPY_DATA) this.endRow();
        continue;
      }
      const take = Math.min(this.bodyLeft, chunk.length - pos);
      if (this.type === COPY_DATA) {
        chunk.copy(this.out.buffer, this.out.length + this.rowBytes, pos, pos + take);
        this.rowBytes += take;
      }
      this.bodyLeft -= take;
      pos += take;
      if (this.bodyLeft === 0 && this.type === COPY_DATA) this.endRow();
    }
  }

  private startRow(bytes: number): void {
    this.out.room(bytes);
    this.rowBytes = 0;
    this.bodyLeft = bytes;
  }

  private skip(bytes: number): void {
    this.bodyLeft = bytes;
  }

  private endRow(): void {
    this.out.endRow(this.out.length + this.rowBytes);
    if (!this.out.full) return;
    this.queue.push(this.out.take()!);
  }

  /** The data is over (or failed): the last part is queued, and pg reads the rest of the connection's messages from `rest` on. */
  private handBack(rest: Buffer): void {
    const last = this.out.take();
    if (last !== undefined) this.queue.push(last);
    this.detach();
    this.pgData?.(rest);
  }

  /** pg reads the socket again; a paused one is resumed, or pg would never see the end of the command. */
  private detach(): void {
    if (this.stream === undefined) return;
    this.stream.removeListener('data', this.onData);
    if (this.pgData !== undefined && !this.stream.listeners('data').includes(this.pgData)) this.stream.on('data', this.pgData);
    if (this.stream.isPaused()) this.stream.resume();
  }
}
