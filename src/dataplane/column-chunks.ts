import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import type { DuckDBDataChunk } from '@duckdb/node-api';

/**
 * Encodes rows into DuckDB's own vector layout in JavaScript memory, a whole column of a data chunk
 * at a time, so filling a chunk costs one native copy per column instead of one native call per value:
 * BIGINT/DOUBLE/BOOLEAN as typed arrays, VARCHAR/BLOB as 16-byte `duckdb_string_t` entries with the
 * value inlined (DuckDB keeps strings of up to 12 bytes inside the entry itself). Only longer strings
 * need a native call each, to copy them into the vector's string heap.
 */

/** Column types an extractor can ask for. */
export type SinkType = 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BLOB' | 'BOOLEAN';

// DuckDB's vector size: a data chunk holds at most this many rows.
export const CHUNK_ROWS = 2048;

// Bytes per value in a vector (duckdb_string_t is 16 bytes: length, then 12 inlined bytes or prefix + pointer).
const WIDTH: Record<SinkType, number> = { BIGINT: 8, DOUBLE: 8, VARCHAR: 16, BLOB: 16, BOOLEAN: 1 };
const INLINE_BYTES = 12;
const TWO_32 = 4_294_967_296;

interface Bindings {
  data_chunk_reset(chunk: unknown): void;
  data_chunk_set_size(chunk: unknown, size: number): void;
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  copy_data_to_vector(vector: unknown, offset: number, source: ArrayBufferLike, sourceOffset: number, bytes: number): void;
  copy_data_to_vector_validity(vector: unknown, offset: number, source: ArrayBufferLike, sourceOffset: number, bytes: number): void;
  vector_ensure_validity_writable(vector: unknown): void;
  vector_assign_string_element(vector: unknown, index: number, value: string): void;
  vector_assign_string_element_len(vector: unknown, index: number, value: Uint8Array): void;
}

// The native bindings @duckdb/node-api itself runs on (its vectors' own `flush` uses these same calls);
// loaded through node-api's location, so it is always the copy that package loaded.
const bindings = createRequire(createRequire(import.meta.url).resolve('@duckdb/node-api'))('@duckdb/node-bindings') as Bindings;
if (endianness() !== 'LE') throw new Error('The DuckDB column encoder assumes a little-endian machine');

/** One column of an encoded chunk: the vector's bytes, its validity bits (if any value is NULL) and the long strings. */
interface EncodedColumn {
  readonly bytes: Uint8Array;
  readonly validity: Uint32Array;
  hasNulls: boolean;
  /** Row index and value of each string too long to inline, copied into the vector natively. */
  readonly long: (number | string | Uint8Array)[];
}

/** Rows encoded into the vector layout of a data chunk, ready for `writeChunk`. */
export interface EncodedChunk {
  rows: number;
  readonly columns: EncodedColumn[];
}

export type Mismatch = (column: number, value: unknown, rowNumber: number) => never;

/** Encodes up to `CHUNK_ROWS` rows into `target` (a fresh or recycled chunk); `firstRow` numbers them for errors. */
export function encodeChunk(types: readonly SinkType[], rows: readonly (readonly unknown[])[], firstRow: number, mismatch: Mismatch, target?: EncodedChunk): EncodedChunk {
  const chunk = target ?? newChunk(types);
  chunk.rows = rows.length;
  for (let col = 0; col < types.length; col++) {
    const column = chunk.columns[col]!;
    column.hasNulls = false;
    column.long.length = 0;
    column.validity.fill(0xffffffff);
    const fail = (value: unknown, row: number): never => mismatch(col, value, firstRow + row);
    switch (types[col]!) {
      case 'BIGINT':
        encodeBigints(column, rows, col, fail);
        break;
      case 'DOUBLE':
        encodeDoubles(column, rows, col, fail);
        break;
      case 'BOOLEAN':
        encodeBooleans(column, rows, col, fail);
        break;
      case 'VARCHAR':
        encodeStrings(column, rows, col, fail);
        break;
      case 'BLOB':
        encodeBlobs(column, rows, col, fail);
        break;
    }
  }
  return chunk;
}

/** Copies an encoded chunk into `chunk` (a data chunk with the same column types), ready to append. */
export function writeChunk(chunk: DuckDBDataChunk, encoded: EncodedChunk, types: readonly SinkType[]): void {
  const raw = chunk.chunk;
  bindings.data_chunk_reset(raw);
  bindings.data_chunk_set_size(raw, encoded.rows);
  for (let col = 0; col < types.length; col++) {
    const column = encoded.columns[col]!;
    const vector = bindings.data_chunk_get_vector(raw, col);
    const bytes = column.bytes;
    bindings.copy_data_to_vector(vector, 0, bytes.buffer, bytes.byteOffset, encoded.rows * WIDTH[types[col]!]);
    if (column.hasNulls) {
      bindings.vector_ensure_validity_writable(vector);
      bindings.copy_data_to_vector_validity(vector, 0, column.validity.buffer, column.validity.byteOffset, Math.ceil(encoded.rows / 64) * 8);
    }
    const long = column.long;
    for (let i = 0; i < long.length; i += 2) {
      const value = long[i + 1]!;
      if (typeof value === 'string') bindings.vector_assign_string_element(vector, long[i] as number, value);
      else bindings.vector_assign_string_element_len(vector, long[i] as number, value as Uint8Array);
    }
  }
}

