import type { CsvPart } from '../../dataplane/csv-load.js';
import { CsvPartBuffer } from '../../dataplane/csv-part-buffer.js';

/**
 * How a field's text-protocol bytes become a CSV field (csv-load.ts):
 * - `plain`: numbers, decimals and times, whose text is never empty and holds no comma, quote or newline;
 * - `text`: strings, always quoted (so the empty string stays apart from NULL), inner quotes doubled;
 * - `date`: plain, but MySQL's zero dates (`0000-00-00...`) have no calendar value and become NULL, as in JDBC's convertToNull;
 * - `hex`: binary strings and BLOBs, as hex (CSV carries text only);
 * - `bits`: BIT(n), big-endian bytes, as a decimal number.
 */
export type FieldEncoding = 'plain' | 'text' | 'date' | 'hex' | 'bits';

const COMMA = 0x2c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
// Length-encoded integers (the MySQL protocol's "int<lenenc>"): a first byte of 0xfb is NULL, 0xfc..0xfe announce 2, 3 or 8 bytes.
const NULL_FIELD = 0xfb;
const ZERO_DATE = Buffer.from('0000-00-00');
const ZERO = 0x30;

/**
 * Turns text-protocol row packets into CSV, byte for byte, without a JavaScript value per field: a row
 * packet is its fields' text (the connection's utf8mb4), each after its length, which is what CSV needs.
 * Rows are appended to a buffer that `take()` hands over as a part of at most `maxRows` rows.
 */
export class RowCsvEncoder {
  private readonly parts: CsvPartBuffer;

  constructor(
    private readonly encodings: readonly FieldEncoding[],
    maxRows: number,
  ) {
    this.parts = new CsvPartBuffer(maxRows);
  }

  /** True when a part is ready: `maxRows` rows, or a buffer nearly full. */
  get full(): boolean {
    return this.parts.full;
  }

  /** The rows encoded so far, as a part; the next rows go to a fresh buffer. */
  take(): CsvPart | undefined {
    return this.parts.take();
  }

  /** Appends the row in `packet[start, end)` (a row packet's payload). */
  add(packet: Buffer, start: number, end: number): void {
    const encodings = this.encodings;
    // Worst case: every byte doubled (quotes) or written as two hex digits, 8 bit bytes as ~2.5 digits, plus separators and quotes.
    const out = this.parts.room(3 * (end - start) + 3 * encodings.length + 1);
    let pos = this.parts.length;
    let p = start;
    for (let col = 0; col < encodings.length; col++) {
      if (col > 0) out[pos++] = COMMA;
      let len = packet[p++]!;
      if (len >= NULL_FIELD) {
        if (len === NULL_FIELD) continue;
        const bytes = len === 0xfc ? 2 : len === 0xfd ? 3 : 8;
        len = bytes === 8 ? packet.readUInt32LE(p) + packet.readUInt32LE(p + 4) * 2 ** 32 : packet.readUIntLE(p, bytes);
        p += bytes;
      }
      const fieldEnd = p + len;
      switch (encodings[col]!) {
        case 'text':
          out[pos++] = QUOTE;
          for (let k = p; k < fieldEnd; k++) {
            const byte = packet[k]!;
            out[pos++] = byte;
            if (byte === QUOTE) out[pos++] = QUOTE;
          }
          out[pos++] = QUOTE;
          break;
        case 'date':
          if (packet[p] === ZERO && len >= ZERO_DATE.length && packet.compare(ZERO_DATE, 0, ZERO_DATE.length, p, p + ZERO_DATE.length) === 0) break;
          pos = copyPlain(packet, p, fieldEnd, out, pos);
          break;
        case 'plain':
          pos = copyPlain(packet, p, fieldEnd, out, pos);
          break;
        case 'hex':
          // Quoted: an empty blob must not read as NULL.
          out[pos++] = QUOTE;
          pos += out.write(packet.toString('hex', p, fieldEnd), pos, 'latin1');
          out[pos++] = QUOTE;
          break;
        case 'bits': {
          let n = 0n;
          for (let k = p; k < fieldEnd; k++) n = (n << 8n) | BigInt(packet[k]!);
          pos += out.write(n.toString(), pos, 'latin1');
          break;
        }
      }
      p = fieldEnd;
    }
    out[pos++] = NEWLINE;
    this.parts.endRow(pos);
  }
}

/** Copies a field's text as it is; an empty one is written `""` so it never reads as NULL. */
function copyPlain(packet: Buffer, from: number, to: number, out: Buffer, pos: number): number {
  if (from === to) {
    out[pos++] = QUOTE;
    out[pos++] = QUOTE;
    return pos;
  }
  if (to - from > 32) return pos + packet.copy(out, pos, from, to);
  for (let k = from; k < to; k++) out[pos++] = packet[k]!;
  return pos;
}
