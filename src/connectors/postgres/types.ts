import { quoteIdent } from '../../dataplane/step-db.js';
import type { CsvColumn } from '../../dataplane/csv-load.js';
import type { SinkColumn } from '../../dataplane/table-sink.js';
import { quotePgIdent } from './client.js';

/** DuckDB's DECIMAL holds at most 38 digits; wider or unconstrained NUMERIC stays exact as text. */
const MAX_DECIMAL_PRECISION = 38;

/** What a PostgreSQL type is, for loading: DuckDB's own type where it has one, else how it is carried. */
type PgKind = 'ARRAY' | 'BIGINT' | 'FLOAT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMPTZ' | 'TIMESTAMP' | 'TIME' | 'UUID' | 'JSON' | 'BYTEA' | 'VARCHAR' | `DECIMAL(${number},${number})`;

/** Classifies a type name as `format_type` (or PostgREST's OpenAPI) spells it: `integer`, `numeric(12,2)`, `timestamp with time zone`, `text[]`... */
function pgKind(typeName: string): PgKind {
  const type = typeName.toLowerCase().trim();
  if (type.endsWith('[]') || type === 'array') return 'ARRAY';
  if (/^(smallint|integer|bigint|int[248]?|(small|big)?serial)$/.test(type)) return 'BIGINT';
  if (/^(real|float4)$/.test(type)) return 'FLOAT';
  if (/^(double precision|float8?)$/.test(type)) return 'DOUBLE';
  if (type === 'boolean' || type === 'bool') return 'BOOLEAN';
  const numeric = /^(?:numeric|decimal)\((\d+)(?:,\s*(\d+))?\)$/.exec(type);
  if (numeric && Number(numeric[1]) <= MAX_DECIMAL_PRECISION) return `DECIMAL(${Number(numeric[1])},${Number(numeric[2] ?? 0)})`;
  if (type === 'date') return 'DATE';
  if (/^timestamp(\(\d\))? with time zone$|^timestamptz$/.test(type)) return 'TIMESTAMPTZ';
  if (/^timestamp(\(\d\))?( without time zone)?$/.test(type)) return 'TIMESTAMP';
  if (/^time(\(\d\))?( without time zone)?$/.test(type)) return 'TIME';
  if (type === 'uuid') return 'UUID';
  if (type === 'json' || type === 'jsonb') return 'JSON';
  if (type === 'bytea') return 'BYTEA';
  // text, varchar, unconstrained numeric (exact as text), intervals, enums, network types...
  return 'VARCHAR';
}

/**
 * How a PostgreSQL column read with COPY lands in DuckDB: the table column DuckDB's CSV reader parses
 * PostgreSQL's text into (ISO dates, UTC offsets and exact float digits, fixed by TEXT_FORMAT_SETTINGS),
 * and, for the few types whose text DuckDB does not read, an expression run on the server first.
 */
export interface CopyColumnPlan {
  column: CsvColumn;
  /** SQL (PostgreSQL) applied to the source column in the COPY query. */
  source?: (column: string) => string;
}

const asJson = { type: 'VARCHAR', sql: (field: string) => `CAST(${field} AS JSON)` };

export function planCopyColumn(name: string, typeName: string): CopyColumnPlan {
  const kind = pgKind(typeName);
  switch (kind) {
    case 'ARRAY':
      // Arrays of any depth and element type become JSON on the server, which knows their literal syntax.
      return { column: { name, type: 'JSON', via: asJson }, source: (column) => `to_json(${column})` };
    case 'JSON':
      return { column: { name, type: 'JSON', via: asJson } };
    case 'BYTEA':
      // Hex form (`\x0102`, bytea_output = hex).
      return { column: { name, type: 'BLOB', via: { type: 'VARCHAR', sql: (field) => `unhex(${field}[3:])` } } };
    default:
      return { column: { name, type: kind } };
  }
}

/**
 * How a column read over the REST API (PostgREST's JSON) lands in DuckDB: the sink column, and how a
 * JSON value becomes what it takes; exact types (NUMERIC, timestamps, UUID, JSON) are loaded as text
 * and converted by DuckDB's own cast.
 */
export interface SourceColumnPlan {
  sink: SinkColumn;
  convert: (value: unknown) => unknown;
}

