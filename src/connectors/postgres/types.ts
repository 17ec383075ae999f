import pg from 'pg';
import { quoteIdent } from '../../dataplane/step-db.js';
import type { SinkColumn } from '../../dataplane/table-sink.js';
import { quotePgIdent } from './client.js';

/**
 * How a PostgreSQL column lands in DuckDB. Values arrive either as PostgreSQL's text form (wire
 * protocol, every type parser disabled) or as JSON values (the REST API); `convert` turns either
 * into what the sink column takes, and exact types (NUMERIC, timestamps, UUID, JSON) are loaded as
 * text and converted by DuckDB's own cast.
 */
export interface SourceColumnPlan {
  sink: SinkColumn;
  convert: (value: unknown) => unknown;
}

/** Values as they come: PostgreSQL text output, or JSON decoded from a REST response. */
export type ValueSource = 'text' | 'json';

/** DuckDB's DECIMAL holds at most 38 digits; wider or unconstrained NUMERIC stays exact as text. */
const MAX_DECIMAL_PRECISION = 38;

const asText = (value: unknown): unknown => (value === null || value === undefined || typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
const asJsonText = (value: unknown): unknown => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Plans one column from its PostgreSQL type name as `format_type` (or PostgREST's OpenAPI) spells
 * it: `integer`, `numeric(12,2)`, `timestamp with time zone`, `text[]`... `oid` (wire only) finds
 * the driver's parser for array literals.
 */
export function planSourceColumn(name: string, typeName: string, source: ValueSource, oid?: number): SourceColumnPlan {
  const type = typeName.toLowerCase().trim();
  const loaded = (cast: string, convert: (value: unknown) => unknown = asText): SourceColumnPlan => ({ sink: { name, type: 'VARCHAR', cast }, convert });

  if (type.endsWith('[]') || type === 'array') {
    if (source === 'json') return loaded('JSON', asJsonText);
    // The driver's parser turns `{1,2,"a b"}` into a JS array (unknown element types stay as strings).
    const parse = oid === undefined ? (text: string) => text : (pg.types.getTypeParser(oid, 'text') as (text: string) => unknown);
    return loaded('JSON', (value) => (typeof value === 'string' ? JSON.stringify(parse(value)) : null));
  }
  if (/^(smallint|integer|bigint|int[248]?|(small|big)?serial)$/.test(type)) {
    return { sink: { name, type: 'BIGINT' }, convert: (value) => (typeof value === 'string' ? BigInt(value) : value) };
  }
  // real is 32-bit: widened through a JS number, "0.1" would become 0.1 rather than the float4 value.
  if (/^(real|float4)$/.test(type)) return source === 'json' ? { sink: { name, type: 'DOUBLE', cast: 'FLOAT' }, convert: (value) => value } : loaded('FLOAT');
  if (/^(double precision|float8?)$/.test(type)) return { sink: { name, type: 'DOUBLE' }, convert: (value) => (typeof value === 'string' ? Number(value) : value) };
  if (type === 'boolean' || type === 'bool') return { sink: { name, type: 'BOOLEAN' }, convert: (value) => (typeof value === 'string' ? value === 't' || value === 'true' : value) };
  const numeric = /^(?:numeric|decimal)\((\d+)(?:,\s*(\d+))?\)$/.exec(type);
  if (numeric && Number(numeric[1]) <= MAX_DECIMAL_PRECISION) return loaded(`DECIMAL(${numeric[1]},${numeric[2] ?? 0})`);
  if (type === 'date') return loaded('DATE');
  if (/^timestamp(\(\d\))? with time zone$|^timestamptz$/.test(type)) return loaded('TIMESTAMPTZ');
  if (/^timestamp(\(\d\))?( without time zone)?$/.test(type)) return loaded('TIMESTAMP');
  if (/^time(\(\d\))?( without time zone)?$/.test(type)) return loaded('TIME');
  if (type === 'uuid') return loaded('UUID');
  if (type === 'json' || type === 'jsonb') return source === 'json' ? loaded('JSON', asJsonText) : loaded('JSON');
  if (type === 'bytea') {
    // Hex form (`\x0102`) on the wire (bytea_output = hex) and in PostgREST's JSON alike.
    return { sink: { name, type: 'BLOB' }, convert: (value) => (typeof value === 'string' ? Buffer.from(value.slice(2), 'hex') : value) };
  }
  // text, varchar, unconstrained numeric (exact as text), intervals, enums, network types...
  return { sink: { name, type: 'VARCHAR' }, convert: asText };
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
