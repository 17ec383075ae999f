import type { CsvPart } from './csv-load.js';

const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Cuts a CSV byte stream (chunks cut anywhere, as a socket delivers them) into parts of whole rows, at
 * most `maxRows` each, counting rows as it goes: a newline ends a row unless it is inside a quoted field.
 * Only newlines and quotes are looked at, with `indexOf`, so a chunk costs a native search per row.
 */
export async function* csvParts(chunks: AsyncIterable<Uint8Array>, maxRows: number): AsyncGenerator<CsvPart> {
  let inQuotes = false;
  // The start of a row not complete yet, kept as the chunks it came in: a long row is copied once, when it ends.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const part = (body: Buffer, rows: number, longestRow: number): CsvPart => {
    const bytes = pending.length === 0 ? body : Buffer.concat([...pending, body]);
    pending = [];
    pendingBytes = 0;
    return { bytes, rows, longestRow };
  };
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let partStart = 0;
    let rowStart = 0;
    let rowCarry = pendingBytes;
    let rows = 0;
    let longestRow = 0;
    let quote = bytes.indexOf(QUOTE);
    let pos = 0;
    for (;;) {
      if (inQuotes) {
        // A doubled quote inside a field closes and reopens it: the state comes out right either way.
        const close = bytes.indexOf(QUOTE, pos);
        if (close === -1) break;
        inQuotes = false;
        pos = close + 1;
        quote = bytes.indexOf(QUOTE, pos);
        continue;
      }
      const newline = bytes.indexOf(NEWLINE, pos);
      if (quote !== -1 && (newline === -1 || quote < newline)) {
        inQuotes = true;
        pos = quote + 1;
        continue;
      }
      if (newline === -1) break;
      pos = newline + 1;
      longestRow = Math.max(longestRow, rowCarry + pos - rowStart);
      rowCarry = 0;
      rowStart = pos;
      if (++rows === maxRows) {
        yield part(bytes.subarray(partStart, pos), rows, longestRow);
        partStart = pos;
        rows = 0;
        longestRow = 0;
      }
    }
    if (rows > 0) yield part(bytes.subarray(partStart, rowStart), rows, longestRow);
    if (rowStart < bytes.length) {
      pending.push(bytes.subarray(rowStart));
      pendingBytes += bytes.length - rowStart;
    }
  }
  // A last row without its newline.
  if (pendingBytes > 0) yield part(Buffer.from('\n'), 1, pendingBytes + 1);
}