const asText = (value: unknown): unknown => (value === null || value === undefined || typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
const asJsonText = (value: unknown): unknown => (value === null || value === undefined ? null : JSON.stringify(value));

export function planSourceColumn(name: string, typeName: string): SourceColumnPlan {
  const kind = pgKind(typeName);
  switch (kind) {
    case 'ARRAY':
    case 'JSON':
      return { sink: { name, type: 'VARCHAR', cast: 'JSON' }, convert: asJsonText };
    case 'BIGINT':
      return { sink: { name, type: 'BIGINT' }, convert: (value) => (typeof value === 'string' ? BigInt(value) : value) };
    case 'FLOAT':
      // real is 32-bit: the JSON number is its shortest text, which DuckDB's cast turns back into the same float4.
      return { sink: { name, type: 'DOUBLE', cast: 'FLOAT' }, convert: (value) => value };
    case 'DOUBLE':
      return { sink: { name, type: 'DOUBLE' }, convert: (value) => (typeof value === 'string' ? Number(value) : value) };
    case 'BOOLEAN':
      return { sink: { name, type: 'BOOLEAN' }, convert: (value) => (typeof value === 'string' ? value === 't' || value === 'true' : value) };
    case 'BYTEA':
      // Hex form (`\x0102`) in PostgREST's JSON.
      return { sink: { name, type: 'BLOB' }, convert: (value) => (typeof value === 'string' ? Buffer.from(value.slice(2), 'hex') : value) };
    case 'VARCHAR':
      return { sink: { name, type: 'VARCHAR' }, convert: asText };
    default:
      return { sink: { name, type: 'VARCHAR', cast: kind }, convert: asText };
  }
}

/** How one DuckDB input column is written: its PostgreSQL type (for CREATE TABLE) and its text form. */
export interface TargetColumnPlan {
  name: string;
  pgType: string;
  /** DuckDB expression rendering the value as text PostgreSQL's input functions accept (or NULL). */
  select: string;
  /** `json`: the text is a JSON document (nested values); REST requests send it as JSON, not a string. */
  kind: 'text' | 'json' | 'boolean';
}

const PG_TYPES: Record<string, string> = {
  BOOLEAN: 'boolean',
  TINYINT: 'smallint',
  UTINYINT: 'smallint',
  SMALLINT: 'smallint',
  USMALLINT: 'integer',
  INTEGER: 'integer',
  UINTEGER: 'bigint',
  BIGINT: 'bigint',
  UBIGINT: 'numeric(20,0)',
  HUGEINT: 'numeric(39,0)',
  UHUGEINT: 'numeric(39,0)',
  FLOAT: 'real',
  DOUBLE: 'double precision',
  VARCHAR: 'text',
  DATE: 'date',
  TIME: 'time',
  'TIME WITH TIME ZONE': 'timetz',
  TIMESTAMP: 'timestamp',
  TIMESTAMP_S: 'timestamp',
  TIMESTAMP_MS: 'timestamp',
  TIMESTAMP_NS: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  INTERVAL: 'interval',
  UUID: 'uuid',
  JSON: 'jsonb',
  BLOB: 'bytea',
};

export function planTargetColumn({ name, type }: { name: string; type: string }): TargetColumnPlan {
  const column = quoteIdent(name);
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (decimal) return { name, pgType: `numeric(${decimal[1]},${decimal[2]})`, select: `CAST(${column} AS VARCHAR)`, kind: 'text' };
  if (type === 'BLOB') return { name, pgType: 'bytea', select: `'\\x' || hex(${column})`, kind: 'text' };
  if (type === 'JSON') return { name, pgType: 'jsonb', select: `CAST(${column} AS VARCHAR)`, kind: 'json' };
  if (type === 'BOOLEAN') return { name, pgType: 'boolean', select: `CAST(${column} AS VARCHAR)`, kind: 'boolean' };
  const pgType = PG_TYPES[type];
  if (pgType !== undefined) return { name, pgType, select: `CAST(${column} AS VARCHAR)`, kind: 'text' };
  // Lists, arrays, structs, maps, unions: written as JSON documents (jsonb).
  if (/[[\]]$|^(STRUCT|MAP|UNION)\(/.test(type)) return { name, pgType: 'jsonb', select: `CAST(to_json(${column}) AS VARCHAR)`, kind: 'json' };
  return { name, pgType: 'text', select: `CAST(${column} AS VARCHAR)`, kind: 'text' };
}

/** CREATE TABLE for the input columns, with the primary key when one is given. */
export function createTableSql(qualifiedName: string, columns: readonly TargetColumnPlan[], primaryKey: readonly string[]): string {
  const definitions = columns.map((column) => `  ${quotePgIdent(column.name)} ${column.pgType}${primaryKey.includes(column.name) ? ' NOT NULL' : ''}`);
  if (primaryKey.length > 0) definitions.push(`  PRIMARY KEY (${primaryKey.map(quotePgIdent).join(', ')})`);
  return `CREATE TABLE ${qualifiedName} (\n${definitions.join(',\n')}\n)`;
}
