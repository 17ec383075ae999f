import type { SinkColumn } from '../../dataplane/table-sink.js';

/** The parts of a mysql2 result field that decide its DuckDB type. */
export interface MysqlField {
  name: string;
  columnType?: number;
  flags: number | string[];
  characterSet?: number;
  decimals: number;
  columnLength?: number;
}

/** How one source column is loaded: the sink column, and a per-value fix for the few types that need one. */
export interface ColumnPlan {
  sink: SinkColumn;
  fix?: (value: unknown) => unknown;
}

// Wire protocol type codes (include/mysql_com.h), for the types mapped specially.
const T = { DECIMAL: 0, FLOAT: 4, DOUBLE: 5, NULL: 6, TIMESTAMP: 7, LONGLONG: 8, DATE: 10, TIME: 11, DATETIME: 12, NEWDATE: 14, BIT: 16, NEWDECIMAL: 246 } as const;
const INTEGER_TYPES = new Set([1, 2, 3, 9, 13]); // TINY, SHORT, LONG, INT24, YEAR: always fit a JS number
const BINARY_CHARSET = 63;
const UNSIGNED_FLAG = 32;
const DUCKDB_MAX_DECIMAL_WIDTH = 38;

/**
 * Maps a result field to DuckDB faithfully. The driver delivers exact types as text (see client.ts),
 * which DuckDB casts in one vectorized pass: BIGINT [UNSIGNED] -> BIGINT/UBIGINT, DECIMAL(p,s) ->
 * DECIMAL(p,s) (text above DuckDB's 38 digits), DATETIME/TIMESTAMP -> TIMESTAMP (UTC session),
 * DATE -> DATE, FLOAT/DOUBLE -> FLOAT/DOUBLE (from text, bit-exact), BIT -> UBIGINT, binary strings and BLOBs -> BLOB, everything textual (JSON, TIME,
 * ENUM, SET) -> VARCHAR in utf8mb4.
 */
export function planColumn(field: MysqlField): ColumnPlan {
  const name = field.name;
  const unsigned = typeof field.flags === 'number' ? (field.flags & UNSIGNED_FLAG) !== 0 : field.flags.includes('UNSIGNED');
  switch (field.columnType) {
    case T.LONGLONG:
      return { sink: { name, type: 'VARCHAR', cast: unsigned ? 'UBIGINT' : 'BIGINT' } };
    case T.DECIMAL:
    case T.NEWDECIMAL: {
      const scale = field.decimals;
      // The display length counts the sign (signed only) and the decimal point (scale > 0).
      const precision = (field.columnLength ?? 0) - (unsigned ? 0 : 1) - (scale > 0 ? 1 : 0);
      const fits = precision >= 1 && precision <= DUCKDB_MAX_DECIMAL_WIDTH && scale <= precision;
      return { sink: { name, type: 'VARCHAR', ...(fits ? { cast: `DECIMAL(${precision},${scale})` } : {}) } };
    }
    // Delivered as the server's text (see extractor.ts): DuckDB's cast is exact, FLOAT stays 32-bit.
    case T.FLOAT:
      return { sink: { name, type: 'VARCHAR', cast: 'FLOAT' } };
    case T.DOUBLE:
      return { sink: { name, type: 'VARCHAR', cast: 'DOUBLE' } };
    case T.TIMESTAMP:
    case T.DATETIME:
      return { sink: { name, type: 'VARCHAR', cast: 'TIMESTAMP' }, fix: zeroDateToNull };
    case T.DATE:
    case T.NEWDATE:
      return { sink: { name, type: 'VARCHAR', cast: 'DATE' }, fix: zeroDateToNull };
    case T.TIME:
      // TIME spans -838:59:59..838:59:59, beyond DuckDB's TIME: kept as its text. (The server labels it binary.)
      return { sink: { name, type: 'VARCHAR' } };
    case T.BIT:
      return { sink: { name, type: 'VARCHAR', cast: 'UBIGINT' }, fix: bitsToDecimal };
    case T.NULL:
      return { sink: { name, type: 'ANY' } };
    default:
      if (INTEGER_TYPES.has(field.columnType ?? -1)) return { sink: { name, type: 'BIGINT' } };
      return { sink: { name, type: field.characterSet === BINARY_CHARSET ? 'BLOB' : 'VARCHAR' } };
  }
}

/** MySQL's "zero" dates (`0000-00-00`) have no calendar value: they become NULL, as in JDBC's convertToNull. */
function zeroDateToNull(value: unknown): unknown {
  return typeof value === 'string' && value.startsWith('0000-00-00') ? null : value;
}

/** BIT(n) arrives as big-endian bytes. */
function bitsToDecimal(value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  let n = 0n;
  for (const byte of value) n = (n << 8n) | BigInt(byte);
  return n.toString();
}
