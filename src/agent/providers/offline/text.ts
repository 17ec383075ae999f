/** SQL and text helpers for the offline planner: identifier quoting per family, literals, labels, tables. */
import type { ColumnInfo, JsonValue } from '../../../connectors/discovery.js';
import { getFamily } from '../../../connectors/families.js';
import { doubleQuote } from '../../../connectors/family.js';

const RESERVED = new Set(['order', 'group', 'user', 'select', 'from', 'where', 'table', 'key', 'index', 'desc', 'limit', 'to', 'by', 'rank', 'values']);

/** Bare when safe (easier to read in a proposed pipeline), otherwise quoted the way the source family quotes. */
export function quoteIdent(name: string, family: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  return (getFamily(family)?.quoteIdent ?? doubleQuote)(name);
}

export function sqlLiteral(value: JsonValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replace(/'/g, "''")}'`;
}

/** `a = 1 AND b = 'x'` for key columns and their values. */
export function keyCondition(columns: string[], values: JsonValue[], family: string): string {
  return columns.map((column, i) => `${quoteIdent(column, family)} = ${sqlLiteral(values[i] ?? null)}`).join(' AND ');
}

/** Family of a `@family.alias` reference. */
export function familyOf(connection: string): string {
  return connection.slice(1).split('.')[0] ?? '';
}

/** Lowercase ASCII words joined by `-`: valid as an OML pipeline name and a file name. */
export function slug(...parts: string[]): string {
  const text = parts
    .join(' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return text.slice(0, 60).replace(/-+$/, '') || 'export';
}

const NAME_COLUMNS = [/^(title|name|full_name|display_name|label)$/i, /name|title/i];

/** The column that best names a row (title, name, ...), else the first text column. */
export function labelColumn(columns: string[], row: JsonValue[]): number {
  for (const pattern of NAME_COLUMNS) {
    const index = columns.findIndex((c) => pattern.test(c));
    if (index >= 0) return index;
  }
  return row.findIndex((v) => typeof v === 'string');
}

/** "Selma (2014)": a name column and, when there is one, a year or date column. */
export function rowLabel(columns: string[], row: JsonValue[]): string {
  const nameIndex = labelColumn(columns, row);
  const name = nameIndex >= 0 ? String(row[nameIndex]) : row.map(String).join(', ');
  const whenIndex = columns.findIndex((c) => /year|date/i.test(c));
  const when = whenIndex >= 0 ? row[whenIndex] : null;
  return when === null || when === undefined ? name : `${name} (${String(when)})`;
}

export function isNumericType(column: ColumnInfo): boolean {
  return /INT|REAL|NUM|DEC|FLOAT|DOUBLE/i.test(column.type);
}

const CELL_CHARS = 40;

function cell(value: JsonValue | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  const clipped = text.length > CELL_CHARS ? `${text.slice(0, CELL_CHARS - 1)}…` : text;
  return clipped.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown table of the first `maxRows` rows. */
export function markdownTable(columns: string[], rows: JsonValue[][], maxRows = 10): string {
  const lines = [`| ${columns.map((c) => cell(c)).join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`];
  for (const row of rows.slice(0, maxRows)) lines.push(`| ${columns.map((_, i) => cell(row[i])).join(' | ')} |`);
  return lines.join('\n');
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function bullets(lines: string[]): string {
  return lines.map((line) => `- ${line}`).join('\n');
}
