import type { Database } from '@duckdb/node-bindings';
import { openMemoryDatabase, queryVarchar } from './duckdb-varchar-query.js';

export type GuardResult = { ok: true } | { ok: false; reason: string; hint: string };

// Table functions that only compute; every other one (read_csv, query, duckdb_settings...) reaches outside the query.
const ALLOWED_TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);
// Scalar functions that read files, the environment or configuration, or change session state.
const DENIED_FUNCTIONS = new Set(['getenv', 'current_setting', 'nextval', 'currval', 'setseed', 'query', 'query_table', 'load_extension', 'install_extension']);
const DENIED_FUNCTION_PREFIXES = ['read_', 'parquet_', 'sqlite_', 'postgres_', 'mysql_', 'http', 'iceberg_', 'delta_', 'glob', 'duckdb_', 'pragma_', 'json_execute'];
// Table references that show catalog contents rather than data.
const DENIED_TABLE_REFS = new Set(['SHOW_REF', 'COLUMN_DATA']);
// Catalog views reachable by a plain name (pg_settings, duckdb_databases, sqlite_master...): they show
// paths and settings. The exact list comes from DuckDB itself; the prefixes cover later versions.
const CATALOG_VIEW_PREFIXES = ['pg_', 'duckdb_', 'sqlite_', 'pragma_'];
// What a statement that DuckDB will not serialise starts with, for a message about the SQL itself.
const FIRST_KEYWORD = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*([A-Za-z]+)/;

const REFUSE_HINT = 'Write one SELECT (CTEs, joins, subqueries and UNION are fine) over the df_<step_id> tables of earlier steps.';

let parser: Promise<{ database: Database; views: Set<string> }> | undefined;

/** Opens DuckDB's parser once per process; checks that come while it opens wait for it. */
function openParser(): Promise<{ database: Database; views: Set<string> }> {
  parser ??= openMemoryDatabase({ enable_external_access: 'false', autoload_known_extensions: 'false' }).then(async (database) => ({ database, views: await internalViewNames(database) }));
  return parser;
}

async function internalViewNames(database: Database): Promise<Set<string>> {
  const names = await queryVarchar(database, "SELECT to_json(list(DISTINCT lower(view_name))) FROM duckdb_views() WHERE internal AND schema_name IN ('main', 'pg_catalog')");
  return new Set(JSON.parse(names ?? '[]') as string[]);
}

/**
 * Starts opening the parser (~30 ms, off the main thread) so that a command loads its other
 * modules meanwhile; a failure is reported by the check that waits for it.
 */
export function startOpeningParser(): void {
  openParser().catch(() => undefined);
}

/**
 * Decides whether `sql` is a single read-only query over plain tables, using DuckDB's own parser:
 * `json_serialize_sql` serialises only SELECT statements, so anything else (COPY, ATTACH, SET, DML,
 * DDL, PRAGMA) comes back as an error. The tree is then walked for table functions, file-reading
 * functions and references that are not plain unqualified tables.
 */
export async function checkTransformSql(sql: string): Promise<GuardResult> {
  if (sql.trim() === '') return refuse('the SQL is empty');
  // DuckDB's C API reads the text up to its first NUL: what follows would never be checked, nor run.
  const nul = sql.indexOf('\0');
  if (nul >= 0) return refuse(`the SQL contains a NUL character (at offset ${nul})`);
  const { database, views } = await openParser();
  const serialized: unknown = JSON.parse(String(await queryVarchar(database, 'SELECT json_serialize_sql($1::VARCHAR)', [sql])));
  const tree = serialized as { error?: boolean; error_message?: string; statements?: unknown[] };
  if (tree.error) return refuse(describeParseError(sql, tree.error_message));
  const count = tree.statements?.length ?? 0;
  if (count !== 1) return refuse(`expected exactly one statement, found ${count}`);
  const problem = findProblem(tree.statements![0], views);
  return problem === undefined ? { ok: true } : refuse(problem);
}

function refuse(reason: string): GuardResult {
  return { ok: false, reason, hint: REFUSE_HINT };
}

/**
 * DuckDB serialises only SELECTs and answers anything else with "Only SELECT statements can be
 * serialized to json!", which says nothing about the user's SQL: name the statement instead.
 */
function describeParseError(sql: string, message: string | undefined): string {
  if (message === undefined || !/only select statements/i.test(message)) return `not a valid query: ${message ?? 'unparseable'}`;
  const kinds = sql.split(';').map((part) => FIRST_KEYWORD.exec(part)?.[1]?.toUpperCase()).filter((k): k is string => k !== undefined);
  const other = kinds.find((k) => !['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE'].includes(k));
  return other === undefined ? 'not a single read-only SELECT' : `${other} is not allowed: transform SQL is one read-only SELECT`;
}

/** Depth-first walk over the serialised tree; returns the first refused construct. */
function findProblem(node: unknown, views: ReadonlySet<string>): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const problem = findProblem(child, views);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  const problem = checkNode(record, views);
  if (problem !== undefined) return problem;
  return findProblem(Object.values(record), views);
}

function checkNode(node: Record<string, unknown>, views: ReadonlySet<string>): string | undefined {
  const type = node.type;
  if (type === 'BASE_TABLE') return checkTableReference(node, views);
  if (type === 'TABLE_FUNCTION') {
    const name = functionName(node.function);
    if (!ALLOWED_TABLE_FUNCTIONS.has(name)) return `table function ${name}() is not allowed (only ${[...ALLOWED_TABLE_FUNCTIONS].join(', ')})`;
  }
  if (typeof type === 'string' && DENIED_TABLE_REFS.has(type)) return `${type} is not a query over data`;
  if (node.class === 'FUNCTION' || node.class === 'WINDOW' || node.class === 'AGGREGATE') {
    const name = functionName(node);
    if (DENIED_FUNCTIONS.has(name) || DENIED_FUNCTION_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      return `function ${name}() reaches outside the query`;
    }
    // The parser itself qualifies some built-ins ([1, 2] becomes main.list_value); anything else names another database.
    if (nonEmpty(node.catalog) || (nonEmpty(node.schema) && node.schema !== 'main')) return `function ${name}() is qualified with another schema or catalog`;
  }
  return undefined;
}

function checkTableReference(node: Record<string, unknown>, views: ReadonlySet<string>): string | undefined {
  const name = String(node.table_name);
  const lower = name.toLowerCase();
  if (views.has(lower) || CATALOG_VIEW_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
    return `"${name}" is a catalog view (it shows paths and settings, not data of earlier steps)`;
  }
  if (nonEmpty(node.catalog_name) || nonEmpty(node.schema_name)) {
    return `table "${[node.catalog_name, node.schema_name, name].filter(nonEmpty).join('.')}" is qualified; refer to tables by their plain name`;
  }
  // DuckDB reads a table name that looks like a file ('data.csv', '/etc/passwd') as a file scan.
  if (!isPlainIdentifier(name)) return `"${name}" is not a plain table name (a quoted path would be read as a file)`;
  return undefined;
}

function functionName(node: unknown): string {
  const name = (node as { function_name?: unknown } | null)?.function_name;
  return typeof name === 'string' ? name.toLowerCase() : '';
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

function isPlainIdentifier(name: string): boolean {
  if (name === '') return false;
  for (const char of name) {
    const plain = (char >= 'a' && char <= 'z') || (char >= 'A' && char <= 'Z') || (char >= '0' && char <= '9') || char === '_';
    if (!plain) return false;
  }
  return true;
}
