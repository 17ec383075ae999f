import type { CsvPart } from './csv-load.js';

const PART_BYTES = 2 ** 20;

/**
 * Where a producer writes CSV rows, handed over as parts of about a megabyte (csv-load.ts): the
 * producer reserves room for a row (`room`), writes it at `length`, and calls `endRow` with its end.
 * Buffers written out come back (a part's `release`) and are reused, a few in turn, rather than a new
 * megabyte per part for the GC.
 */
export class CsvPartBuffer {
  private readonly spare: Buffer[] = [];
  buffer: Buffer = Buffer.allocUnsafe(PART_BYTES);
  /** Bytes written so far; the next row starts here. */
  length = 0;
  private rows = 0;
  private longestRow = 0;

  constructor(private readonly maxRows: number) {}

  /** True when a part is ready: `maxRows` rows, or a buffer nearly full. */
  get full(): boolean {
    return this.rows >= this.maxRows || this.length > PART_BYTES * 0.9;
  }

  /** The buffer, with room for `bytes` more at `length`: a part is never split, so it grows for a row larger than a part (e.g. a big BLOB). */
  room(bytes: number): Buffer {
    if (this.length + bytes > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + bytes));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    return this.buffer;
  }

  /** A row was written from `length` up to `end` (its newline included). */
  endRow(end: number): void {
    if (end - this.length > this.longestRow) this.longestRow = end - this.length;
    this.length = end;
    this.rows++;
  }

  /** The rows written so far, as a part; the next rows go to a fresh buffer. */
  take(): CsvPart | undefined {
    if (this.rows === 0) return undefined;
    const buffer = this.buffer;
    const part = { bytes: buffer.subarray(0, this.length), rows: this.rows, longestRow: this.longestRow, release: () => void (buffer.length === PART_BYTES && this.spare.push(buffer)) };
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafe(PART_BYTES);
    this.length = 0;
    this.rows = 0;
    this.longestRow = 0;
    return part;
  }
}
