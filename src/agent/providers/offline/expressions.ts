/**
 * Values computed from columns, as the request names them: arithmetic between two columns ("quantity
 * times unit price") or a column and a number ("cents divided by 100"), an age from a birth year or date and an event year or date ("the director's age in
 * the release year"), a date difference, and time buckets for grouping ("per release decade", "per
 * month"). Rendered per source family, since date arithmetic differs in each dialect.
 */
import type { ColumnInfo } from '../../../connectors/discovery.js';
import { isNumeric } from './schema-model.js';

export interface ColumnRef {
  table: string;
  column: string;
}

export type ArithOp = '+' | '-' | '*' | '/';
export type Bucket = 'decade' | 'year' | 'month';

export type Expr =
  /** `right` is a column, or a number ("the cost in cents divided by 100"). */
  | { kind: 'arith'; op: ArithOp; left: ColumnRef; right: ColumnRef | number; name: string }
  | { kind: 'age'; event: ColumnRef; birth: ColumnRef; name: string }
  | { kind: 'bucket'; unit: Bucket; column: ColumnRef; name: string };

/** The words that join two columns into one value. */
export const ARITHMETIC: [string, ArithOp][] = [
  ['multiplied by', '*'], ['times', '*'], ['divided by', '/'], ['minus', '-'], ['plus', '+'],
];

export const BUCKETS = new Set<string>(['decade', 'year', 'month']);

export function exprColumns(e: Expr): ColumnRef[] {
  if (e.kind === 'arith') return typeof e.right === 'number' ? [e.left] : [e.left, e.right];
  if (e.kind === 'age') return [e.event, e.birth];
  return [e.column];
}

/** What the SQL needs to know of each column: is it a number, or a date (stored as text or date)? */
export type ColumnLookup = (ref: ColumnRef) => ColumnInfo | undefined;

const numeric = (lookup: ColumnLookup, ref: ColumnRef) => {
  const info = lookup(ref);
  return info !== undefined && isNumeric(info);
};

/** The calendar year of a date, per family (an integer year column is already one). */
function yearOf(sql: string, family: string): string {
  if (family === 'mysql') return `YEAR(${sql})`;
  if (family === 'sqlite') return `CAST(strftime('%Y', ${sql}) AS INTEGER)`;
  return `CAST(EXTRACT(YEAR FROM CAST(${sql} AS DATE)) AS INTEGER)`;
}

/** Whole years between two dates (completed birthdays), per family. */
function yearsBetween(from: string, to: string, family: string): string {
  if (family === 'mysql') return `TIMESTAMPDIFF(YEAR, ${from}, ${to})`;
  if (family === 'sqlite') return `(CAST(strftime('%Y%m%d', ${to}) AS INTEGER) - CAST(strftime('%Y%m%d', ${from}) AS INTEGER)) / 10000`;
  return `CAST(DATE_PART('year', AGE(CAST(${to} AS DATE), CAST(${from} AS DATE))) AS INTEGER)`;
}

/** Days from one date to another, per family. */
function daysBetween(from: string, to: string, family: string): string {
  if (family === 'mysql') return `DATEDIFF(${to}, ${from})`;
  if (family === 'sqlite') return `(julianday(${to}) - julianday(${from}))`;
  return `(CAST(${to} AS DATE) - CAST(${from} AS DATE))`;
}

/** `col` renders a column reference (joining its table as needed). */
export function exprSql(e: Expr, col: (ref: ColumnRef) => string, lookup: ColumnLookup, family: string): string {
  if (e.kind === 'bucket') {
    const year = numeric(lookup, e.column) ? col(e.column) : yearOf(col(e.column), family);
    if (e.unit === 'year') return year;
    if (e.unit === 'decade') {
      if (family === 'mysql') return `(${year} DIV 10) * 10`;
      return family === 'sqlite' ? `(${year} / 10) * 10` : `CAST(FLOOR(${year} / 10.0) * 10 AS INTEGER)`;
    }
    if (family === 'mysql') return `DATE_FORMAT(${col(e.column)}, '%Y-%m')`;
    if (family === 'sqlite') return `strftime('%Y-%m', ${col(e.column)})`;
    return `TO_CHAR(CAST(${col(e.column)} AS DATE), 'YYYY-MM')`;
  }
  if (e.kind === 'age') {
    const eventYear = numeric(lookup, e.event);
    const birthYear = numeric(lookup, e.birth);
    if (!eventYear && !birthYear) return yearsBetween(col(e.birth), col(e.event), family);
    return `${eventYear ? col(e.event) : yearOf(col(e.event), family)} - ${birthYear ? col(e.birth) : yearOf(col(e.birth), family)}`;
  }
  if (typeof e.right === 'number') return e.op === '/' ? `1.0 * ${col(e.left)} / ${e.right}` : `${col(e.left)} ${e.op} ${e.right}`;
  const [left, right] = [col(e.left), col(e.right)];
  if (e.op === '-' && !numeric(lookup, e.left) && !numeric(lookup, e.right)) return daysBetween(right, left, family);
  // Integer division truncates in SQLite and PostgreSQL; a ratio is meant.
  if (e.op === '/') return `1.0 * ${left} / NULLIF(${right}, 0)`;
  return `${left} ${e.op} ${right}`;
}
