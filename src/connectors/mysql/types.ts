import type { CsvColumn } from '../../dataplane/csv-load.js';
import type { FieldEncoding } from './row-csv.js';

/** The parts of a mysql2 result field that decide its DuckDB type. */
export interface MysqlField {
  name: string;
  columnType?: number;
  flags: number | string[];
  characterSet?: number;
  decimals: number;
  columnLength?: number;
}

/** How one source column is loaded: its table column, and how its bytes are written as CSV. */
export interface ColumnPlan {
  column: CsvColumn;
  encoding: FieldEncoding;
}

// Wire protocol type codes (include/mysql_com.h), for the types mapped specially.
const T = { DECIMAL: 0, FLOAT: 4, DOUBLE: 5, NULL: 6, TIMESTAMP: 7, LONGLONG: 8, DATE: 10, TIME: 11, DATETIME: 12, NEWDATE: 14, BIT: 16, NEWDECIMAL: 246 } as const;
const INTEGER_TYPES = new Set([1, 2, 3, 9, 13]); // TINY, SHORT, LONG, INT24, YEAR: always fit a BIGINT
const BINARY_CHARSET = 63;
const UNSIGNED_FLAG = 32;
const DUCKDB_MAX_DECIMAL_WIDTH = 38;

/**
 * Maps a result field to DuckDB faithfully. Every value arrives as the server's text, which DuckDB's
 * CSV reader parses exactly: BIGINT [UNSIGNED] -> BIGINT/UBIGINT, DECIMAL(p,s) -> DECIMAL(p,s) (text
 * above DuckDB's 38 digits), DATETIME/TIMESTAMP -> TIMESTAMP (UTC session), DATE -> DATE, FLOAT/DOUBLE
 * -> FLOAT/DOUBLE (bit-exact), BIT -> UBIGINT, binary strings and BLOBs -> BLOB, everything textual
 * (JSON, TIME, ENUM, SET) -> VARCHAR in utf8mb4.
 */
export function planColumn(field: MysqlField): ColumnPlan {
  const name = field.name;
  const as = (type: string, encoding: FieldEncoding): ColumnPlan => ({ column: { name, type }, encoding });
  const unsigned = typeof field.flags === 'number' ? (field.flags & UNSIGNED_FLAG) !== 0 : field.flags.includes('UNSIGNED');
  switch (field.columnType) {
    case T.LONGLONG:
      return as(unsigned ? 'UBIGINT' : 'BIGINT', 'plain');
    case T.DECIMAL:
    case T.NEWDECIMAL: {
      const scale = field.decimals;
      // The display length counts the sign (signed only) and the decimal point (scale > 0).
      const precision = (field.columnLength ?? 0) - (unsigned ? 0 : 1) - (scale > 0 ? 1 : 0);
      const fits = precision >= 1 && precision <= DUCKDB_MAX_DECIMAL_WIDTH && scale <= precision;
      return as(fits ? `DECIMAL(${precision},${scale})` : 'VARCHAR', 'plain');
    }
    case T.FLOAT:
      return as('FLOAT', 'plain');
    case T.DOUBLE:
      return as('DOUBLE', 'plain');
    case T.TIMESTAMP:
    case T.DATETIME:
      return as('TIMESTAMP', 'date');
    case T.DATE:
    case T.NEWDATE:
      return as('DATE', 'date');
    case T.TIME:
      // TIME spans -838:59:59..838:59:59, beyond DuckDB's TIME: kept as its text. (The server labels it binary.)
      return as('VARCHAR', 'plain');
    case T.BIT:
      return as('UBIGINT', 'bits');
    case T.NULL:
      return as('VARCHAR', 'plain');
    default:
      if (INTEGER_TYPES.has(field.columnType ?? -1)) return as('BIGINT', 'plain');
      if (field.characterSet === BINARY_CHARSET) return { column: { name, type: 'BLOB', via: { type: 'VARCHAR', sql: (hex) => `unhex(${hex})` } }, encoding: 'hex' };
      return as('VARCHAR', 'text');
  }
}