function newChunk(types: readonly SinkType[]): EncodedChunk {
  return {
    rows: 0,
    columns: types.map((type) => ({ bytes: new Uint8Array(CHUNK_ROWS * WIDTH[type]), validity: new Uint32Array(CHUNK_ROWS / 32), hasNulls: false, long: [] })),
  };
}

function setNull(column: EncodedColumn, row: number): void {
  column.validity[row >>> 5]! &= ~(1 << (row & 31));
  column.hasNulls = true;
}

type Fail = (value: unknown, row: number) => never;

function encodeBigints(column: EncodedColumn, rows: readonly (readonly unknown[])[], col: number, fail: Fail): void {
  const words = new Int32Array(column.bytes.buffer, column.bytes.byteOffset, CHUNK_ROWS * 2);
  const bigints = new BigInt64Array(column.bytes.buffer, column.bytes.byteOffset, CHUNK_ROWS);
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row]![col];
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      // Two's complement in two words: ToInt32 keeps the low 32 bits, the floor division the (signed) rest.
      words[row * 2] = value | 0;
      words[row * 2 + 1] = Math.floor(value / TWO_32);
      continue;
    }
    let big: bigint;
    if (typeof value === 'bigint') big = value;
    else if (value === null || value === undefined) {
      setNull(column, row);
      big = 0n;
    } else if (typeof value === 'boolean') big = value ? 1n : 0n;
    else if (typeof value === 'number' && Number.isInteger(value)) big = BigInt(value);
    else return fail(value, row);
    if (BigInt.asIntN(64, big) !== big) return fail(value, row);
    bigints[row] = big;
  }
}

function encodeDoubles(column: EncodedColumn, rows: readonly (readonly unknown[])[], col: number, fail: Fail): void {
  const doubles = new Float64Array(column.bytes.buffer, column.bytes.byteOffset, CHUNK_ROWS);
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row]![col];
    if (typeof value === 'number') doubles[row] = value;
    else if (value === null || value === undefined) {
      setNull(column, row);
      doubles[row] = 0;
    } else if (typeof value === 'bigint') doubles[row] = Number(value);
    else fail(value, row);
  }
}

function encodeBooleans(column: EncodedColumn, rows: readonly (readonly unknown[])[], col: number, fail: Fail): void {
  const bytes = column.bytes;
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row]![col];
    if (typeof value === 'boolean') bytes[row] = value ? 1 : 0;
    else if (value === null || value === undefined) {
      setNull(column, row);
      bytes[row] = 0;
    } else if (typeof value === 'number' || typeof value === 'bigint') bytes[row] = value !== 0 && value !== 0n ? 1 : 0;
    else fail(value, row);
  }
}

function encodeStrings(column: EncodedColumn, rows: readonly (readonly unknown[])[], col: number, fail: Fail): void {
  const bytes = column.bytes;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS * 4);
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row]![col];
    const slot = row * 4;
    words[slot] = 0;
    words[slot + 1] = 0;
    words[slot + 2] = 0;
    words[slot + 3] = 0;
    let text: string;
    if (typeof value === 'string') text = value;
    else if (value === null || value === undefined) {
      setNull(column, row);
      continue;
    } else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
    else return fail(value, row);
    const length = text.length;
    if (length <= INLINE_BYTES) {
      // ASCII text is its own UTF-8; anything else goes the native way, which encodes it.
      let k = 0;
      const base = row * 16 + 4;
      for (; k < length; k++) {
        const code = text.charCodeAt(k);
        if (code >= 0x80) break;
        bytes[base + k] = code;
      }
      if (k === length) {
        words[slot] = length;
        continue;
      }
      words[slot + 1] = 0;
      words[slot + 2] = 0;
      words[slot + 3] = 0;
    }
    column.long.push(row, text);
  }
}

function encodeBlobs(column: EncodedColumn, rows: readonly (readonly unknown[])[], col: number, fail: Fail): void {
  const bytes = column.bytes;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, CHUNK_ROWS * 4);
  for (let row = 0; row < rows.length; row++) {
    const value = rows[row]![col];
    const slot = row * 4;
    words[slot] = 0;
    words[slot + 1] = 0;
    words[slot + 2] = 0;
    words[slot + 3] = 0;
    let blob: Uint8Array;
    if (value instanceof Uint8Array) blob = value;
    else if (value === null || value === undefined) {
      setNull(column, row);
      continue;
    } else if (typeof value === 'string') blob = Buffer.from(value, 'utf8');
    else return fail(value, row);
    if (blob.length <= INLINE_BYTES) {
      words[slot] = blob.length;
      bytes.set(blob, row * 16 + 4);
    } else column.long.push(row, blob);
  }
}
